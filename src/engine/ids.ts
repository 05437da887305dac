import { createHash } from "node:crypto";
import { encodeTime, monotonicFactory } from "ulid";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let factory = monotonicFactory();
let lastTime = Number.NEGATIVE_INFINITY;

/**
 * ULIDs that sort in creation order, also within one millisecond (a batch of
 * events, a virtual clock): runs are listed and paged by id. A clock that goes
 * back starts a fresh sequence rather than stamping ids with a later time.
 */
export function newId(now: number): string {
  if (now < lastTime) factory = monotonicFactory();
  lastTime = now;
  return factory(now);
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
