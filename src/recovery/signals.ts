import { matchComplaint, resolvedSubjects } from "../detection/index.ts";
import {
  insertTimeline,
  OPEN_STATUSES,
  openDisruptions,
  planDetection,
  planWrites,
  runInOrder,
} from "./apply-detection.ts";
import { emptyOutcome, parseStoredOutcome, type SignalOutcome } from "./outcome.ts";
import type { RecoveryServices } from "./services.ts";
import { attentionRows, logIgnored, recordIssues, supersedeHolds } from "./signal-issues.ts";
import {
  customerIdsOf,
  isDetecting,
  knownCustomers,
  type Signal,
  shipmentUpsert,
  subjectDecisions,
  subjectsOf,
} from "./subject-decisions.ts";
import { addTimeline, timelineRow } from "./timeline.ts";

export { OPEN_STATUSES } from "./apply-detection.ts";
export type { SignalOutcome } from "./outcome.ts";
export type { Signal } from "./subject-decisions.ts";

type Tx = Parameters<Parameters<RecoveryServices["prisma"]["$transaction"]>[0]>[0];

/**
 * Turn one accepted signal into disruption decisions, in one transaction.
 * Idempotent: the outcome is stored on the InboundEvent, and a repeat (a step
 * retried after a crash) returns the stored outcome instead of deciding again.
 * A subject whose customer is unknown is held (a SignalIssue row), never
 * blocking the others; every part not acted on is in `outcome.ignored` and
 * logged once, when decided.
 */
export async function handleSignal(svc: RecoveryServices, signal: Signal): Promise<SignalOutcome> {
  let decided = false;
  const outcome = await svc.prisma.$transaction(async (tx) => {
    const inbound = await tx.inboundEvent.findUnique({ where: { id: signal.id } });
    if (inbound?.outcome) return parseStoredOutcome(inbound.outcome);
    const out = emptyOutcome();
    await decide(tx, svc, signal, out);
    // Without a stored event (sent to the engine directly) nothing can be released or listed later.
    if (inbound) {
      await recordIssues(tx, attentionRows(signal, out, svc.now()));
      await tx.inboundEvent.update({ where: { id: signal.id }, data: { outcome: JSON.stringify(out) } });
    }
    decided = true;
    return out;
  });
  if (decided) logIgnored(svc.logger, signal, outcome.ignored);
  return outcome;
}

async function decide(tx: Tx, svc: RecoveryServices, signal: Signal, out: SignalOutcome): Promise<void> {
  const now = svc.now();
  const source = { id: signal.id, type: signal.type, at: new Date(signal.occurredAt) };
  await supersedeHolds(tx, signal.id, subjectsOf(signal), now);
  if (isDetecting(signal)) {
    const customers = await knownCustomers(tx, customerIdsOf(signal));
    if (signal.type === "shipment.eta_updated" && customers.has(signal.data.customerId))
      await shipmentUpsert(tx, signal.data);
    const decisions = subjectDecisions(signal, { settings: svc.settings, now, customers });
    const open = await openDisruptions(
      tx,
      decisions.flatMap((d) => ("detection" in d ? [d.subjectKey] : [])),
    );
    const plans = [];
    for (const decision of decisions) {
      if ("ignored" in decision) out.ignored.push(decision.ignored);
      else
        plans.push(planDetection(tx, decision.detection, decision.facts, source, out, open.get(decision.subjectKey)));
    }
    await runInOrder(planWrites(tx, plans));
    if (signal.type === "flight.status_changed") await resolve(tx, signal, now, out);
    return;
  }
  switch (signal.type) {
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

async function resolve(tx: Tx, signal: Signal, now: Date, out: SignalOutcome): Promise<void> {
  const resolution = resolvedSubjects(signal as never);
  if (!resolution) return;
  const open = await tx.disruption.findMany({
    where: { subjectKey: { in: resolution.subjectKeys }, status: { in: OPEN_STATUSES } },
  });
  if (open.length === 0) {
    out.ignored.push({ reason: "nothing_open", detail: `${resolution.reason} Nothing was open to resolve.` });
    return;
  }
  const ids = open.map((d) => d.id);
  for (let i = 0; i < ids.length; i += 90)
    await tx.disruption.updateMany({
      where: { id: { in: ids.slice(i, i + 90) } },
      data: {
        status: "resolved",
        resolvedAt: new Date(signal.occurredAt),
        resolution: JSON.stringify(resolution.facts),
      },
    });
  await insertTimeline(
    tx,
    ids.map((id) => timelineRow(id, now, "resolved", "Resolved", resolution.reason)),
  );
  out.resolved.push(...ids);
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
  if (!exists) {
    out.ignored.push({
      reason: "unknown_customer",
      detail: `Complaint from ${d.customerId}, who has no customer record; not recorded.`,
      customerId: d.customerId,
    });
    return;
  }
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
  if (!match.disruption) {
    out.ignored.push({
      reason: "complaint_unmatched",
      detail: `Complaint recorded; it matches no disruption. ${match.reason}`,
      customerId: d.customerId,
    });
    return;
  }
  out.updated.push(match.disruption.id);
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
