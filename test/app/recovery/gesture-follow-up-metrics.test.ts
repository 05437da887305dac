/**
 * The metrics of gestures that waited for a manager (`gestureFollowUps` in /api/metrics), read
 * from the `ApprovalDay` rollups, agree with their definition over rows (`gestureFollowUpMetrics`
 * in src/recovery/metrics.ts) for periods with whole and partial days and per kind — as stored,
 * and again after the writes a recovery makes later: a manager decides, the wait times out, the
 * gesture's own message is sent, an apology goes out late, a disruption is superseded.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { loadGestureFollowUps } from "../../../src/recovery/approval-metrics.ts";
import { type GestureFollowUpMetrics, gestureFollowUpMetrics } from "../../../src/recovery/metrics.ts";
import { startRuntime } from "../events/harness.ts";

let env: Awaited<ReturnType<typeof startRuntime>>;
beforeAll(async () => {
  env = await startRuntime();
}, 60_000);
afterAll(() => env.stop());

const DAY = 86_400_000;
const T0 = Date.parse("2026-05-01T00:00:00Z");
const NOW = new Date(T0 + 40 * DAY);
const KINDS = ["shipment_delay", "flight_cancelled", "deliverable_error"];
type Period = { from?: Date; to?: Date; kind?: string };
const PERIODS: Array<[string, Period]> = [
  ["everything", {}],
  ["whole days", { from: new Date(T0 + 5 * DAY), to: new Date(T0 + 25 * DAY) }],
  [
    "partial edges, one kind",
    { from: new Date(T0 + 3.4 * DAY), to: new Date(T0 + 33.6 * DAY), kind: "shipment_delay" },
  ],
  ["inside one day", { from: new Date(T0 + 8.1 * DAY), to: new Date(T0 + 8.9 * DAY) }],
];

/** The definition over every row as stored now. */
async function definition(prisma: PrismaClient, period: Period): Promise<GestureFollowUpMetrics> {
  const inPeriod = (at: Date) => (!period.from || at >= period.from) && (!period.to || at <= period.to);
  const approvals = await prisma.approval.findMany({
    include: { disruption: { include: { messages: { where: { purpose: "gesture", status: "sent" } } } } },
  });
  return gestureFollowUpMetrics(
    approvals
      .filter((a) => a.disruption.status !== "superseded" && inPeriod(a.disruption.detectedAt))
      .filter((a) => !period.kind || a.disruption.kind === period.kind)
      .map((a) => ({
        status: a.status,
        decidedAt: a.decidedAt,
        firstMessageAt: a.disruption.firstMessageAt,
        gestureSentAt:
          a.disruption.messages
            .map((m) => m.sentAt)
            .filter((t): t is Date => t !== null)
            .sort((x, y) => x.getTime() - y.getTime())[0] ?? null,
      })),
  );
}

function expectNear(actual: number | null, exact: number | null, what: string) {
  if (exact === null || actual === null) return expect(actual, what).toBe(exact);
  if (Math.abs(exact) < 100) return expect(actual, what).toBe(exact);
  expect(Math.abs(actual - exact), `${what}: ${actual} vs ${exact}`).toBeLessThanOrEqual(0.05 * Math.abs(exact));
}

async function expectAllPeriods(prisma: PrismaClient, when: string) {
  for (const [name, period] of PERIODS) {
    const want = await definition(prisma, period);
    const got = await loadGestureFollowUps(prisma, period, NOW);
    const { decisionToMessageMs: a, ...restGot } = got;
    const { decisionToMessageMs: e, ...restWant } = want;
    expect(restGot, `${when}, ${name}`).toEqual(restWant);
    expectNear(a.p50, e.p50, `${when}, ${name}: p50`);
    expectNear(a.p95, e.p95, `${when}, ${name}: p95`);
  }
}

test("gesture follow-up metrics equal their definition, as stored and after later writes", async () => {
  const { prisma } = env.runtime;
  await prisma.customer.create({ data: { id: "m-appr", name: "Approval Person" } });
  let seed = 5;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const rows = Array.from({ length: 240 }, (_, i) => {
    const detected = T0 + Math.floor(rnd() * 36 * DAY);
    return {
      id: `dis_appr_${i}`,
      customerId: "m-appr",
      kind: KINDS[i % 3] as string,
      subjectKey: `order:appr-${i}`,
      severity: "high",
      status: "notified",
      reason: "late",
      facts: "{}",
      signalAt: new Date(detected - 200),
      detectedAt: new Date(detected),
      firstMessageAt: rnd() < 0.85 ? new Date(detected + Math.floor(rnd() * 5_000)) : null,
    };
  });
  await prisma.disruption.createMany({ data: rows });
  const STATUSES = ["pending", "approved", "denied", "expired"];
  // The last ten disruptions have no approval yet (one asks for it later).
  const approvals = rows.slice(0, 230).map((d, i) => {
    const status = STATUSES[i % 4] as string;
    const requested = d.detectedAt.getTime() + 1_000;
    // Most decisions come after the apology; a few managers are faster than the outbox.
    const decidedAt = status === "pending" ? null : new Date(requested + Math.floor(rnd() * (i % 9 ? 3_600_000 : 500)));
    return {
      id: `appr_${i}`,
      disruptionId: d.id,
      grantId: `grant_appr_${i}`,
      status,
      requestedAt: new Date(requested),
      expiresAt: new Date(requested + 4 * 3_600_000),
      decidedAt,
    };
  });
  await prisma.approval.createMany({ data: approvals });
  const gestureMessage = (i: number, sentAt: Date | null, createdAt: Date, status = "sent") => ({
    id: `msg_appr_${i}`,
    disruptionId: `dis_appr_${i}`,
    customerId: "m-appr",
    purpose: "gesture",
    channel: "email",
    recipient: "appr@example.com",
    status,
    idempotencyKey: `appr:${i}`,
    sentAt,
    createdAt,
  });
  await prisma.message.createMany({
    data: approvals
      .map((a, i) => ({ a, i }))
      .filter(({ a, i }) => a.decidedAt && i % 5 !== 0)
      .map(({ a, i }) => {
        const sent = new Date((a.decidedAt as Date).getTime() + Math.floor(rnd() * (i % 2 ? 80 : 40_000)));
        return gestureMessage(i, i % 7 === 3 ? null : sent, sent, i % 7 === 3 ? "failed" : "sent");
      }),
  });
  await expectAllPeriods(prisma, "as stored");
  const all = await loadGestureFollowUps(prisma, {}, NOW);
  // The generated data covers every case the figures count.
  expect(all.pending).toBeGreaterThan(0);
  expect(all.apologyFirst).toBeLessThan(all.requested);
  expect(all.gestureMessages).toBeGreaterThan(0);

  // Later: pending ones are decided (one before its apology went), gesture messages go out, a late
  // apology is sent, a disruption is superseded — on days the rollups have already computed.
  // Each kind of write alone, so each trigger is what keeps its day true.
  const decided = approvals.filter((x) => x.status === "pending").slice(0, 12);
  const decidedAt = (n: number) =>
    new Date((decided[n] as (typeof approvals)[0]).requestedAt.getTime() + 60_000 * (n + 1));
  for (const [n, a] of decided.entries())
    await prisma.approval.update({
      where: { id: a.id },
      data: { status: n % 2 ? "approved" : "expired", decidedAt: decidedAt(n) },
    });
  await expectAllPeriods(prisma, "after decisions");
  // Created on a later day than their disruption's (as when a manager decides near midnight): the
  // message's own day is not the one its approval counts in.
  for (const [n, a] of decided.entries()) {
    const i = Number(a.id.slice(5));
    await prisma.message.create({
      data: gestureMessage(i, null, new Date(decidedAt(n).getTime() + 2 * DAY), "queued"),
    });
  }
  await expectAllPeriods(prisma, "after gesture messages queued");
  for (const [n, a] of decided.entries())
    await prisma.message.update({
      where: { id: `msg_appr_${Number(a.id.slice(5))}` },
      data: { status: "sent", sentAt: new Date(decidedAt(n).getTime() + 1_500 * (n + 1)) },
    });
  await expectAllPeriods(prisma, "after gesture messages sent");
  const idOf = (n: number) => Number((decided[n] as (typeof approvals)[0]).id.slice(5));
  await prisma.message.delete({ where: { id: `msg_appr_${idOf(3)}` } });
  await expectAllPeriods(prisma, "after a gesture message deleted");
  await prisma.message.create({
    data: gestureMessage(idOf(3), new Date(decidedAt(3).getTime() + 700), new Date(decidedAt(3).getTime() + 2 * DAY)),
  });
  await expectAllPeriods(prisma, "after a gesture message stored as sent");
  const late = rows[235] as (typeof rows)[0];
  await prisma.approval.create({
    data: {
      id: "appr_235",
      disruptionId: late.id,
      grantId: "grant_appr_235",
      requestedAt: new Date(late.detectedAt.getTime() + 1_000),
      expiresAt: new Date(late.detectedAt.getTime() + DAY),
    },
  });
  await expectAllPeriods(prisma, "after an approval asked for");
  for (const d of rows.filter((r) => !r.firstMessageAt).slice(0, 5))
    await prisma.disruption.update({
      where: { id: d.id },
      data: { firstMessageAt: new Date(d.detectedAt.getTime() + 9 * 3_600_000) },
    });
  await prisma.disruption.update({ where: { id: "dis_appr_6" }, data: { status: "superseded" } });
  await expectAllPeriods(prisma, "after later writes");
  const after = await loadGestureFollowUps(prisma, {}, NOW);
  expect(after.pending).toBe(all.pending - 12 + 1);
  expect(after.gestureMessages).not.toBe(all.gestureMessages);
}, 60_000);
