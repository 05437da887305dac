/**
 * The proof that a replay was seen: the replay page carries a token for the exact draft it
 * replayed, bound to the session (its CSRF secret), and publishing or saving checks it. A draft
 * changed after its replay, or never replayed, has no valid token.
 */
import canonicalize from "canonicalize";
import { sha256Hex } from "../hash.ts";

/** RFC 8785 canonical JSON, as event fingerprints use: key order does not change the token. */
const canonical = (value: unknown): string => canonicalize(value ?? null) ?? "null";

export function replayToken(sessionSecret: string, what: string, draft: unknown): string {
  return sha256Hex(`makegood-replay\n${sessionSecret}\n${what}\n${canonical(draft)}`);
}

export function replaySeen(sessionSecret: string, what: string, draft: unknown, token: unknown): boolean {
  if (typeof token !== "string" || token.length !== 64) return false;
  const expected = replayToken(sessionSecret, what, draft);
  let diff = 0;
  for (let i = 0; i < 64; i++) diff |= expected.charCodeAt(i) ^ token.charCodeAt(i);
  return diff === 0;
}
