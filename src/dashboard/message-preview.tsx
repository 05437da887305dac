/**
 * A message as the customer saw it. Email HTML goes into a sandboxed iframe's srcdoc
 * (escaped by Hono as an attribute). The sandbox allows no scripts, forms, popups or navigation
 * (and the dashboard's CSP, which srcdoc frames inherit, allows no inline script either);
 * `allow-same-origin` is granted only so the page's own script (FRAME_SCRIPT) can read the
 * email's height and show it whole, without an inner scroll bar. SMS text sits in a phone-like bubble.
 */
import { raw } from "hono/html";
import { RECOVERY_CSS } from "./recovery-styles.ts";
import { Time } from "./time.tsx";

/** Sizes each email preview to its content, on load and when the window's width changes. */
export const FRAME_SCRIPT = `(function(){function fit(){document.querySelectorAll("iframe.email").forEach(function(f){try{var d=f.contentDocument;if(d&&d.documentElement){f.style.height="0px";f.style.height=(d.documentElement.scrollHeight+4)+"px"}}catch(e){}})}addEventListener("load",fit);addEventListener("resize",fit)})();`;

export interface Previewable {
  channel: string;
  recipient: string;
  subject?: string | null;
  html?: string | null;
  text?: string | null;
  body?: string | null;
}

export const PageStyle = (props: { nonce: string }) => (
  <>
    <style nonce={props.nonce}>{raw(RECOVERY_CSS)}</style>
    <script nonce={props.nonce}>{raw(FRAME_SCRIPT)}</script>
  </>
);

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
        <iframe class="email" sandbox="allow-same-origin" title={`Email: ${m.subject ?? ""}`} srcdoc={m.html} />
      ) : (
        <pre class="bubble">{m.text ?? ""}</pre>
      )}
    </div>
  );
}

/** A time in the viewer's zone, the zone named (see time.tsx). */
export const fmt = (d: Date | null | undefined) => <Time at={d} />;

/** `3h 12m`, `2d 4h`. */
export function age(from: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - from.getTime()) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

export { money } from "./words.ts";
