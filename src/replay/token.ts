/**
 * The proof that a replay was seen: the replay page carries a token for the exact draft it
 * replayed, bound to the session (its CSRF secret), and publishing or saving checks it. A draft
 * changed after its replay, or never replayed, has no valid token.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils.js";

const canonical = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonical).join(",")}]`
    : value && typeof value === "object"
      ? `{${Object.keys(value)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
          .join(",")}}`
      : JSON.stringify(value ?? null);

export function replayToken(sessionSecret: string, what: string, draft: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(`makegood-replay\n${sessionSecret}\n${what}\n${canonical(draft)}`)));
}

export function replaySeen(sessionSecret: string, what: string, draft: unknown, token: unknown): boolean {
  if (typeof token !== "string" || token.length !== 64) return false;
  const expected = replayToken(sessionSecret, what, draft);
  let diff = 0;
  for (let i = 0; i < 64; i++) diff |= expected.charCodeAt(i) ^ token.charCodeAt(i);
  return diff === 0;
}
