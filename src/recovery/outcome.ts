/**
 * What one accepted event did: the disruptions it opened, updated, resolved
 * or superseded, and each part it did not act on with a reason code. Stored
 * as JSON on `InboundEvent.outcome`; read by `GET /api/events/{id}`.
 */

export const IGNORED_REASONS = [
  /** The customer record is unknown; the part is held until it arrives (attention). */
  "unknown_customer",
  /** A shipment's new ETA is on time or within the grace period. */
  "not_late",
  /** A flight is on schedule. */
  "on_schedule",
  /** A flight delay within the threshold. */
  "within_threshold",
  /** A flight reported delayed without `delayMinutes` (attention: the next update should carry it). */
  "no_delay_length",
  /** An open disruption already says as much (a repeat, jitter, a lesser flight status). */
  "no_change",
  /** A resolution (delivered, corrected, departed) with nothing open to resolve. */
  "nothing_open",
  /** A complaint recorded but matching no disruption of the customer (attention: we missed something?). */
  "complaint_unmatched",
] as const;
export type IgnoredReason = (typeof IGNORED_REASONS)[number];

/** Reasons a person should look at: listed on the dashboard's Attention page. */
export const ATTENTION_REASONS: ReadonlySet<IgnoredReason> = new Set([
  "unknown_customer",
  "no_delay_length",
  "complaint_unmatched",
]);

export interface IgnoredPart {
  reason: IgnoredReason;
  /** A sentence for people. */
  detail: string;
  customerId?: string;
  orderId?: string;
  bookingRef?: string;
  deliverableId?: string;
  /** The open disruption that already covers it (no_change). */
  disruptionId?: string;
  /** unknown_customer: until when the customer's record releases it. */
  heldUntil?: string;
}

export interface SignalOutcome {
  opened: string[];
  updated: string[];
  resolved: string[];
  /** Disruptions replaced by a newer kind (a delayed flight now cancelled); their runs are cancelled. */
  superseded: string[];
  ignored: IgnoredPart[];
}

export const emptyOutcome = (): SignalOutcome => ({
  opened: [],
  updated: [],
  resolved: [],
  superseded: [],
  ignored: [],
});

/** A stored outcome, including ones written before `updated`/`ignored` existed (`closed`; free-text notes are dropped). */
export function parseStoredOutcome(json: string): SignalOutcome {
  const raw = JSON.parse(json) as Partial<SignalOutcome> & { closed?: string[] };
  return {
    opened: raw.opened ?? [],
    updated: raw.updated ?? [],
    resolved: raw.resolved ?? [],
    superseded: raw.superseded ?? raw.closed ?? [],
    ignored: raw.ignored ?? [],
  };
}

/** The subject fields of an ignored part, from a subject key (`booking:QX7PLM` → `{ bookingRef }`). */
export function subjectFields(subjectKey: string): Pick<IgnoredPart, "orderId" | "bookingRef" | "deliverableId"> {
  const at = subjectKey.indexOf(":");
  const [family, ref] = [subjectKey.slice(0, at), subjectKey.slice(at + 1)];
  if (family === "order") return { orderId: ref };
  if (family === "booking") return { bookingRef: ref };
  if (family === "deliverable") return { deliverableId: ref };
  return {};
}

/** The events an outcome sends: one recovery per new disruption; running ones told they are resolved or superseded. */
export function recoveryEvents(outcome: Pick<SignalOutcome, "opened" | "resolved" | "superseded">) {
  return [
    ...outcome.opened.map((id) => ({
      id: `detected:${id}`,
      name: "makegood/disruption.detected",
      data: { disruptionId: id },
    })),
    ...outcome.resolved.map((id) => ({
      id: `resolved:${id}`,
      name: "makegood/disruption.resolved",
      data: { disruptionId: id },
    })),
    ...outcome.superseded.map((id) => ({
      id: `closed:${id}`,
      name: "makegood/disruption.closed",
      data: { disruptionId: id },
    })),
  ];
}
