import { type InstantLike, toMillis } from "./time.ts";
import { subjectKey } from "./types.ts";

/**
 * `customer.complaint_received` is not a disruption: it is attached to one.
 *
 * - By reference: the complaint's `reference` (an orderId, bookingRef or
 *   deliverableId) names the subject `order:`/`booking:`/`deliverable:<ref>`.
 * - Else (no reference, or one that matches nothing open): the customer's most
 *   recently opened disruption.
 * - `complainedFirst`: the customer complained before our first message —
 *   we had sent nothing yet, or our first message went out after `receivedAt`.
 *
 * Only disruptions of the complaining customer are considered (those without
 * a customerId are assumed to be the caller's pre-filtered list).
 */

export interface OpenDisruptionRef {
  id: string;
  subjectKey: string;
  customerId?: string;
  openedAt: InstantLike;
  firstMessageAt: InstantLike | null;
}

export interface ComplaintRef {
  customerId: string;
  reference?: string;
  receivedAt: InstantLike;
}

export type ComplaintMatch<T extends OpenDisruptionRef> =
  | { disruption: T; matchedBy: "reference" | "most_recent"; complainedFirst: boolean; reason: string }
  | { disruption: null; matchedBy: "none"; complainedFirst: null; reason: string };

export function matchComplaint<T extends OpenDisruptionRef>(
  complaint: ComplaintRef,
  openDisruptions: readonly T[],
): ComplaintMatch<T> {
  const mine = openDisruptions.filter((d) => d.customerId === undefined || d.customerId === complaint.customerId);
  const ref = complaint.reference;
  if (ref !== undefined) {
    const keys = new Set([subjectKey.order(ref), subjectKey.booking(ref), subjectKey.deliverable(ref)]);
    const byRef = mostRecent(mine.filter((d) => keys.has(d.subjectKey)));
    if (byRef) return matched(byRef, "reference", complaint, `Reference ${ref} matches ${byRef.subjectKey}`);
  }
  const latest = mostRecent(mine);
  if (!latest) {
    return {
      disruption: null,
      matchedBy: "none",
      complainedFirst: null,
      reason: `Customer ${complaint.customerId} has no open disruption.`,
    };
  }
  const why =
    ref !== undefined
      ? `Reference ${ref} matches no open disruption; using the most recent one, ${latest.subjectKey}`
      : `No reference; using the customer's most recent open disruption, ${latest.subjectKey}`;
  return matched(latest, "most_recent", complaint, why);
}

function matched<T extends OpenDisruptionRef>(
  d: T,
  matchedBy: "reference" | "most_recent",
  complaint: ComplaintRef,
  why: string,
): ComplaintMatch<T> {
  const received = toMillis(complaint.receivedAt, "receivedAt");
  const complainedFirst = d.firstMessageAt === null || toMillis(d.firstMessageAt, "firstMessageAt") > received;
  const tail = complainedFirst
    ? d.firstMessageAt === null
      ? "; the customer complained before we sent anything."
      : "; the customer complained before our first message went out."
    : "; our first message went out before the complaint.";
  return { disruption: d, matchedBy, complainedFirst, reason: why + tail };
}

function mostRecent<T extends OpenDisruptionRef>(list: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestAt = Number.NEGATIVE_INFINITY;
  for (const d of list) {
    const at = toMillis(d.openedAt, "openedAt");
    if (at >= bestAt) {
      best = d;
      bestAt = at;
    }
  }
  return best;
}
