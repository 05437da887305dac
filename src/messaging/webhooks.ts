import { Webhook, WebhookVerificationError } from "standardwebhooks";
import { type HeadersLike, header } from "./errors.ts";

/**
 * Signature checks for provider webhooks. Bad requests are expected
 * outcomes, so they come back as values; a reason is for logs, never for the
 * caller's response body (answer 401 without detail).
 */
export type WebhookRejection = "missing_headers" | "stale_timestamp" | "malformed" | "bad_signature";
export type ResendWebhookCheck = { ok: true; id: string; timestamp: Date } | { ok: false; reason: WebhookRejection };
export type TwilioWebhookCheck = { ok: true } | { ok: false; reason: WebhookRejection };

/**
 * Resend signs with Svix: `svix-id`, `svix-timestamp` (unix seconds) and
 * `svix-signature` (`v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>`,
 * space-separated during secret rotation), 5-minute tolerance. Verified
 * with `standardwebhooks` (what the Resend SDK uses); the `webhook-*`
 * header names are accepted too. `body` must be the raw request text.
 * The returned `id` stays the same across Resend's redeliveries: dedupe on it.
 * Throws (a configuration error) when `secret` is not a `whsec_<base64>` value.
 */
export async function verifyResendWebhook(opts: {
  secret: string;
  body: string;
  headers: HeadersLike;
}): Promise<ResendWebhookCheck> {
  const id = header(opts.headers, "svix-id") ?? header(opts.headers, "webhook-id");
  const timestamp = header(opts.headers, "svix-timestamp") ?? header(opts.headers, "webhook-timestamp");
  const signature = header(opts.headers, "svix-signature") ?? header(opts.headers, "webhook-signature");
  if (!id || !timestamp || !signature) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "malformed" };

  const webhook = new Webhook(opts.secret);
  try {
    webhook.verify(
      opts.body,
      { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": signature },
      { jsonParse: false },
    );
  } catch (err) {
    if (!(err instanceof WebhookVerificationError)) throw err;
    if (/timestamp too (old|new)/i.test(err.message)) return { ok: false, reason: "stale_timestamp" };
    if (/missing/i.test(err.message)) return { ok: false, reason: "missing_headers" };
    if (/invalid/i.test(err.message)) return { ok: false, reason: "malformed" };
    return { ok: false, reason: "bad_signature" };
  }
  return { ok: true, id, timestamp: new Date(Number(timestamp) * 1000) };
}

/**
 * Twilio: `X-Twilio-Signature` = base64 HMAC-SHA1(authToken, url + each
 * form parameter as key+value, sorted by key). `url` is the full public URL
 * Twilio called (with query string); like Twilio's own library, it also
 * matches with the port added or removed, since proxies rewrite it.
 */
export async function verifyTwilioWebhook(opts: {
  authToken: string;
  url: string;
  params: URLSearchParams | Record<string, string | string[]>;
  headers: HeadersLike;
}): Promise<TwilioWebhookCheck> {
  const given = header(opts.headers, "x-twilio-signature");
  if (!given) return { ok: false, reason: "missing_headers" };
  const suffix = twilioParamString(opts.params);
  for (const url of urlVariants(opts.url)) {
    const expected = await twilioSignature(opts.authToken, url + suffix);
    if (constantTimeEqual(expected, given)) return { ok: true };
  }
  return { ok: false, reason: "bad_signature" };
}

/** base64 HMAC-SHA1 over `data` (exported for test fakes that sign callbacks). */
export async function twilioSignature(authToken: string, data: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(authToken), { name: "HMAC", hash: "SHA-1" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(data)));
  return btoa(String.fromCharCode(...mac));
}

export function twilioParamString(params: URLSearchParams | Record<string, string | string[]>): string {
  const grouped = new Map<string, string[]>();
  const entries: Iterable<[string, string | string[]]> =
    params instanceof URLSearchParams ? params.entries() : Object.entries(params);
  for (const [key, value] of entries) {
    const values = grouped.get(key) ?? [];
    values.push(...(Array.isArray(value) ? value : [value]));
    grouped.set(key, values);
  }
  let out = "";
  for (const key of [...grouped.keys()].sort()) {
    for (const value of (grouped.get(key) ?? []).sort()) out += key + value;
  }
  return out;
}

function urlVariants(url: string): string[] {
  const m = /^(https?):\/\/([^/?#:]+)(?::(\d+))?(.*)$/i.exec(url);
  if (!m) return [url];
  const [, scheme = "", host = "", port, rest = ""] = m;
  const defaultPort = scheme.toLowerCase() === "https" ? "443" : "80";
  const withPort = `${scheme}://${host}:${port ?? defaultPort}${rest}`;
  const withoutPort = `${scheme}://${host}${rest}`;
  return [...new Set([url, withoutPort, withPort])];
}

/** Compares without an early exit, so timing does not reveal how much matched. */
export function constantTimeEqual(a: string, b: string): boolean {
  const enc = new TextEncoder();
  const x = enc.encode(a);
  const y = enc.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < x.length; i++) diff |= (x[i] ?? 0) ^ (y[i % Math.max(y.length, 1)] ?? 0);
  return diff === 0;
}
