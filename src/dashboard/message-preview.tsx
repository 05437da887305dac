/**
 * A message as the customer saw it. Email HTML goes into a sandboxed iframe's srcdoc
 * (escaped by Hono; `sandbox=""` gives it no scripts, no forms and an opaque origin),
 * so it can neither run nor touch the dashboard. SMS text sits in a phone-like bubble.
 */
import { raw } from "hono/html";
import { RECOVERY_CSS } from "./recovery-styles.ts";

export interface Previewable {
  channel: string;
  recipient: string;
  subject?: string | null;
  html?: string | null;
  text?: string | null;
  body?: string | null;
}

export const PageStyle = (props: { nonce: string }) => <style nonce={props.nonce}>{raw(RECOVERY_CSS)}</style>;

export function MessagePreview(props: { message: Previewable }) {
  const m = props.message;
  if (m.channel === "sms") {
    return (
      <div class="preview phone" data-channel="sms">
        <div class="when">To {m.recipient}</div>
        <div class="bubble">{m.body ?? m.text ?? ""}</div>
      </div>
    );
  }
  return (
    <div class="preview" data-channel="email">
      <div class="email-head">
        <div class="when">To {m.recipient}</div>
        <strong class="subject">{m.subject ?? "(no subject)"}</strong>
      </div>
      {m.html ? (
        <iframe class="email" sandbox="" title={`Email: ${m.subject ?? ""}`} srcdoc={m.html} />
      ) : (
        <pre class="bubble">{m.text ?? ""}</pre>
      )}
    </div>
  );
}

/** `2026-01-05 15:00 UTC`. */
export const fmt = (d: Date | null | undefined): string =>
  d ? `${d.toISOString().slice(0, 16).replace("T", " ")} UTC` : "—";

/** `3h 12m`, `2d 4h`. */
export function age(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export const money = (value: unknown, currency: string) => `${Number(value).toFixed(2)} ${currency}`;
