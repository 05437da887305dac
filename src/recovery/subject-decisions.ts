import type { Customer, PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import {
  type Detection,
  detectDeliverableErrors,
  detectFlightDisruptions,
  detectShipmentDelay,
} from "../detection/index.ts";
import type { CustomerTier, EventType, OpsEventOf, ShipmentEtaUpdatedData } from "../events/schemas.ts";
import type { IgnoredPart, IgnoredReason } from "./outcome.ts";
import { subjectFields } from "./outcome.ts";
import type { RecoverySettings } from "./services.ts";

/** A signal as the functions receive it: the validated event without the embedded customer. */
export type Signal = { [T in EventType]: Pick<OpsEventOf<T>, "id" | "type" | "occurredAt" | "data"> }[EventType];
export type DetectingSignal = Extract<
  Signal,
  { type: "shipment.eta_updated" | "flight.status_changed" | "deliverable.qa_failed" }
>;

/** What a detecting signal means for one subject (an order, a booking, a deliverable). */
export type SubjectDecision =
  | { subjectKey: string; detection: Detection; facts: Record<string, unknown> }
  | { subjectKey?: string; ignored: IgnoredPart };

export interface DecisionContext {
  settings: RecoverySettings;
  now: Date;
  /** The signal's customers that exist; the others are held. */
  customers: ReadonlyMap<string, Pick<Customer, "id" | "tier">>;
}

export const isDetecting = (signal: Signal): signal is DetectingSignal =>
  signal.type === "shipment.eta_updated" ||
  signal.type === "flight.status_changed" ||
  signal.type === "deliverable.qa_failed";

/** The customers a detecting signal names. */
export function customerIdsOf(signal: DetectingSignal): string[] {
  if (signal.type === "flight.status_changed") return [...new Set(signal.data.bookings.map((b) => b.customerId))];
  return [signal.data.customerId];
}

/** Parameters per query stay under D1's limit of 100. */
const LOOKUP_CHUNK = 90;

export async function knownCustomers(
  db: Pick<PrismaClient, "customer">,
  ids: readonly string[],
): Promise<Map<string, Pick<Customer, "id" | "tier">>> {
  const found = new Map<string, Pick<Customer, "id" | "tier">>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await db.customer.findMany({
      where: { id: { in: ids.slice(i, i + LOOKUP_CHUNK) } },
      select: { id: true, tier: true },
    });
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}

/**
 * One decision per subject of the signal. A subject whose customer is unknown
 * is held (never blocks the others); flight-wide "nothing to do" reasons
 * (on schedule, within the threshold, no delay length) are stated once.
 * `departed` bookings yield nothing here: resolution handles them.
 */
export function subjectDecisions(signal: DetectingSignal, ctx: DecisionContext): SubjectDecision[] {
  const held = (customerId: string, subjectKey: string, what: string): SubjectDecision => ({
    subjectKey,
    ignored: {
      reason: "unknown_customer",
      detail: `No customer record for ${customerId} yet; ${what} is held until it arrives.`,
      customerId,
      ...subjectFields(subjectKey),
      heldUntil: new Date(ctx.now.getTime() + ctx.settings.unknownCustomerHoldHours * 3_600_000).toISOString(),
    },
  });
  switch (signal.type) {
    case "shipment.eta_updated": {
      const d = signal.data;
      const key = `order:${d.orderId}`;
      const customer = ctx.customers.get(d.customerId);
      if (!customer) return [held(d.customerId, key, `order ${d.orderId}`)];
      const detection = detectShipmentDelay(d, {
        graceMinutes: ctx.settings.graceMinutes,
        tier: customer.tier as CustomerTier,
        now: ctx.now,
      });
      if (!detection.disruption) return [ignored("not_late", detection.reason, d.customerId, key)];
      return [{ subjectKey: key, detection, facts: { ...d } }];
    }
    case "flight.status_changed": {
      const { bookings, ...flight } = signal.data;
      const decisions: SubjectDecision[] = [];
      const stated = new Set<string>();
      for (const decision of detectFlightDisruptions(signal.data, {
        delayThresholdMinutes: ctx.settings.flightDelayThresholdMinutes,
      })) {
        if (!decision.disruption) {
          if (decision.resolves || stated.has(decision.reason)) continue;
          stated.add(decision.reason);
          decisions.push({ ignored: { reason: flightReason(signal.data), detail: decision.reason } });
        } else if (!ctx.customers.has(decision.customerId)) {
          decisions.push(held(decision.customerId, decision.subjectKey, `booking ${decision.bookingRef}`));
        } else {
          const booking = bookings.find((b) => b.bookingRef === decision.bookingRef);
          const facts = { ...flight, bookingRef: decision.bookingRef, rebookedFlight: booking?.rebookedFlight ?? null };
          decisions.push({ subjectKey: decision.subjectKey, detection: decision, facts });
        }
      }
      return decisions;
    }
    case "deliverable.qa_failed": {
      const d = signal.data;
      const key = `deliverable:${d.deliverableId}`;
      if (!ctx.customers.has(d.customerId)) return [held(d.customerId, key, `deliverable ${d.deliverableId}`)];
      const detection = detectDeliverableErrors(d);
      // The schema requires at least one issue, so QA always finds something.
      if (!detection.disruption) return [ignored("no_change", detection.reason, d.customerId, key)];
      return [{ subjectKey: key, detection, facts: { ...d } }];
    }
  }
}

/** The subjects (orders, bookings, deliverables) a signal speaks about; a complaint's reference is too loose to count. */
export function subjectsOf(signal: Signal): string[] {
  switch (signal.type) {
    case "shipment.eta_updated":
    case "shipment.delivered":
      return [`order:${signal.data.orderId}`];
    case "flight.status_changed":
      return [...new Set(signal.data.bookings.map((b) => `booking:${b.bookingRef}`))];
    case "deliverable.qa_failed":
    case "deliverable.corrected":
      return [`deliverable:${signal.data.deliverableId}`];
    case "customer.complaint_received":
      return [];
  }
}

function ignored(reason: IgnoredReason, detail: string, customerId: string, subjectKey: string): SubjectDecision {
  return { subjectKey, ignored: { reason, detail, customerId, ...subjectFields(subjectKey) } };
}

/** Why a flight status opened nothing: the same for every booking on it. */
function flightReason(data: { status: string; delayMinutes?: number }): IgnoredReason {
  if (data.status === "delayed") return data.delayMinutes === undefined ? "no_delay_length" : "within_threshold";
  return "on_schedule";
}

/**
 * What makegood knows of a shipment, for the overdue sweep (only once its customer is known). Raw
 * SQL, like the rest of the detection batch: Prisma compiles a batch that mixes in model queries
 * anew every time. `updatedAt` as Prisma's `@updatedAt` sets it: the wall clock.
 */
export function shipmentUpsert(db: Pick<PrismaClient, "$executeRawUnsafe">, d: ShipmentEtaUpdatedData) {
  return db.$executeRawUnsafe(
    `INSERT INTO "Shipment" ("orderId", "customerId", "promisedBy", "latestEta", "important", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT ("orderId") DO UPDATE SET "promisedBy" = excluded."promisedBy", "latestEta" = excluded."latestEta",
       "important" = excluded."important", "updatedAt" = excluded."updatedAt"`,
    d.orderId,
    d.customerId,
    sqlTime(new Date(d.promisedBy)),
    sqlTime(new Date(d.newEta)),
    d.important ? 1 : 0,
    sqlTime(new Date()),
  );
}
