import { createHash } from "node:crypto";
import { encodeTime, ulid } from "ulid";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export function newId(now: number): string {
  return ulid(now);
}

/**
 * The SDK sends `x-inngest-event-id-seed: <millis>,<base64 entropy>` and keeps
 * it across its own retries, so ids derived from it are the same on a retried
 * send: the engine can tell the retry from a new event.
 */
export function seededIds(seed: string | null | undefined, count: number): string[] | undefined {
  const match = seed?.match(/^(\d+),(.+)$/);
  if (!match) return undefined;
  const millis = Number(match[1]);
  return Array.from({ length: count }, (_, i) => {
    const digest = createHash("sha256").update(`${match[2]}:${i}`).digest();
    let random = "";
    for (let j = 0; j < 16; j++) random += CROCKFORD[(digest[j] as number) & 31];
    return encodeTime(millis, 10) + random;
  });
}
