import { matchComplaint, resolvedSubjects } from "../detection/index.ts";
import { isNotNullViolation, isUniqueViolation } from "../http/database-errors.ts";
import {
  OPEN_STATUSES,
  openDisruptions,
  planDetection,
  planWrites,
  signalLine,
  supersededEarlier,
  type Writes,
} from "./apply-detection.ts";
import { emptyOutcome, parseStoredOutcome, type SignalOutcome } from "./outcome.ts";
import type { RecoveryServices } from "./services.ts";
import { attentionRows, issueWrites, logIgnored, supersedeHolds } from "./signal-issues.ts";
import {
  customerIdsOf,
  isDetecting,
  knownCustomers,
  type Signal,
  shipmentUpsert,
  subjectDecisions,
  subjectsOf,
} from "./subject-decisions.ts";
import { addTimeline, timelineRow, timelineWrites } from "./timeline.ts";

export { OPEN_STATUSES } from "./apply-detection.ts";
export type { SignalOutcome } from "./outcome.ts";
export type { Signal } from "./subject-decisions.ts";

type Db = RecoveryServices["prisma"];

/** Attempts before a signal that keeps losing races to other writers gives up (its step then retries). */
const MAX_ATTEMPTS = 5;

/**
 * Turn one accepted signal into disruption decisions. No interactive transaction (D1 has none,
 * and across threads they queue on SQLite's write lock): read, decide, then write everything in
 * one batch ending with a guard that stores the outcome on the InboundEvent only if none is stored yet.
 * A batch whose reads went stale (a concurrent signal opened or closed a disruption of the same
 * subject) fails as a whole and is decided again on fresh reads.
 * Idempotent: a repeat (a step retried after a crash) returns the stored outcome.
 * A subject whose customer is unknown is held (a SignalIssue row), never
 * blocking the others; every part not acted on is in `outcome.ignored` and
 * logged once, when decided.
 */
export async function handleSignal(svc: RecoveryServices, signal: Signal): Promise<SignalOutcome> {
  const { prisma } = svc;
  for (let attempt = 1; ; attempt++) {
    const inbound = await prisma.inboundEvent.findUnique({ where: { id: signal.id }, select: { outcome: true } });
    if (inbound?.outcome) return parseStoredOutcome(inbound.outcome);
    const out = emptyOutcome();
    const writes = await decide(prisma, svc, signal, out);
    // Without a stored event (sent to the engine directly) nothing can be released or listed later.
    const guard = inbound
      ? [...issueWrites(prisma, attentionRows(signal, out, svc.now())), storeOutcomeOnce(prisma, signal.id, out)]
      : [];
    try {
      // The outcome goes last. On SQLite the batch is atomic whatever its order; on D1 it is not
      // (Prisma's D1 adapter runs a batch statement by statement and cannot roll back), so a batch
      // that loses a race midway (P2002/P2025) must not have stored its outcome: the retry decides
      // again on fresh reads, and what ran before the failure is written again the same way.
      await prisma.$transaction([...writes, ...guard]);
    } catch (error) {
      if (attempt < MAX_ATTEMPTS && lostRace(error)) continue;
      throw error;
    }
    logIgnored(svc.logger, signal, out.ignored);
    return out;
  }
}

/**
 * The batch's last write: the outcome, stored only if no other try stored one first. Then it
 * fails the whole batch instead, by setting the NOT NULL "bodyHash" to NULL (an UPDATE alone would
 * just change no row). Raw SQL keeps the usual detection batch all raw: Prisma compiles a batch
 * that mixes in a model query anew every time (~1 ms a signal).
 */
function storeOutcomeOnce(db: Db, id: string, out: SignalOutcome) {
  return db.$executeRawUnsafe(
    `UPDATE "InboundEvent" SET "outcome" = ?, "bodyHash" = CASE WHEN "outcome" IS NULL THEN "bodyHash" END
     WHERE "id" = ?`,
    JSON.stringify(out),
    id,
  );
}

/**
 * The batch's reads went stale: a guard found no row to update (P2025) or the outcome stored
 * already, or an open disruption already holds the subject (P2002, or P2010 from the raw INSERT
 * of new disruptions).
 */
function lostRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "P2025" || isUniqueViolation(error) || isNotNullViolation(error, "InboundEvent.bodyHash");
}

/** Reads what the signal touches and plans its writes (run by the caller, in order, in one batch). */
async function decide(db: Db, svc: RecoveryServices, signal: Signal, out: SignalOutcome): Promise<Writes> {
  const now = svc.now();
  const source = { id: signal.id, type: signal.type, at: new Date(signal.occurredAt) };
  const writes: Writes = supersedeHolds(db, signal.id, subjectsOf(signal), now);
  if (isDetecting(signal)) {
    const customers = await knownCustomers(db, customerIdsOf(signal));
    if (signal.type === "shipment.eta_updated" && customers.has(signal.data.customerId))
      writes.push(shipmentUpsert(db, signal.data));
    const decisions = subjectDecisions(signal, { settings: svc.settings, now, customers });
    const subjects = decisions.flatMap((d) => ("detection" in d ? [d.subjectKey] : []));
    const open = await openDisruptions(db, subjects);
    const earlier = await supersededEarlier(db, source, subjects);
    const plans = [];
    for (const decision of decisions) {
      if ("ignored" in decision) out.ignored.push(decision.ignored);
      else {
        const { subjectKey } = decision;
        plans.push(
          planDetection(
            db,
            decision.detection,
            decision.facts,
            source,
            out,
            open.get(subjectKey),
            earlier.get(subjectKey),
          ),
        );
      }
    }
    writes.push(...planWrites(db, plans));
    if (signal.type === "flight.status_changed") writes.push(...(await resolve(db, signal, now, out)));
    return writes;
  }
  switch (signal.type) {
    case "shipment.delivered":
      writes.push(
        db.shipment.updateMany({
          where: { orderId: signal.data.orderId },
          data: { deliveredAt: new Date(signal.data.deliveredAt) },
        }),
      );
      writes.push(...(await resolve(db, signal, now, out)));
      return writes;
    case "deliverable.corrected":
      writes.push(...(await resolve(db, signal, now, out)));
      return writes;
    case "customer.complaint_received":
      writes.push(...(await complaint(db, signal, out)));
      return writes;
  }
  return writes;
}

async function resolve(db: Db, signal: Signal, now: Date, out: SignalOutcome): Promise<Writes> {
  const resolution = resolvedSubjects(signal as never);
  if (!resolution) return [];
  const resolvedAt = new Date(signal.occurredAt);
  const facts = JSON.stringify(resolution.facts);
  // Also what this signal resolved on an earlier try whose batch stopped midway (D1): still its to
  // report, so those recoveries hear of it too.
  const open = await db.disruption.findMany({
    where: {
      subjectKey: { in: resolution.subjectKeys },
      OR: [{ status: { in: OPEN_STATUSES } }, { status: "resolved", resolvedAt, resolution: facts }],
    },
  });
  if (open.length === 0) {
    out.ignored.push({ reason: "nothing_open", detail: `${resolution.reason} Nothing was open to resolve.` });
    return [];
  }
  const ids = open.map((d) => d.id);
  out.resolved.push(...ids);
  const writes: Writes = [];
  for (let i = 0; i < ids.length; i += 90)
    writes.push(
      db.disruption.updateMany({
        where: { id: { in: ids.slice(i, i + 90) } },
        data: { status: "resolved", resolvedAt, resolution: facts },
      }),
    );
  writes.push(
    ...timelineWrites(
      db,
      ids.map((id) => signalLine(signal, timelineRow(id, now, "resolved", "Resolved", resolution.reason))),
    ),
  );
  return writes;
}

async function complaint(
  db: Db,
  signal: Extract<Signal, { type: "customer.complaint_received" }>,
  out: SignalOutcome,
): Promise<Writes> {
  const d = signal.data;
  const open = await db.disruption.findMany({
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
  const exists = await db.customer.findUnique({ where: { id: d.customerId }, select: { id: true } });
  if (!exists) {
    out.ignored.push({
      reason: "unknown_customer",
      detail: `Complaint from ${d.customerId}, who has no customer record; not recorded.`,
      customerId: d.customerId,
    });
    return [];
  }
  const writes: Writes = [
    db.complaint.create({
      data: {
        id: `cmp_${crypto.randomUUID()}`,
        customerId: d.customerId,
        reference: d.reference ?? null,
        channel: d.channel,
        receivedAt: new Date(d.receivedAt),
        text: d.text ?? null,
        disruptionId: match.disruption?.id ?? null,
      },
    }),
  ];
  if (!match.disruption) {
    out.ignored.push({
      reason: "complaint_unmatched",
      detail: `Complaint recorded; it matches no disruption. ${match.reason}`,
      customerId: d.customerId,
    });
    return writes;
  }
  out.updated.push(match.disruption.id);
  if (match.complainedFirst)
    writes.push(db.disruption.update({ where: { id: match.disruption.id }, data: { complainedFirst: true } }));
  writes.push(
    addTimeline(
      db,
      match.disruption.id,
      new Date(d.receivedAt),
      "complaint",
      match.complainedFirst ? "Customer complained before we reached them" : "Customer complaint received",
      match.reason,
    ),
  );
  return writes;
}
