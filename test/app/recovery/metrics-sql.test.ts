/**
 * The trust and delivery metrics computed in SQL agree with their definition over rows
 * (`trustMetrics` in src/recovery/metrics.ts), on generated disruptions with every edge:
 * superseded ones, none told, complaints first, promises due or not yet, kinds, a period.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { trustMetrics } from "../../../src/recovery/metrics.ts";
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

test("SQL metrics equal the row-by-row definition for periods and kinds", async () => {
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
    expect(await loadTrustMetrics(prisma, period, NOW)).toEqual(expected);
  }
  const perDay = await disruptionsPerDay(prisma, { from: new Date(T0), to: new Date(T0 + 10 * 86_400_000 - 1) });
  const inFirstTen = rows.filter((d) => d.status !== "superseded" && d.detectedAt.getTime() < T0 + 10 * 86_400_000);
  expect(perDay.reduce((n, d) => n + d.proactive + d.complainedFirst, 0)).toBe(inFirstTen.length);
  expect(perDay.reduce((n, d) => n + d.complainedFirst, 0)).toBe(inFirstTen.filter((d) => d.complainedFirst).length);
});
