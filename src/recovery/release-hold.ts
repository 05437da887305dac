import type { OpsEvent } from "../events/schemas.ts";
import { openDisruptions, planDetection, planWrites, type Writes } from "./apply-detection.ts";
import { emptyOutcome, parseStoredOutcome, type SignalOutcome } from "./outcome.ts";
import type { RecoveryServices } from "./services.ts";
import { logIgnored, pendingHolds } from "./signal-issues.ts";
import { isDetecting, knownCustomers, type Signal, shipmentUpsert, subjectDecisions } from "./subject-decisions.ts";
import { addTimeline } from "./timeline.ts";

/**
 * A customer's record arrived: detect what their held bookings, orders and
 * deliverables mean now, as if the original event had come after the record.
 *
 * No interactive transaction (D1 has none): read, decide, then write in one
 * batch led by a guard — `update … where releasedAt is null` fails when a
 * concurrent or earlier release won, and the batch rolls back. The release's
 * outcome is stored on the hold, so a retried step answers the same.
 */

/** The holds `customer.arrived` releases: still waiting when the record arrived. */
export async function holdsToRelease(svc: RecoveryServices, customerId: string, arrivedAt: Date): Promise<string[]> {
  return (await pendingHolds(svc.prisma, [customerId], arrivedAt)).map((h) => h.id).reverse();
}

const fmtInstant = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

export async function releaseHold(svc: RecoveryServices, holdId: string, arrivedAt: Date): Promise<SignalOutcome> {
  const { prisma } = svc;
  const hold = await prisma.signalIssue.findUnique({ where: { id: holdId } });
  if (hold?.reason !== "unknown_customer" || !hold.customerId || !hold.subjectKey) return emptyOutcome();
  if (hold.releasedAt) return hold.releaseOutcome ? parseStoredOutcome(hold.releaseOutcome) : emptyOutcome();
  if (!hold.heldUntil || hold.heldUntil < arrivedAt) return emptyOutcome();
  const customers = await knownCustomers(prisma, [hold.customerId]);
  const inbound = await prisma.inboundEvent.findUnique({ where: { id: hold.eventId } });
  if (!customers.has(hold.customerId) || !inbound) return emptyOutcome();

  // The stored body passed the event schema when it was accepted.
  const event = JSON.parse(inbound.body) as OpsEvent;
  const signal = { id: event.id, type: event.type, occurredAt: event.occurredAt, data: event.data } as Signal;
  if (!isDetecting(signal)) return emptyOutcome();

  const now = svc.now();
  const out = emptyOutcome();
  const writes: Writes = [];
  if (signal.type === "shipment.eta_updated") writes.push(shipmentUpsert(prisma, signal.data));
  const source = { id: signal.id, type: signal.type, at: new Date(signal.occurredAt) };
  for (const decision of subjectDecisions(signal, { settings: svc.settings, now, customers })) {
    if (decision.subjectKey !== hold.subjectKey) continue;
    if ("ignored" in decision) out.ignored.push(decision.ignored);
    else {
      const open = await openDisruptions(prisma, [decision.subjectKey]);
      const plan = planDetection(
        prisma,
        decision.detection,
        decision.facts,
        source,
        out,
        open.get(decision.subjectKey),
      );
      writes.push(...planWrites(prisma, [plan]));
    }
  }
  const why = `The event came before the customer's record (held from ${fmtInstant(hold.createdAt)}); the record arrived ${fmtInstant(arrivedAt)}.`;
  for (const id of [...out.opened, ...out.updated])
    writes.push(addTimeline(prisma, id, now, "signal", "Held signal released: the customer's record arrived", why));
  try {
    await prisma.$transaction([
      prisma.signalIssue.update({
        where: { id: hold.id, releasedAt: null },
        data: { releasedAt: now, releaseOutcome: JSON.stringify(out) },
      }),
      ...writes,
    ]);
  } catch (error) {
    if ((error as { code?: string }).code !== "P2025") throw error;
    const won = await prisma.signalIssue.findUnique({ where: { id: hold.id } });
    return won?.releaseOutcome ? parseStoredOutcome(won.releaseOutcome) : emptyOutcome();
  }
  svc.logger.info("held event part released", {
    eventId: hold.eventId,
    customerId: hold.customerId,
    subjectKey: hold.subjectKey,
    opened: out.opened,
    updated: out.updated,
  });
  logIgnored(svc.logger, signal, out.ignored);
  return out;
}
