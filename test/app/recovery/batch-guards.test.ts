import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { decideApproval } from "../../../src/recovery/decide-approval.ts";
import { planGesture, requestApproval, settleGesture } from "../../../src/recovery/plan-gesture.ts";
import { uncachedReferenceData } from "../../../src/recovery/reference-data.ts";
import type { RecoveryServices } from "../../../src/recovery/services.ts";
import { handleSignal, type Signal } from "../../../src/recovery/signals.ts";
import { publishStatements, saveDraft } from "../../../src/templates/studio.ts";
import { seededServices } from "./seeded-services.ts";

/**
 * Signal handling, approvals and template saves write in batches after plain reads (no
 * interactive transaction: D1 has none, and across threads they queue on SQLite's write lock).
 * Callers running at the same moment all read the same state; these tests run them at once and
 * check that the guards — the outcome stored once, one open disruption per subject, a claim on
 * the pending row, the version's unique key — keep the result as if they had run one by one.
 */
const NOW = new Date("2026-03-10T10:00:00Z");
let prisma: PrismaClient;
let svc: RecoveryServices;

beforeAll(async () => {
  svc = await seededServices("batch-guards", NOW);
  prisma = svc.prisma;
});
afterAll(() => prisma.$disconnect());

const customer = (id: string, tier = "standard") =>
  prisma.customer.create({ data: { id, name: `Customer ${id}`, email: `${id}@example.com`, tier } });

function etaSignal(id: string, orderId: string, customerId: string, lateHours: number): Signal {
  const promisedBy = new Date(NOW.getTime() + 86_400_000);
  return {
    id,
    type: "shipment.eta_updated",
    occurredAt: NOW.toISOString(),
    data: {
      orderId,
      customerId,
      promisedBy: promisedBy.toISOString(),
      newEta: new Date(promisedBy.getTime() + lateHours * 3_600_000).toISOString(),
    },
  };
}

/** As the API stores an accepted event before it hands it to the engine. */
const stored = (signal: Signal) =>
  prisma.inboundEvent.create({
    data: {
      id: signal.id,
      type: signal.type,
      bodyHash: signal.id,
      body: JSON.stringify(signal),
      occurredAt: new Date(signal.occurredAt),
    },
  });

test("two carrier updates for one order decided at the same moment open one disruption, and the other updates it", async () => {
  await customer("c-race");
  const first = etaSignal("evt-race-1", "R-1", "c-race", 30);
  const second = etaSignal("evt-race-2", "R-1", "c-race", 80);
  await Promise.all([stored(first), stored(second)]);

  const [a, b] = await Promise.all([handleSignal(svc, first), handleSignal(svc, second)]);

  const disruptions = await prisma.disruption.findMany({ where: { subjectKey: "order:R-1" } });
  expect(disruptions.map((d) => d.status)).toEqual(["open"]);
  const [open] = disruptions;
  // One of them opened it; the other, decided again on fresh reads, updated (or superseded) it.
  expect([...a.opened, ...b.opened]).toEqual([open?.id]);
  expect([...a.updated, ...b.updated, ...a.superseded, ...b.superseded]).toHaveLength(1);
  // Each outcome is stored once, on its own event.
  const outcomes = await prisma.inboundEvent.findMany({ where: { id: { in: [first.id, second.id] } } });
  expect(outcomes.map((o) => JSON.parse(o.outcome ?? "null"))).toEqual(expect.arrayContaining([a, b]));
});

test("the same signal decided twice at once (a retried step beside the first) writes once and answers the same", async () => {
  await customer("c-twice");
  const signal = etaSignal("evt-twice", "T-1", "c-twice", 30);
  await stored(signal);

  const [a, b] = await Promise.all([handleSignal(svc, signal), handleSignal(svc, signal)]);

  expect(b).toEqual(a);
  expect(await prisma.disruption.count({ where: { subjectKey: "order:T-1" } })).toBe(1);
  const [d] = await prisma.disruption.findMany({ where: { subjectKey: "order:T-1" } });
  const lines = await prisma.timelineEntry.findMany({ where: { disruptionId: d?.id } });
  expect(lines.map((l) => l.type).sort()).toEqual(["detection", "signal"]);
});

test("a subject never holds two open disruptions, whoever writes them", async () => {
  await customer("c-index");
  const row = (id: string) => ({
    id,
    customerId: "c-index",
    kind: "shipment_delay",
    subjectKey: "order:I-1",
    severity: "medium",
    reason: "late",
    facts: "{}",
    signalAt: NOW,
  });
  await prisma.disruption.create({ data: row("dis_index_1") });
  await expect(prisma.disruption.create({ data: row("dis_index_2") })).rejects.toMatchObject({ code: "P2002" });
  // Once the first is resolved, the subject may open again.
  await prisma.disruption.update({ where: { id: "dis_index_1" }, data: { status: "resolved" } });
  await prisma.disruption.create({ data: row("dis_index_2") });
  expect(await prisma.disruption.count({ where: { subjectKey: "order:I-1" } })).toBe(2);
});

/** A VIP's badly late order: the policy proposes a gift above the approval limit. */
async function pendingGift(id: string) {
  await customer(id, "vip");
  const signal = etaSignal(`evt-${id}`, `G-${id}`, id, 80);
  const [disruptionId] = (await handleSignal(svc, signal)).opened;
  if (!disruptionId) throw new Error("no disruption opened");
  const plan = await planGesture(svc, disruptionId);
  expect(plan.needsApproval).toBe(true);
  return { disruptionId, plan };
}

test("two managers deciding at once: one decision stands, the other is told nothing is pending", async () => {
  const { disruptionId, plan } = await pendingGift("c-managers");
  await requestApproval(svc, disruptionId, plan, 3_600_000);
  const sent: unknown[] = [];
  const deps = { prisma, now: () => NOW, inngest: { send: async (e: unknown) => sent.push(e) } as never };

  const results = await Promise.allSettled([
    decideApproval(deps, { disruptionId, decision: "approve", by: "Ana" }),
    decideApproval(deps, { disruptionId, decision: "deny", by: "Ben" }),
  ]);

  expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
  expect(results.find((r) => r.status === "rejected")).toMatchObject({ reason: { code: "conflict" } });
  expect(sent).toHaveLength(1);
  const approvals = await prisma.approval.findMany({ where: { disruptionId } });
  expect(approvals).toHaveLength(1);
  expect(approvals[0]?.status).toBe(results[0]?.status === "fulfilled" ? "approved" : "denied");
});

test("an approval asked for twice (a repeated step) is one approval", async () => {
  const { disruptionId, plan } = await pendingGift("c-ask-twice");
  const [a, b] = await Promise.all([
    requestApproval(svc, disruptionId, plan, 3_600_000),
    requestApproval(svc, disruptionId, plan, 3_600_000),
  ]);
  expect(b).toBe(a);
  expect(await prisma.approval.count({ where: { disruptionId } })).toBe(1);
});

test("a decision claimed as the wait timed out is honoured, and settling again answers the same", async () => {
  const { disruptionId, plan } = await pendingGift("c-late-decision");
  await requestApproval(svc, disruptionId, plan, 3_600_000);
  const deps = { prisma, now: () => NOW, inngest: { send: async () => {} } as never };
  await decideApproval(deps, { disruptionId, decision: "approve", by: "Ana" });

  // The workflow's wait timed out before the decision's event reached it: no decision passed in.
  const settled = await settleGesture(svc, disruptionId, plan, null);
  expect(settled.grantId).toBe(plan.grantId);
  const grant = await prisma.gestureGrant.findUniqueOrThrow({ where: { id: plan.grantId ?? "" } });
  expect(grant.status).toBe("granted");
  expect(await settleGesture(svc, disruptionId, plan, null)).toEqual(settled);
});

test("a timeout settled twice at once grants the lesser gesture once, and both answer with it", async () => {
  const { disruptionId, plan } = await pendingGift("c-timeout");
  expect(plan.fallbackGestureId).not.toBeNull();
  await requestApproval(svc, disruptionId, plan, 3_600_000);

  const [a, b] = await Promise.all([
    settleGesture(svc, disruptionId, plan, null),
    settleGesture(svc, disruptionId, plan, null),
  ]);

  const grants = await prisma.gestureGrant.findMany({ where: { disruptionId }, orderBy: { createdAt: "asc" } });
  expect(grants.map((g) => g.status)).toEqual(["expired", "granted"]);
  expect(a.grantId).toBe(grants[1]?.id);
  expect(b.grantId).toBe(grants[1]?.id);
  const approval = await prisma.approval.findFirstOrThrow({ where: { disruptionId } });
  expect(approval.status).toBe("expired");
  const d = await prisma.disruption.findUniqueOrThrow({ where: { id: disruptionId } });
  expect(d.status).toBe("open");
});

test("two drafts of one template saved at once get the next two version numbers", async () => {
  const key = { kind: "shipment_delay", channel: "sms", locale: "en" } as const;
  const body = (n: number) => ({
    body: `Hi {{ customer.firstName }}, order {{ shipment.orderId }} is late (${n}). {{ optOutText }}`,
  });
  const results = await Promise.all([1, 2, 3].map((n) => saveDraft(prisma, key as never, body(n), "ana", NOW)));
  const versions = results.map((r) => (r.ok ? r.version.version : Number.NaN));
  expect(results.map((r) => r.ok)).toEqual([true, true, true]);
  expect(new Set(versions).size).toBe(3);
  expect(Math.max(...versions) - Math.min(...versions)).toBe(2);
});

test("two publishes of one template run statement by statement, as D1 runs a batch, leave the later one published; one stopped midway leaves one published, never none", async () => {
  const key = { kind: "shipment_delay", channel: "sms", locale: "fr" } as const;
  const draft = async (n: number) => {
    const saved = await saveDraft(
      prisma,
      key,
      { body: `Bonjour {{ customer.firstName }}, commande {{ shipment.orderId }} en retard (${n}). {{ optOutText }}` },
      "ana",
      NOW,
    );
    if (!saved.ok) throw new Error("draft refused");
    return saved.version.version;
  };
  const published = async () =>
    (
      await prisma.templateVersion.findMany({ where: { ...key, status: "published" }, orderBy: { version: "asc" } })
    ).map((v) => v.version);
  const [a, b] = [await draft(1), await draft(2)];
  expect(await published()).toEqual([1]);
  // Editor A publishes a second before editor B; their statements interleave.
  const first = publishStatements(prisma, key, a, new Date(NOW.getTime() + 1000));
  const second = publishStatements(prisma, key, b, new Date(NOW.getTime() + 2000));
  await first.publish;
  await second.publish;
  await first.archiveEarlier;
  await second.archiveEarlier;
  expect(await published()).toEqual([b]);

  // A publish stopped after its first statement (a fault on D1): two published, the newer one read.
  const c = await draft(3);
  await publishStatements(prisma, key, c, new Date(NOW.getTime() + 3000)).publish;
  expect(await published()).toEqual([b, c]);
  expect((await uncachedReferenceData(prisma).publishedTemplate("shipment_delay", "sms", ["fr"]))?.version).toBe(c);
  // Publishing again finishes it.
  const again = publishStatements(prisma, key, c, new Date(NOW.getTime() + 4000));
  await prisma.$transaction([again.publish, again.archiveEarlier]);
  expect(await published()).toEqual([c]);
});

/**
 * The services with D1's batch: Prisma's D1 adapter runs a batch statement by statement and
 * cannot roll back. `racer` runs once, after the signal's reads and before its writes; with
 * `stopAt`, the first batch stops before that statement (a fault midway: the rest never runs).
 */
function withD1Batches(racer: () => Promise<unknown>, opts: { stopAt?: number } = {}): RecoveryServices {
  let raced = false;
  let stopped = opts.stopAt === undefined;
  const d1 = new Proxy(prisma, {
    get(target, property, receiver) {
      if (property !== "$transaction") return Reflect.get(target, property, receiver);
      return async (statements: Array<Promise<unknown>>) => {
        if (!raced) {
          raced = true;
          await racer();
        }
        const results: unknown[] = [];
        for (const [i, statement] of statements.entries()) {
          if (!stopped && i === opts.stopAt) {
            stopped = true;
            throw new Error(`D1 batch stopped before statement ${i}`);
          }
          results.push(await statement);
        }
        return results;
      };
    },
  });
  return { ...svc, prisma: d1 };
}

/** A racer: another signal opens a cancellation for this booking. */
const openedElsewhere = (id: string, bookingRef: string) => () =>
  prisma.disruption.create({
    data: {
      id,
      customerId: `c-${bookingRef}`,
      kind: "flight_cancelled",
      subjectKey: `booking:${bookingRef}`,
      severity: "high",
      reason: "opened by another signal",
      facts: "{}",
      signalAt: NOW,
    },
  });

/** `n` booking references, each with its customer. */
async function passengers(prefix: string, n: number): Promise<string[]> {
  const refs = Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
  for (const ref of refs) await customer(`c-${ref}`);
  return refs;
}

/** The signal's first batch stops before that statement, as a D1 batch can; the step fails. */
const stoppedBefore = (statement: number, signal: Signal) =>
  expect(
    handleSignal(
      withD1Batches(async () => {}, { stopAt: statement }),
      signal,
    ),
  ).rejects.toThrow(/stopped/);

function flightSignal(id: string, flightNumber: string, status: string, refs: string[]): Signal {
  return {
    id,
    type: "flight.status_changed",
    occurredAt: NOW.toISOString(),
    data: {
      flightNumber,
      date: "2026-03-10",
      status,
      ...(status === "delayed" ? { delayMinutes: 180 } : {}),
      bookings: refs.map((ref) => ({ bookingRef: ref, customerId: `c-${ref}` })),
    },
  } as Signal;
}

test("on D1, a cancellation that supersedes delays and loses a race midway still links, reports and notes every delay it replaced", async () => {
  const refs = await passengers("PNR-SUP", 12);
  const delayed = flightSignal("evt-sup-delay", "MG888", "delayed", refs.slice(0, 11));
  await stored(delayed);
  const delays = (await handleSignal(svc, delayed)).opened;
  expect(delays).toHaveLength(11);

  const cancelled = flightSignal("evt-sup-cancel", "MG888", "cancelled", refs);
  await stored(cancelled);
  // The last booking is opened by another signal between this one's reads and its writes: its
  // chunk of new disruptions fails after the delays were superseded and the first chunk written.
  const out = await handleSignal(withD1Batches(openedElsewhere("dis_sup_racer", refs.at(-1) as string)), cancelled);

  expect([...out.superseded].sort()).toEqual([...delays].sort());
  expect(out.opened).toHaveLength(11);
  for (const id of delays) {
    const old = await prisma.disruption.findUniqueOrThrow({ where: { id } });
    expect(old.status).toBe("superseded");
    const replacement = await prisma.disruption.findUniqueOrThrow({ where: { id: old.supersededById ?? "" } });
    expect(replacement.subjectKey).toBe(old.subjectKey);
    expect(out.opened).toContain(replacement.id);
    expect(await prisma.timelineEntry.count({ where: { disruptionId: id, type: "superseded" } }), id).toBe(1);
  }
});

test("on D1, a flight whose batch stopped inside its timeline writes each line once when the step runs again", async () => {
  const refs = await passengers("PNR-TL", 12);
  const signal = flightSignal("evt-tl-cancel", "MG889", "cancelled", refs);
  await stored(signal);
  // The batch: the holds' update, two chunks of 8 + 4 disruptions, two chunks of the 24 lines
  // (14 + 10), then the outcome. It stops before the second chunk of lines.
  await stoppedBefore(4, signal);
  const ids = (
    await prisma.disruption.findMany({ where: { subjectKey: { in: refs.map((r) => `booking:${r}`) } } })
  ).map((d) => d.id);
  expect(ids).toHaveLength(12);
  const written = await prisma.timelineEntry.count({ where: { disruptionId: { in: ids } } });
  expect(written).toBeGreaterThan(0);
  expect(written).toBeLessThan(24);

  // The step runs again.
  const out = await handleSignal(svc, signal);
  expect([...out.opened].sort()).toEqual([...ids].sort());
  for (const id of ids)
    for (const type of ["signal", "detection"])
      expect(await prisma.timelineEntry.count({ where: { disruptionId: id, type } }), `${id} ${type}`).toBe(1);
});

test("on D1, a flight whose batch loses a race on a later chunk still opens, and starts, every booking it inserted before", async () => {
  const refs = await passengers("PNR-D1", 12);
  const signal = flightSignal("evt-d1-flight", "MG777", "cancelled", refs);
  await stored(signal);
  // Another signal opens the last booking between this one's reads and its writes: the chunk that
  // holds it fails on the one-open-per-subject index, after the first chunk was written.
  const out = await handleSignal(withD1Batches(openedElsewhere("dis_racer", refs.at(-1) as string)), signal);

  const mine = await prisma.disruption.findMany({ where: { subjectKey: { in: refs.map((r) => `booking:${r}`) } } });
  expect(mine).toHaveLength(12);
  // Every booking but the racer's was opened by this signal and is reported so: its recovery starts.
  expect(out.opened.sort()).toEqual(
    mine
      .filter((d) => d.id !== "dis_racer")
      .map((d) => d.id)
      .sort(),
  );
  expect(out.opened).toHaveLength(11);
  // Each opened one has its timeline, once.
  for (const id of out.opened) {
    const lines = await prisma.timelineEntry.findMany({ where: { disruptionId: id, type: "detection" } });
    expect(lines, id).toHaveLength(1);
  }
});

test("on D1, a departure whose batch stopped after resolving still tells every recovery it resolved when the step runs again", async () => {
  const refs = await passengers("PNR-RES", 3);
  const delayed = flightSignal("evt-res-delay", "MG890", "delayed", refs);
  await stored(delayed);
  const delays = (await handleSignal(svc, delayed)).opened;
  expect(delays).toHaveLength(3);

  const departed = flightSignal("evt-res-departed", "MG890", "departed", refs);
  await stored(departed);
  // The batch: the holds' update, the disruptions resolved, their timeline lines, then the outcome.
  // It stops before the lines.
  await stoppedBefore(2, departed);
  const after = await prisma.disruption.findMany({ where: { id: { in: delays } } });
  expect(after.map((d) => d.status)).toEqual(["resolved", "resolved", "resolved"]);
  expect(await prisma.timelineEntry.count({ where: { disruptionId: { in: delays }, type: "resolved" } })).toBe(0);

  // The step runs again: nothing is open any more, yet these are this signal's resolutions.
  const out = await handleSignal(svc, departed);
  expect([...out.resolved].sort()).toEqual([...delays].sort());
  for (const id of delays)
    expect(await prisma.timelineEntry.count({ where: { disruptionId: id, type: "resolved" } }), id).toBe(1);
});

test("a try that decided on a stale read stores nothing over the outcome another try stored, and answers with that one", async () => {
  await customer("c-stale");
  const signal = etaSignal("evt-stale", "S-1", "c-stale", 30);
  await stored(signal);
  // Another try's outcome, stored after this try read none (its read is made to say so).
  const theirs = { opened: [], updated: [], resolved: [], superseded: [], ignored: [] };
  await prisma.inboundEvent.update({ where: { id: signal.id }, data: { outcome: JSON.stringify(theirs) } });
  let stale = true;
  const staleFirstRead = prisma.$extends({
    query: {
      inboundEvent: {
        async findUnique({ args, query }) {
          const row = await query(args);
          if (!stale || !row) return row;
          stale = false;
          return { ...row, outcome: null };
        },
      },
    },
  }) as unknown as PrismaClient;

  const answer = await handleSignal({ ...svc, prisma: staleFirstRead }, signal);

  expect(stale).toBe(false);
  expect(answer).toEqual(theirs);
  const row = await prisma.inboundEvent.findUniqueOrThrow({ where: { id: signal.id } });
  expect(JSON.parse(row.outcome ?? "null")).toEqual(theirs);
  // Its decision's writes went with the failed batch: no disruption was opened.
  expect(await prisma.disruption.count({ where: { subjectKey: "order:S-1" } })).toBe(0);
});
