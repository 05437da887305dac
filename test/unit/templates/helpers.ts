import { renderMessage } from "../../../src/templates/render.ts";
import { sampleVariables, type TemplateKind } from "../../../src/templates/variables.ts";

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;" })[c] ?? c);

/** `get(obj, "flight.rebooked.number")` */
export function get(obj: unknown, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Renders an SMS body with a kind's sample data (English unless told). */
export function sms(body: string, kind: TemplateKind = "shipment_delay", vars: Record<string, unknown> = {}) {
  const v = { ...sampleVariables(kind, "en"), ...vars };
  return renderMessage({ channel: "sms", kind, body, variables: v, locale: v.locale, timeZone: v.timeZone });
}

export function email(
  parts: { subject?: string; html?: string; text?: string },
  kind: TemplateKind = "shipment_delay",
  vars: Record<string, unknown> = {},
) {
  const v = { ...sampleVariables(kind, "en"), ...vars };
  return renderMessage({
    channel: "email",
    kind,
    subject: "Hi",
    html: "<p>Hi</p>",
    ...parts,
    variables: v,
    locale: v.locale,
    timeZone: v.timeZone,
  });
}
