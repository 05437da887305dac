import type { CustomerTier, ShipmentEtaUpdatedData } from "../events/schemas.ts";
import { describeMinutes, minutesToMs, msToMinutes, toMillis } from "./time.ts";
import { type Detection, type NoDisruption, raiseSeverity, type Severity, subjectKey } from "./types.ts";

/**
 * `shipment.eta_updated` → a shipment delay, or not.
 *
 * - A disruption when the new ETA is MORE than `graceMinutes` after the
 *   promised date (exactly at grace is still on time). All times are instants,
 *   so DST and the customer's time zone play no part.
 * - Base severity from the delay past the promised date:
 *   ≤ 2 days low, ≤ 4 days medium, ≤ 7 days high, longer critical.
 * - One level up if the order is flagged important (e.g. for an event), one
 *   more if the customer is valued or VIP; never above critical.
 */

export interface ShipmentContext {
  graceMinutes: number;
  tier: CustomerTier;
  now: Date;
}

const DAY = 24 * 60;
/** Upper bounds (minutes of delay, inclusive) of each base severity; beyond the last is critical. */
export const SHIPMENT_DELAY_SEVERITY: readonly { upTo: number; severity: Severity }[] = [
  { upTo: 2 * DAY, severity: "low" },
  { upTo: 4 * DAY, severity: "medium" },
  { upTo: 7 * DAY, severity: "high" },
];

export type ShipmentDelayDetection = Detection & { kind: "shipment_delay"; delayMinutes: number };

type EtaData = Pick<ShipmentEtaUpdatedData, "orderId" | "customerId" | "promisedBy" | "newEta" | "important">;

export function detectShipmentDelay(data: EtaData, ctx: ShipmentContext): ShipmentDelayDetection | NoDisruption {
  const key = subjectKey.order(data.orderId);
  const delayMs = toMillis(data.newEta, "newEta") - toMillis(data.promisedBy, "promisedBy");
  if (delayMs <= 0) {
    return { disruption: false, subjectKey: key, reason: "New ETA is on or before the promised date." };
  }
  const delayMinutes = Math.ceil(msToMinutes(delayMs));
  if (delayMs <= minutesToMs(ctx.graceMinutes)) {
    return {
      disruption: false,
      subjectKey: key,
      reason: `New ETA is ${describeMinutes(delayMinutes)} after the promised date, within the ${describeMinutes(ctx.graceMinutes)} grace.`,
    };
  }

  const parts = [`New ETA is ${describeMinutes(delayMinutes)} after the promised date`];
  let severity = baseSeverity(delayMinutes);
  if (data.important) {
    severity = raiseSeverity(severity);
    parts.push("order flagged important");
  }
  if (ctx.tier === "valued" || ctx.tier === "vip") {
    severity = raiseSeverity(severity);
    parts.push(`customer is ${ctx.tier === "vip" ? "VIP" : "valued"}`);
  }
  if (ctx.now.getTime() > toMillis(data.promisedBy, "promisedBy")) parts.push("the promised date has already passed");
  return {
    disruption: true,
    kind: "shipment_delay",
    subjectKey: key,
    customerId: data.customerId,
    severity,
    delayMinutes,
    reason: `${parts.join("; ")} → ${severity}`,
  };
}

function baseSeverity(delayMinutes: number): Severity {
  return SHIPMENT_DELAY_SEVERITY.find((t) => delayMinutes <= t.upTo)?.severity ?? "critical";
}
