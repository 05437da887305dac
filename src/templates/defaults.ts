import { DEFAULT_TEMPLATE_FILES } from "./defaults.generated.ts";
import type { TemplatePart } from "./errors.ts";
import { isTemplateKind, type TemplateKind } from "./variables.ts";

/** The default templates CX starts from (templates/ bundled as data: Workers have no file system). */
export interface DefaultTemplate {
  /** path under templates/, e.g. "en/shipment_delay.email.html.liquid" */
  path: string;
  locale: string;
  kind: TemplateKind;
  channel: "email" | "sms";
  part: TemplatePart;
  source: string;
}

const FILE = /^([a-z]{2}(?:-[A-Z]{2})?)\/([a-z_]+)\.(email\.subject|email\.html|email\.text|sms)\.liquid$/;
const PARTS: Record<string, ["email" | "sms", TemplatePart]> = {
  "email.subject": ["email", "subject"],
  "email.html": ["email", "html"],
  "email.text": ["email", "text"],
  sms: ["sms", "body"],
};

export function parseTemplatePath(path: string, source: string): DefaultTemplate {
  const m = path.match(FILE);
  const [, locale, kind, suffix] = m ?? [];
  const where = suffix ? PARTS[suffix] : undefined;
  if (!locale || !kind || !where || !isTemplateKind(kind)) {
    throw new Error(
      `unexpected template file "${path}": want <locale>/<kind>.{email.subject,email.html,email.text,sms}.liquid`,
    );
  }
  return { path, locale, kind, channel: where[0], part: where[1], source };
}

export const DEFAULT_TEMPLATES: readonly DefaultTemplate[] = Object.entries(DEFAULT_TEMPLATE_FILES).map(([p, s]) =>
  parseTemplatePath(p, s),
);

export const DEFAULT_LOCALES: readonly string[] = [...new Set(DEFAULT_TEMPLATES.map((t) => t.locale))].sort();

export interface DefaultTemplateSet {
  email: { subject: string; html: string; text: string };
  sms: { body: string };
}

/** The default email and SMS templates of one kind in one locale (falls back to the language, then "en"). */
export function defaultTemplateSet(kind: TemplateKind, locale = "en"): DefaultTemplateSet {
  const candidates = [locale, locale.slice(0, 2).toLowerCase(), "en"];
  const chosen = candidates.find((l) => DEFAULT_TEMPLATES.some((t) => t.locale === l && t.kind === kind)) ?? "en";
  const get = (part: TemplatePart) =>
    DEFAULT_TEMPLATES.find((t) => t.locale === chosen && t.kind === kind && t.part === part)?.source ?? "";
  return { email: { subject: get("subject"), html: get("html"), text: get("text") }, sms: { body: get("body") } };
}
