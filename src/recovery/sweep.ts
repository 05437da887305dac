import type { Shipment } from "../db/generated/node/client.ts";
import {
  describeMinutes,
  findOverdueShipments,
  type OverdueShipment,
  raiseSeverity,
  type Severity,
  SHIPMENT_DELAY_SEVERITY,
  subjectKey,
} from "../detection/index.ts";
import { isUniqueViolation } from "../http/database-errors.ts";
import type { RecoveryServices } from "./services.ts";
import { OPEN_STATUSES } from "./signals.ts";
import { addTimeline } from "./timeline.ts";

/**
 * The scheduled sweep: a shipment whose latest ETA (plus the grace) has
 * passed with no delivery scan is a predicted delay, even if no carrier
 * update said so. One `shipment_delay` disruption per such order, unless one
 * is already open for it (or was already opened after this ETA passed).
 */

export interface SweepOutcome {
  /** Disruptions opened by this sweep (a recovery should start for each). */
  opened: string[];
  notes: string[];
}

/** The most shipments one tick looks at; the rest wait for the next tick (most overdue first). */
export const SWEEP_BATCH = 200;
/** With no new ETA from the carrier, the apology gives this prediction: a day from the sweep. */
export const PREDICTED_SLIP_MS = 24 * 3_600_000;
/** The customer-facing cause (templates say "The cause was …"). */
const CUSTOMER_REASON = "a hold-up with the carrier: no delivery scan since it was due";

/**
 * Open a disruption per overdue shipment. `sweepId` (the run id) makes a
 * retried step idempotent: each disruption's id derives from it, so a repeat
 * finds and reports the disruptions its earlier attempt opened instead of
 * opening others. Each check reads, then the create is one batch: a
 * disruption opened for the same order meanwhile (a carrier update racing the
 * sweep) fails it on the one-open-per-subject index, and the order is left to
 * that disruption.
 */
export async function sweepOverdueShipments(svc: RecoveryServices, sweepId: string): Promise<SweepOutcome> {
  const now = svc.now();
  const grace = svc.settings.graceMinutes;
  const out: SweepOutcome = { opened: [], notes: [] };
  const candidates = await svc.prisma.shipment.findMany({
    where: { deliveredAt: null, latestEta: { lt: new Date(now.getTime() - grace * 60_000) } },
    orderBy: { latestEta: "asc" },
    take: SWEEP_BATCH,
  });
  const overdue = findOverdueShipments(
    candidates.map((s) => ({ ...s, newEta: s.latestEta })),
    now,
    grace,
  );
  for (const o of overdue) {
    const id = await sweptDisruptionId(sweepId, o.shipment.orderId);
    if (await openSwept(svc, sweepId, id, o, now, out)) out.opened.push(id);
  }
  return out;
}

type Overdue = OverdueShipment<Shipment & { newEta: Date }>;

/** Opens the swept disruption `id` for one overdue shipment, unless one covers it; true when it is ours. */
async function openSwept(
  svc: RecoveryServices,
  sweepId: string,
  id: string,
  o: Overdue,
  now: Date,
  out: SweepOutcome,
): Promise<boolean> {
  const { prisma } = svc;
  const s = o.shipment;
  const key = subjectKey.order(s.orderId);
  const existing = await prisma.disruption.findFirst({
    where: {
      subjectKey: key,
      OR: [{ status: { in: OPEN_STATUSES } }, { kind: "shipment_delay", signalAt: { gt: s.latestEta } }],
    },
    orderBy: { detectedAt: "desc" },
  });
  if (existing) {
    // Ours from an earlier attempt of this very step: report it again so its recovery starts.
    if (existing.id === id) return true;
    out.notes.push(`${key}: disruption ${existing.id} (${existing.status}) already covers it`);
    return false;
  }
  const customer = await prisma.customer.findUnique({ where: { id: s.customerId } });
  if (!customer) {
    out.notes.push(`${key}: unknown customer ${s.customerId}; no decision`);
    return false;
  }
  const { severity, why } = sweptSeverity(o.overdueMinutes, s.important, customer.tier);
  const eta = s.latestEta.toISOString();
  const reason = `The ETA of ${eta} passed with no delivery scan; the parcel is likely late.`;
  const predictedEta = new Date(now.getTime() + PREDICTED_SLIP_MS).toISOString();
  const delayMinutes = Math.max(0, Math.ceil((Date.parse(predictedEta) - s.promisedBy.getTime()) / 60_000));
  const create = prisma.disruption.create({
    data: {
      id,
      customerId: s.customerId,
      kind: "shipment_delay",
      subjectKey: key,
      severity,
      reason,
      facts: JSON.stringify({
        orderId: s.orderId,
        customerId: s.customerId,
        promisedBy: s.promisedBy.toISOString(),
        newEta: predictedEta,
        etaBasis: "predicted by the overdue sweep: the last ETA passed with no delivery scan",
        lastEta: eta,
        overdueMinutes: o.overdueMinutes,
        important: s.important,
        reason: CUSTOMER_REASON,
        delayMinutes,
      }),
      signalAt: now,
    },
  });
  try {
    await prisma.$transaction([
      create,
      addTimeline(prisma, id, now, "signal", `Overdue sweep (${sweepId})`, o.reason),
      addTimeline(
        prisma,
        id,
        now,
        "detection",
        `Detected shipment delay, severity ${severity}`,
        `${reason} ${why} → ${severity}. New ETA predicted as ${predictedEta}.`,
      ),
    ]);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    out.notes.push(`${key}: a disruption was opened for it meanwhile`);
    return false;
  }
  return true;
}

/**
 * The shipment rules applied to what we know: base severity from how long
 * the parcel is overdue (the same thresholds as a carrier-reported delay),
 * one level up for an important order, one more for a valued or VIP customer.
 */
export function sweptSeverity(
  overdueMinutes: number,
  important: boolean,
  tier: string,
): { severity: Severity; why: string } {
  let severity: Severity = SHIPMENT_DELAY_SEVERITY.find((t) => overdueMinutes <= t.upTo)?.severity ?? "critical";
  const parts = [`overdue by ${describeMinutes(overdueMinutes)}`];
  if (important) {
    severity = raiseSeverity(severity);
    parts.push("order flagged important");
  }
  if (tier === "valued" || tier === "vip") {
    severity = raiseSeverity(severity);
    parts.push(`customer is ${tier === "vip" ? "VIP" : "valued"}`);
  }
  return { severity, why: `Severity: ${parts.join("; ")}` };
}

/** The same sweep run and order always give the same id (`dis_` + 32 hex). */
async function sweptDisruptionId(sweepId: string, orderId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`sweep:${sweepId}:${orderId}`));
  const hex = Array.from(new Uint8Array(digest).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
  return `dis_${hex}`;
}
