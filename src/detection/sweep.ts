import { describeMinutes, type InstantLike, minutesToMs, msToMinutes, toMillis } from "./time.ts";
import { subjectKey } from "./types.ts";

/**
 * The scheduled sweep: shipments not delivered although their expected time
 * (the latest ETA if we have one, else the promised date) plus the grace has
 * passed. Exactly at expected + grace is not yet overdue. Most overdue first.
 */

export interface SweepShipment {
  orderId: string;
  promisedBy: InstantLike;
  newEta?: InstantLike | null;
  deliveredAt?: InstantLike | null;
}

export interface OverdueShipment<T extends SweepShipment> {
  shipment: T;
  subjectKey: string;
  expectedBy: string;
  /** Minutes past the expected time (not past the grace). */
  overdueMinutes: number;
  reason: string;
}

export function findOverdueShipments<T extends SweepShipment>(
  shipments: readonly T[],
  now: Date,
  graceMinutes: number,
): OverdueShipment<T>[] {
  const nowMs = now.getTime();
  const overdue: OverdueShipment<T>[] = [];
  for (const s of shipments) {
    if (s.deliveredAt != null) continue;
    const basis = s.newEta != null ? "latest ETA" : "promised date";
    const expectedMs = s.newEta != null ? toMillis(s.newEta, "newEta") : toMillis(s.promisedBy, "promisedBy");
    if (nowMs - expectedMs <= minutesToMs(graceMinutes)) continue;
    const overdueMinutes = Math.floor(msToMinutes(nowMs - expectedMs));
    const expectedBy = new Date(expectedMs).toISOString();
    overdue.push({
      shipment: s,
      subjectKey: subjectKey.order(s.orderId),
      expectedBy,
      overdueMinutes,
      reason: `Order ${s.orderId} is not delivered, ${describeMinutes(overdueMinutes)} past its ${basis} (${expectedBy}); grace is ${describeMinutes(graceMinutes)}.`,
    });
  }
  return overdue.sort((a, b) => b.overdueMinutes - a.overdueMinutes);
}
