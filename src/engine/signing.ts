import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import canonicalize from "canonicalize";

/**
 * Request signing as the Inngest SDK verifies it: HMAC-SHA256 over the exact
 * body bytes (RFC 8785 canonical JSON) followed by the unix timestamp, keyed by
 * the signing key's text without its `signkey-<env>-` prefix.
 */
const PREFIX = /^signkey-\w+-/;
const MAX_AGE_S = 5 * 60;

export function generateSigningKey(env = "prod"): string {
  return `signkey-${env}-${randomBytes(32).toString("hex")}`;
}

export function generateEventKey(): string {
  return randomBytes(32).toString("hex");
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("value cannot be serialised as JSON");
  return text;
}

export function signBody(body: string, signingKey: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  const s = createHmac("sha256", signingKey.replace(PREFIX, ""))
    .update(body + t)
    .digest("hex");
  return `t=${t}&s=${s}`;
}

export function verifySignature(body: string, header: string | null, signingKey: string, nowMs = Date.now()): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = Number(params.get("t"));
  const s = params.get("s") ?? "";
  if (!Number.isFinite(t) || Math.abs(nowMs / 1000 - t) > MAX_AGE_S) return false;
  const expected = createHmac("sha256", signingKey.replace(PREFIX, ""))
    .update(body + t)
    .digest("hex");
  return s.length === expected.length && timingSafeEqual(Buffer.from(s), Buffer.from(expected));
}

/** What the SDK sends as `Authorization: Bearer …` when it syncs: the key's hex bytes hashed with SHA-256. */
export function hashedSigningKey(signingKey: string): string {
  const prefix = signingKey.match(PREFIX)?.[0] ?? "";
  const hex = signingKey.slice(prefix.length);
  return `${prefix}${createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex")}`;
}
