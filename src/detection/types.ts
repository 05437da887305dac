/**
 * The vocabulary every detector speaks: severities, disruption kinds, the
 * subject a disruption is about, and the decision a detector returns.
 */

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const DISRUPTION_KINDS = [
  "shipment_delay",
  "flight_cancelled",
  "flight_diverted",
  "flight_delayed",
  "deliverable_error",
] as const;
export type DisruptionKind = (typeof DISRUPTION_KINDS)[number];

/** A disruption was detected: what, about which subject, for whom, how bad, and why. */
export interface Detection {
  disruption: true;
  kind: DisruptionKind;
  /** One open disruption per subject: `order:<orderId>`, `booking:<bookingRef>`, `deliverable:<deliverableId>`. */
  subjectKey: string;
  customerId: string;
  severity: Severity;
  /** For delays (shipment, flight): how late, in minutes. */
  delayMinutes?: number;
  /** A sentence a manager can read on the timeline. */
  reason: string;
}

/** No disruption; `resolves` is true when the signal closes an open one for `subjectKey`. */
export interface NoDisruption {
  disruption: false;
  subjectKey?: string;
  resolves?: boolean;
  reason: string;
}

export type DetectionResult = Detection | NoDisruption;

export const subjectKey = {
  order: (orderId: string) => `order:${orderId}`,
  booking: (bookingRef: string) => `booking:${bookingRef}`,
  deliverable: (deliverableId: string) => `deliverable:${deliverableId}`,
} as const;

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

/** `s` raised by `steps` levels, capped at critical. */
export function raiseSeverity(s: Severity, steps = 1): Severity {
  const i = Math.min(severityRank(s) + steps, SEVERITIES.length - 1);
  return SEVERITIES[i] as Severity;
}

export function worstSeverity(list: readonly Severity[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const s of list) if (worst === undefined || severityRank(s) > severityRank(worst)) worst = s;
  return worst;
}
