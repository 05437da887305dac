/**
 * The trust and delivery metrics read from the daily rollups (src/recovery/metrics-rollup.ts)
 * agree with their definition over rows (`trustMetrics` in src/recovery/metrics.ts; the delivery
 * counts below), on generated disruptions with every edge: superseded ones, none told, complaints
 * first, promises due or not yet, kinds, periods with partial days at their edges — and again
 * after a varied sequence of writes, an erasure, a retention purge and time passing.
 * The two percentiles come from histograms: within 5% of the exact nearest-rank value.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { eraseCustomer } from "../../../src/privacy/erase.ts";
import { purgeExpiredContent } from "../../../src/privacy/retention.ts";
import { loadDeliveryMetrics } from "../../../src/recovery/delivery-metrics.ts";
import { percentile, type TrustMetrics, trustMetrics } from "../../../src/recovery/metrics.ts";
import { disruptionsPerDay, loadTrustMetrics } from "../../../src/recovery/metrics-query.ts";
import { startRuntime } from "../events/harness.ts";

let env: Awaited<ReturnType<typeof startRuntime>>;
beforeAll(async () => {
  env = await startRuntime();
}, 60_000);
afterAll(() => env.stop());

const T0 = Date.parse("2026-03-01T00:00:00Z");
const NOW = new Date(T0 + 40 * 86_400_000);
const KINDS = ["shipment_delay", "flight_cancelled", "deliverable_error"];

test("the metrics equal the row-by-row definition for periods and kinds (percentiles within a bucket)", async () => {
  const { prisma } = env.runtime;
  await prisma.customer.create({ data: { id: "m-sql", name: "Metric Person" } });
  let seed = 7;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const rows = Array.from({ length: 400 }, (_, i) => {
    const detected = T0 + Math.floor(rnd() * 45 * 86_400_000);
    const due = detected + Math.floor(rnd() * 6 * 86_400_000);
    const sent = rnd() < 0.6 ? due + Math.floor((rnd() - 0.7) * 86_400_000) : null;
    return {
      id: `dis_msql_${i}`,
      customerId: "m-sql",
      kind: KINDS[i % 3] as string,
      subjectKey: `order:msql-${i}`,
      severity: "low",
      status: rnd() < 0.1 ? "superseded" : "resolved",
      reason: "late",
      facts: "{}",
      signalAt: new Date(detected - Math.floor(rnd() * 500)),
      detectedAt: new Date(detected),
      firstMessageAt: rnd() < 0.9 ? new Date(detected + Math.floor(rnd() * 20_000)) : null,
      complainedFirst: rnd() < 0.2,
      followUpDueAt: rnd() < 0.8 ? new Date(due) : null,
      followUpSentAt: sent === null ? null : new Date(sent),
    };
  });
  await prisma.disruption.createMany({ data: rows });
  await prisma.gestureGrant.createMany({
    data: rows.slice(0, 90).map((d, i) => ({
      id: `grant_msql_${i}`,
      disruptionId: d.id,
      customerId: "m-sql",
      gestureId: "g",
      kind: i % 2 ? "meal_voucher" : "discount",
      description: "x",
      value: 5 + (i % 7) * 2.5,
      currency: i % 5 ? "EUR" : "GBP",
      status: i % 4 ? "granted" : "denied",
      reason: "policy",
      createdAt: d.detectedAt,
    })),
  });
  const periods = [
    {},
    { from: new Date(T0 + 10 * 86_400_000), to: new Date(T0 + 30 * 86_400_000) },
    { from: new Date(T0 + 5 * 86_400_000), to: NOW, kind: "flight_cancelled" },
  ];
  for (const period of periods) {
    const inPeriod = (at: Date) =>
      (!("from" in period) || at >= (period.from as Date)) && (!("to" in period) || at <= (period.to as Date));
    const kindOk = (kind: string) => !("kind" in period) || kind === period.kind;
    const expected = trustMetrics({
      disruptions: rows.filter((d) => d.status !== "superseded" && inPeriod(d.detectedAt) && kindOk(d.kind)),
      grants: (await prisma.gestureGrant.findMany({ include: { disruption: true } }))
        .filter((g) => g.status === "granted" && inPeriod(g.createdAt) && kindOk(g.disruption.kind))
        .map((g) => ({ kind: g.kind, currency: g.currency, value: Number(g.value) })),
      pendingApprovals: [],
      deliveryFailures: 0,
      now: NOW,
    });
    expectTrust(await loadTrustMetrics(prisma, period, NOW), expected, JSON.stringify(period));
  }
  const perDay = await disruptionsPerDay(prisma, { from: new Date(T0), to: new Date(T0 + 10 * 86_400_000 - 1) });
  const inFirstTen = rows.filter((d) => d.status !== "superseded" && d.detectedAt.getTime() < T0 + 10 * 86_400_000);
  expect(perDay.reduce((n, d) => n + d.proactive + d.complainedFirst, 0)).toBe(inFirstTen.length);
  expect(perDay.reduce((n, d) => n + d.complainedFirst, 0)).toBe(inFirstTen.filter((d) => d.complainedFirst).length);
});

type Period = { from?: Date; to?: Date; kind?: string };
const DAY = 86_400_000;

/** Within half a histogram bucket (5%; exact below 100 ms) of the exact nearest-rank value. */
function expectNear(actual: number | null, exact: number | null, what: string) {
  if (exact === null || actual === null) return expect(actual, what).toBe(exact);
  if (Math.abs(exact) < 100) return expect(actual, what).toBe(exact);
  expect(Math.abs(actual - exact), `${what}: ${actual} vs ${exact}`).toBeLessThanOrEqual(0.05 * Math.abs(exact));
}

function expectTrust(actual: TrustMetrics, expected: TrustMetrics, what: string) {
  const { timeToNotifyMs: a, gestureSpend: sa, ...restA } = actual;
  const { timeToNotifyMs: e, gestureSpend: se, ...restE } = expected;
  expect(restA, what).toEqual(restE);
  expect(
    sa.map((s) => ({ ...s, total: Math.round(s.total * 100) / 100 })),
    what,
  ).toEqual(se.map((s) => ({ ...s, total: Math.round(s.total * 100) / 100 })));
  expectNear(a.p50, e.p50, `${what} p50`);
  expectNear(a.p95, e.p95, `${what} p95`);
}

/** The definitions over every row as stored now. */
async function definition(prisma: PrismaClient, period: Period, now: Date) {
  const inPeriod = (at: Date) => (!period.from || at >= period.from) && (!period.to || at <= period.to);
  const kindOk = (kind: string) => !period.kind || kind === period.kind;
  const disruptions = await prisma.disruption.findMany();
  const kindOf = new Map(disruptions.map((d) => [d.id, d.kind]));
  const trust = trustMetrics({
    disruptions: disruptions.filter((d) => d.status !== "superseded" && inPeriod(d.detectedAt) && kindOk(d.kind)),
    grants: (await prisma.gestureGrant.findMany())
      .filter((g) => g.status === "granted" && inPeriod(g.createdAt) && kindOk(kindOf.get(g.disruptionId) ?? ""))
      .map((g) => ({ kind: g.kind, currency: g.currency, value: Number(g.value) })),
    pendingApprovals: [],
    deliveryFailures: 0,
    now,
  });
  const messages = (await prisma.message.findMany()).filter(
    (m) => inPeriod(m.createdAt) && kindOk(kindOf.get(m.disruptionId) ?? ""),
  );
  trust.deliveryFailures = messages.filter((m) => m.status === "failed").length;
  const sent = messages.filter((m) => m.status === "sent");
  const keys = [...new Set(sent.map((m) => `${m.channel}|${m.provider ?? "none"}`))].sort();
  const channels = keys.map((key) => {
    const [channel = "", provider = ""] = key.split("|");
    const of = sent.filter((m) => m.channel === channel && (m.provider ?? "none") === provider);
    const reported = of.filter((m) => m.deliveryStatus !== null);
    const delivered = of.filter((m) => m.deliveryStatus === "delivered" || m.deliveryStatus === "complained");
    const delays = of
      .filter((m) => m.sentAt && m.deliveredAt)
      .map((m) => Math.max(0, (m.deliveredAt as Date).getTime() - (m.sentAt as Date).getTime()))
      .sort((x, y) => x - y);
    const timed = delivered.length > 0;
    return {
      channel,
      provider,
      sent: of.length,
      reported: reported.length,
      delivered: delivered.length,
      failed: of.filter((m) => ["bounced", "undelivered", "failed"].includes(m.deliveryStatus ?? "")).length,
      deliveredRate: reported.length ? delivered.length / reported.length : null,
      timeToDeliveredMs: { p50: timed ? percentile(delays, 50) : null, p95: timed ? percentile(delays, 95) : null },
    };
  });
  const delivery = {
    channels,
    refused: messages.filter((m) => m.status === "failed").length,
    fallbacks: messages.filter((m) => m.fallbackFor !== null).length,
    complaints: sent.filter((m) => m.deliveryStatus === "complained").length,
  };
  return { trust, delivery };
}

const PERIODS: Array<[string, Period]> = [
  ["everything", {}],
  ["whole days, to at midnight", { from: new Date(T0 + 10 * DAY), to: new Date(T0 + 30 * DAY) }],
  ["partial edges, one kind", { from: new Date(T0 + 5.5 * DAY + 1234), to: NOW, kind: "flight_cancelled" }],
  ["inside one day", { from: new Date(T0 + 12.25 * DAY), to: new Date(T0 + 12.75 * DAY) }],
  ["from only", { from: new Date(T0 + 20.7 * DAY) }],
  ["to only, one kind", { to: new Date(T0 + 15.2 * DAY), kind: "shipment_delay" }],
  // March whole (its month rows) and days either side.
  ["a whole month inside", { from: new Date(T0 - 0.5 * DAY), to: new Date(T0 + 35.5 * DAY) }],
  [
    "a whole month inside, one kind",
    { from: new Date(T0 - 2 * DAY), to: new Date(T0 + 31 * DAY - 1), kind: "deliverable_error" },
  ],
];

async function expectAllPeriods(prisma: PrismaClient, now: Date, when: string) {
  for (const [name, period] of PERIODS) {
    const want = await definition(prisma, period, now);
    expectTrust(await loadTrustMetrics(prisma, period, now), want.trust, `${when}, ${name}`);
    const got = await loadDeliveryMetrics(prisma, period, now);
    const strip = (d: typeof got) => ({
      ...d,
      channels: d.channels.map(({ timeToDeliveredMs, ...c }) => c),
    });
    expect(strip(got), `${when}, ${name}: delivery`).toEqual(strip(want.delivery));
    got.channels.forEach((c, i) => {
      const exact = want.delivery.channels[i]?.timeToDeliveredMs;
      expectNear(c.timeToDeliveredMs.p50, exact?.p50 ?? null, `${when}, ${name}: ${c.channel} p50`);
      expectNear(c.timeToDeliveredMs.p95, exact?.p95 ?? null, `${when}, ${name}: ${c.channel} p95`);
    });
  }
}

test("the rollups stay equal to the definitions through writes, erasure, retention and time", async () => {
  const { prisma } = env.runtime;
  await prisma.customer.create({
    data: { id: "m-roll", name: "Rollup Person", email: "rollup@example.com", phone: "+447700900123" },
  });
  let seed = 11;
  const rnd = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const disruption = (i: number, detected: number) => ({
    id: `dis_roll_${i}`,
    customerId: "m-roll",
    kind: KINDS[i % 3] as string,
    subjectKey: `order:roll-${i}`,
    severity: "low",
    status: "resolved",
    reason: "late",
    facts: "{}",
    signalAt: new Date(detected - Math.floor(rnd() * 500)),
    detectedAt: new Date(detected),
    firstMessageAt: rnd() < 0.8 ? new Date(detected + Math.floor(rnd() * (rnd() < 0.3 ? 90 : 600_000))) : null,
    complainedFirst: rnd() < 0.2,
    followUpDueAt: rnd() < 0.7 ? new Date(detected + Math.floor(rnd() * 6 * DAY)) : null,
    followUpSentAt: null,
  });
  const rows = Array.from({ length: 300 }, (_, i) => disruption(i, T0 + Math.floor(rnd() * 42 * DAY)));
  await prisma.disruption.createMany({ data: rows });
  const PROVIDERS: Record<string, Array<string | null>> = { email: ["resend", null], sms: ["twilio"] };
  const messages = rows.flatMap((d, i) =>
    (["email", "sms"] as const).map((channel, k) => {
      const created = d.detectedAt.getTime() + Math.floor(rnd() * 2 * DAY);
      const refused = rnd() < 0.1;
      const sentAt = refused ? null : new Date(created + Math.floor(rnd() * 1000));
      const providers = PROVIDERS[channel] ?? [];
      return {
        id: `msg_roll_${i}_${k}`,
        disruptionId: d.id,
        customerId: "m-roll",
        purpose: "apology",
        channel,
        recipient: channel === "email" ? "rollup@example.com" : "+447700900123",
        subject: "Sorry, Rollup Person",
        text: "Dear Rollup Person",
        status: refused ? "failed" : "sent",
        provider: providers[i % providers.length] ?? null,
        idempotencyKey: `roll:${i}:${k}`,
        sentAt,
        createdAt: new Date(created),
        fallbackFor: k === 1 && rnd() < 0.1 ? `msg_roll_${i}_0` : null,
      };
    }),
  );
  await prisma.message.createMany({ data: messages });
  await prisma.gestureGrant.createMany({
    data: rows.slice(0, 120).map((d, i) => ({
      id: `grant_roll_${i}`,
      disruptionId: d.id,
      customerId: "m-roll",
      gestureId: "g",
      kind: i % 2 ? "meal_voucher" : "discount",
      description: "x",
      value: 5 + (i % 7) * 2.5,
      currency: i % 5 ? "EUR" : "GBP",
      status: i % 4 ? "granted" : "denied",
      reason: "policy",
      createdAt: new Date(d.detectedAt.getTime() + 1000),
    })),
  });
  await expectAllPeriods(prisma, NOW, "as inserted");

  // The writes a recovery makes later: delivery reports, follow-ups, complaints, first messages,
  // supersessions, grants and denials, a new disruption on an already computed day.
  for (const m of messages.filter((_, i) => i % 3 === 0)) {
    if (!m.sentAt) continue;
    const report = ["delivered", "delivered", "bounced", "complained", "delivery_delayed"][Math.floor(rnd() * 5)];
    const deliveredAt =
      report === "delivered" || report === "complained"
        ? new Date(m.sentAt.getTime() + Math.floor(rnd() * 60_000))
        : null;
    await prisma.message.update({ where: { id: m.id }, data: { deliveryStatus: report, deliveredAt } });
  }
  for (const d of rows.filter((_, i) => i % 5 === 1)) {
    if (d.followUpDueAt)
      await prisma.disruption.update({
        where: { id: d.id },
        data: { followUpSentAt: new Date(d.followUpDueAt.getTime() + Math.floor((rnd() - 0.6) * DAY)) },
      });
  }
  await prisma.disruption.updateMany({
    where: { id: { in: rows.filter((_, i) => i % 11 === 2).map((d) => d.id) } },
    data: { complainedFirst: true },
  });
  await prisma.disruption.updateMany({
    where: { id: { in: rows.filter((_, i) => i % 13 === 3).map((d) => d.id) } },
    data: { status: "superseded" },
  });
  for (const d of rows.filter((r, i) => i % 7 === 4 && !r.firstMessageAt))
    await prisma.disruption.update({
      where: { id: d.id },
      data: { firstMessageAt: new Date(d.detectedAt.getTime() + 4321) },
    });
  await prisma.gestureGrant.updateMany({
    where: { id: { in: ["grant_roll_1", "grant_roll_2", "grant_roll_5"] } },
    data: { status: "denied" },
  });
  await prisma.gestureGrant.update({ where: { id: "grant_roll_4" }, data: { status: "granted" } });
  await prisma.disruption.create({
    data: { ...disruption(900, T0 + 12.5 * DAY), firstMessageAt: new Date(T0 + 12.5 * DAY + 2500) },
  });
  await expectAllPeriods(prisma, NOW, "after writes");

  // Erasure and retention change what messages said and who they went to, never what is counted.
  const before = await loadTrustMetrics(prisma, {}, NOW);
  expect(await eraseCustomer(prisma, "m-roll", NOW)).not.toBeNull();
  await purgeExpiredContent(prisma, NOW, 1);
  expect(await loadTrustMetrics(prisma, {}, NOW)).toEqual(before);
  await expectAllPeriods(prisma, NOW, "after erasure and retention");

  // Time passes: promises fall due without any write (the days they belong to are recomputed).
  await expectAllPeriods(prisma, new Date(NOW.getTime() + 4 * DAY), "four days later");
  // Reads leave no day marked out of date behind them.
  const dirty = await prisma.$queryRawUnsafe<Array<{ n: unknown }>>(`SELECT count(*) AS n FROM "MetricsDirtyDay"`);
  expect(Number(dirty[0]?.n)).toBe(0);
}, 60_000);
