import {
  type Detection,
  decideSupersede,
  detectDeliverableErrors,
  detectFlightDisruptions,
  detectShipmentDelay,
  matchComplaint,
  resolvedSubjects,
  type Severity,
} from "../detection/index.ts";
import type { EventType, OpsEventOf } from "../events/schemas.ts";
import type { RecoveryServices } from "./services.ts";
import { addTimeline } from "./timeline.ts";

/** Statuses in which a disruption is still being handled. */
export const OPEN_STATUSES = ["open", "awaiting_approval", "notified"];

export interface SignalOutcome {
  opened: string[];
  resolved: string[];
  closed: string[];
  notes: string[];
}

/** A signal as the functions receive it: the validated event without the embedded customer. */
export type Signal = { [T in EventType]: Pick<OpsEventOf<T>, "id" | "type" | "occurredAt" | "data"> }[EventType];
type Tx = Parameters<Parameters<RecoveryServices["prisma"]["$transaction"]>[0]>[0];

/**
 * Turn one accepted signal into disruption decisions, in one transaction.
 * Idempotent: the outcome is stored on the InboundEvent, and a repeat (a step
 * retried after a crash) returns the stored outcome instead of deciding again.
 */
export async function handleSignal(svc: RecoveryServices, signal: Signal): Promise<SignalOutcome> {
  return svc.prisma.$transaction(async (tx) => {
    const inbound = await tx.inboundEvent.findUnique({ where: { id: signal.id } });
    if (inbound?.outcome) return JSON.parse(inbound.outcome) as SignalOutcome;
    const outcome: SignalOutcome = { opened: [], resolved: [], closed: [], notes: [] };
    await decide(tx, svc, signal, outcome);
    if (inbound) await tx.inboundEvent.update({ where: { id: signal.id }, data: { outcome: JSON.stringify(outcome) } });
    return outcome;
  });
}

async function decide(tx: Tx, svc: RecoveryServices, signal: Signal, out: SignalOutcome): Promise<void> {
  const now = svc.now();
  const at = new Date(signal.occurredAt);
  switch (signal.type) {
    case "shipment.eta_updated": {
      const d = signal.data;
      const customer = await tx.customer.findUnique({ where: { id: d.customerId } });
      if (!customer) return void out.notes.push(`unknown customer ${d.customerId}; no decision`);
      await tx.shipment.upsert({
        where: { orderId: d.orderId },
        create: {
          orderId: d.orderId,
          customerId: d.customerId,
          promisedBy: new Date(d.promisedBy),
          latestEta: new Date(d.newEta),
          important: d.important ?? false,
        },
        update: { promisedBy: new Date(d.promisedBy), latestEta: new Date(d.newEta), important: d.important ?? false },
      });
      const detection = detectShipmentDelay(d, {
        graceMinutes: svc.settings.graceMinutes,
        tier: customer.tier as never,
        now,
      });
      if (!detection.disruption) return void out.notes.push(detection.reason);
      await apply(tx, detection, { ...d }, signal, at, out);
      return;
    }
    case "flight.status_changed": {
      for (const decision of detectFlightDisruptions(signal.data, {
        delayThresholdMinutes: svc.settings.flightDelayThresholdMinutes,
      })) {
        if (!decision.disruption) {
          out.notes.push(`${decision.bookingRef}: ${decision.reason}`);
          continue;
        }
        const booking = signal.data.bookings.find((b) => b.bookingRef === decision.bookingRef);
        const { bookings: _all, ...flight } = signal.data;
        await apply(
          tx,
          decision,
          { ...flight, bookingRef: decision.bookingRef, rebookedFlight: booking?.rebookedFlight ?? null },
          signal,
          at,
          out,
        );
      }
      await resolve(tx, signal, now, out);
      return;
    }
    case "deliverable.qa_failed": {
      const detection = detectDeliverableErrors(signal.data);
      if (!detection.disruption) return void out.notes.push(detection.reason);
      await apply(tx, detection, { ...signal.data }, signal, at, out);
      return;
    }
    case "shipment.delivered":
      await tx.shipment.updateMany({
        where: { orderId: signal.data.orderId },
        data: { deliveredAt: new Date(signal.data.deliveredAt) },
      });
      await resolve(tx, signal, now, out);
      return;
    case "deliverable.corrected":
      await resolve(tx, signal, now, out);
      return;
    case "customer.complaint_received":
      await complaint(tx, signal, out);
      return;
  }
}

/** Open, update or supersede the disruption for the detection's subject. */
async function apply(
  tx: Tx,
  detection: Detection,
  facts: Record<string, unknown>,
  signal: Signal,
  at: Date,
  out: SignalOutcome,
): Promise<void> {
  const open = await tx.disruption.findFirst({
    where: { subjectKey: detection.subjectKey, status: { in: OPEN_STATUSES } },
    orderBy: { detectedAt: "desc" },
  });
  const openFacts = open ? (JSON.parse(open.facts) as { delayMinutes?: number }) : undefined;
  const decision = decideSupersede(
    open
      ? {
          kind: open.kind as Detection["kind"],
          severity: open.severity as Severity,
          delayMinutes: openFacts?.delayMinutes,
        }
      : null,
    detection,
  );
  const allFacts = { ...facts, delayMinutes: detection.delayMinutes ?? null };
  if (decision.action === "ignore") {
    out.notes.push(`${detection.subjectKey}: ${decision.reason}`);
    if (open) await addTimeline(tx, open.id, at, "signal", `Signal ${signal.type} (${signal.id})`, decision.reason);
    return;
  }
  if (decision.action === "update" && open) {
    await tx.disruption.update({
      where: { id: open.id },
      data: { severity: detection.severity, reason: detection.reason, facts: JSON.stringify(allFacts) },
    });
    await addTimeline(
      tx,
      open.id,
      at,
      "updated",
      `Updated by ${signal.type} (${signal.id})`,
      `${decision.reason} ${detection.reason}`,
    );
    return;
  }
  if (decision.action === "supersede" && open) {
    await tx.disruption.update({ where: { id: open.id }, data: { status: "superseded" } });
    await addTimeline(
      tx,
      open.id,
      at,
      "superseded",
      `Superseded by ${detection.kind.replace("_", " ")}`,
      decision.reason,
    );
    out.closed.push(open.id);
  }
  const id = `dis_${crypto.randomUUID()}`;
  await tx.disruption.create({
    data: {
      id,
      customerId: detection.customerId,
      kind: detection.kind,
      subjectKey: detection.subjectKey,
      severity: detection.severity,
      reason: detection.reason,
      facts: JSON.stringify(allFacts),
      signalAt: at,
    },
  });
  if (open && decision.action === "supersede")
    await tx.disruption.update({ where: { id: open.id }, data: { supersededById: id } });
  await addTimeline(tx, id, at, "signal", `Signal ${signal.type} received (${signal.id})`);
  await addTimeline(
    tx,
    id,
    at,
    "detection",
    `Detected ${detection.kind.replace("_", " ")}, severity ${detection.severity}`,
    `${detection.reason}. ${decision.reason}`,
  );
  out.opened.push(id);
}

async function resolve(tx: Tx, signal: Signal, now: Date, out: SignalOutcome): Promise<void> {
  const resolution = resolvedSubjects(signal as never);
  if (!resolution) return;
  const open = await tx.disruption.findMany({
    where: { subjectKey: { in: resolution.subjectKeys }, status: { in: OPEN_STATUSES } },
  });
  for (const d of open) {
    await tx.disruption.update({
      where: { id: d.id },
      data: { status: "resolved", resolvedAt: new Date(signal.occurredAt) },
    });
    await addTimeline(tx, d.id, now, "resolved", "Resolved", resolution.reason);
    out.resolved.push(d.id);
  }
}

async function complaint(
  tx: Tx,
  signal: Extract<Signal, { type: "customer.complaint_received" }>,
  out: SignalOutcome,
): Promise<void> {
  const d = signal.data;
  const open = await tx.disruption.findMany({
    where: { customerId: d.customerId, status: { in: [...OPEN_STATUSES, "resolved"] } },
  });
  const match = matchComplaint(
    { customerId: d.customerId, reference: d.reference, receivedAt: d.receivedAt },
    open.map((o) => ({
      id: o.id,
      subjectKey: o.subjectKey,
      customerId: o.customerId,
      openedAt: o.detectedAt,
      firstMessageAt: o.firstMessageAt,
    })),
  );
  const exists = await tx.customer.findUnique({ where: { id: d.customerId } });
  if (!exists) return void out.notes.push(`complaint from unknown customer ${d.customerId}`);
  await tx.complaint.create({
    data: {
      id: `cmp_${crypto.randomUUID()}`,
      customerId: d.customerId,
      reference: d.reference ?? null,
      channel: d.channel,
      receivedAt: new Date(d.receivedAt),
      text: d.text ?? null,
      disruptionId: match.disruption?.id ?? null,
    },
  });
  out.notes.push(match.reason);
  if (!match.disruption) return;
  if (match.complainedFirst)
    await tx.disruption.update({ where: { id: match.disruption.id }, data: { complainedFirst: true } });
  await addTimeline(
    tx,
    match.disruption.id,
    new Date(d.receivedAt),
    "complaint",
    match.complainedFirst ? "Customer complained before we reached them" : "Customer complaint received",
    match.reason,
  );
}
