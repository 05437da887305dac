import { filters as builtinFilters } from "liquidjs";
import { TemplateError, type TemplateErrorCode, type TemplatePart } from "./errors.ts";
import { type LiquidLimits, type OutputMode, renderCached } from "./liquid.ts";
import { analyzeSms, type SmsEncoding } from "./sms.ts";
import { htmlToText, tidyText } from "./text.ts";
import { type TemplateKind, templateVariables } from "./variables.ts";

export interface RenderContext {
  /** the declared variables (see variables.ts); parsed through the kind's schema when `kind` is given */
  variables: Record<string, unknown>;
  locale: string;
  timeZone: string;
  kind?: TemplateKind;
  limits?: Partial<LiquidLimits>;
}
export interface EmailRenderInput extends RenderContext {
  channel: "email";
  subject?: string;
  html?: string;
  /** a separately authored text alternative; derived from the HTML when absent */
  text?: string;
}
export interface SmsRenderInput extends RenderContext {
  channel: "sms";
  body?: string;
}
export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}
export interface RenderedSms {
  body: string;
  encoding: SmsEncoding;
  segments: number;
  length: number;
}

const MODE: Record<TemplatePart, OutputMode> = { subject: "subject", html: "html", text: "text", body: "sms" };

const LIQUID_MESSAGES: Array<[RegExp, TemplateErrorCode, (m: RegExpMatchArray) => string]> = [
  [/^tag "(.+)" not found/, "disallowed_tag", (m) => `the tag {% ${m[1]} %} is not allowed`],
  [/^undefined filter: (.+)/, "unknown_filter", (m) => `the filter "${m[1]}" is not allowed`],
  [/^undefined variable: (.+)/, "unknown_variable", (m) => `"${m[1]}" is not a variable of this template`],
  [/^template render limit exceeded/, "render_timeout", () => "rendering took longer than the time limit"],
  [/^memory alloc limit exceeded/, "render_memory_limit", () => "rendering used more memory than allowed"],
  [/^parse length limit exceeded/, "template_too_large", () => "the template is larger than allowed"],
  [/^for loop over/, "loop_too_long", (m) => m.input ?? "a for loop is too long"],
];

interface LiquidishError {
  name?: string;
  message?: string;
  originalError?: { message?: string };
  token?: { getPosition?: () => number[] };
}

/** Turns whatever liquidjs (or a filter) threw into a TemplateError naming the part and the line. */
export function toTemplateError(err: unknown, part: TemplatePart): TemplateError {
  if (err instanceof TemplateError) return err;
  const e = (err ?? {}) as LiquidishError;
  const raw = (e.originalError?.message ?? e.message ?? String(err)).replace(/, line:\d+, col:\d+$/, "");
  const line = e.token?.getPosition?.()[0];
  const where = `${part}${line ? `, line ${line}` : ""}`;
  for (const [re, code, say] of LIQUID_MESSAGES) {
    const m = raw.match(re);
    if (!m) continue;
    const detail = { part, ...(line ? { line } : {}) };
    if (code === "disallowed_tag") return new TemplateError(code, `${say(m)} (${where})`, { ...detail, tag: m[1] });
    if (code === "unknown_filter") {
      // a liquidjs filter we removed is "disallowed"; anything else is a typo
      const builtin = m[1] !== undefined && Object.hasOwn(builtinFilters, m[1]);
      return new TemplateError(builtin ? "disallowed_filter" : code, `${say(m)} (${where})`, {
        ...detail,
        filter: m[1],
      });
    }
    if (code === "unknown_variable")
      return new TemplateError(code, `${say(m)} (${where})`, { ...detail, variable: m[1] });
    return new TemplateError(code, `${say(m)} (${where})`, detail);
  }
  const code: TemplateErrorCode =
    e.name === "ParseError" || e.name === "TokenizationError" ? "syntax_error" : "render_error";
  return new TemplateError(code, `${raw} (${where})`, { part, ...(line ? { line } : {}) });
}

/** Locale and zone pairs already checked (building Intl objects to check them is costly). */
const checkedLocales = new Set<string>();

function checkLocale(locale: string, timeZone: string): void {
  const key = `${locale}|${timeZone}`;
  if (checkedLocales.has(key)) return;
  try {
    new Intl.DateTimeFormat(locale);
  } catch {
    throw new TemplateError("invalid_locale", `"${locale}" is not a valid locale`);
  }
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new TemplateError("invalid_time_zone", `"${timeZone}" is not a known time zone`);
  }
  if (checkedLocales.size > 500) checkedLocales.clear();
  checkedLocales.add(key);
}

function scopeOf(ctx: RenderContext): Record<string, unknown> {
  let vars: Record<string, unknown> = { ...ctx.variables, locale: ctx.locale, timeZone: ctx.timeZone };
  if (ctx.kind) {
    const parsed = templateVariables[ctx.kind].safeParse(vars);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
      throw new TemplateError("invalid_variables", `variables for ${ctx.kind} are invalid: ${issues}`);
    }
    vars = parsed.data as Record<string, unknown>;
  }
  return vars;
}

/** Renders one part with the hardened engine; the building block of renderMessage and validation. */
export function renderPart(source: string, part: TemplatePart, scope: Record<string, unknown>, ctx: RenderContext) {
  let out: string;
  try {
    out = renderCached(source, scope, {
      mode: MODE[part],
      locale: ctx.locale,
      timeZone: ctx.timeZone,
      limits: ctx.limits,
    });
  } catch (err) {
    throw toTemplateError(err, part);
  }
  if (part === "subject") return out.replace(/\s+/g, " ").trim();
  if (part === "html") return out.trim();
  return tidyText(out);
}

const required = (source: string | undefined, part: TemplatePart): string => {
  if (source === undefined || source.trim() === "") {
    throw new TemplateError("missing_part", `the ${part} template is empty`, { part });
  }
  return source;
};

export function renderMessage(input: EmailRenderInput): RenderedEmail;
export function renderMessage(input: SmsRenderInput): RenderedSms;
export function renderMessage(input: EmailRenderInput | SmsRenderInput): RenderedEmail | RenderedSms;
export function renderMessage(input: EmailRenderInput | SmsRenderInput): RenderedEmail | RenderedSms {
  checkLocale(input.locale, input.timeZone);
  const scope = scopeOf(input);
  if (input.channel === "sms") {
    const body = renderPart(required(input.body, "body"), "body", scope, input);
    return { body, ...analyzeSms(body) };
  }
  const subject = renderPart(required(input.subject, "subject"), "subject", scope, input);
  const html = renderPart(required(input.html, "html"), "html", scope, input);
  const text = input.text?.trim() ? renderPart(input.text, "text", scope, input) : htmlToText(html);
  return { subject, html, text };
}
