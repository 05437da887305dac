import { expect, test } from "vitest";
import { percentile, trustMetrics } from "../../../src/recovery/metrics.ts";

const t = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const base = { kind: "shipment_delay", complainedFirst: false, followUpDueAt: null, followUpSentAt: null };

test("proactive rate counts only notified disruptions, and a complaint first counts against it", () => {
  const m = trustMetrics({
    disruptions: [
      { ...base, signalAt: t(0), firstMessageAt: t(2) },
      { ...base, signalAt: t(0), firstMessageAt: t(4), complainedFirst: true },
      { ...base, signalAt: t(0), firstMessageAt: null },
    ],
    grants: [],
    pendingApprovals: [],
    deliveryFailures: 0,
    now: t(10),
  });
  expect(m).toMatchObject({ disruptions: 3, notified: 2, proactiveRate: 0.5 });
  expect(m.timeToNotifyMs).toEqual({ p50: 2000, p95: 4000 });
});

test("promise kept compares the follow-up with when it was due; spend groups by kind and currency", () => {
  const m = trustMetrics({
    disruptions: [
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(100), followUpSentAt: t(90) },
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(100), followUpSentAt: t(120) },
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(100), followUpSentAt: null },
    ],
    grants: [
      { kind: "voucher", currency: "EUR", value: 50 },
      { kind: "voucher", currency: "EUR", value: 50 },
      { kind: "credit", currency: "EUR", value: 15 },
    ],
    pendingApprovals: [{ requestedAt: t(40) }, { requestedAt: t(70) }],
    deliveryFailures: 1,
    now: t(100),
  });
  expect(m.promiseKept).toEqual({ kept: 1, promised: 3, rate: 1 / 3 });
  expect(m.gestureSpend).toEqual([
    { kind: "credit", currency: "EUR", total: 15, count: 1 },
    { kind: "voucher", currency: "EUR", total: 100, count: 2 },
  ]);
  expect(m.pendingApprovals).toEqual({ count: 2, oldestAgeMs: 60_000 });
});

test("percentiles use the nearest rank", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  expect(percentile(values, 50)).toBe(50);
  expect(percentile(values, 95)).toBe(95);
  expect(percentile([], 50)).toBeNull();
});

test("promise kept counts only follow-ups that are due (or were sent early); one not yet due is not broken", () => {
  const m = trustMetrics({
    disruptions: [
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(500), followUpSentAt: t(90) },
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(500), followUpSentAt: null },
      { ...base, signalAt: t(0), firstMessageAt: t(1), followUpDueAt: t(50), followUpSentAt: null },
    ],
    grants: [],
    pendingApprovals: [],
    deliveryFailures: 0,
    now: t(100),
  });
  expect(m.promiseKept).toEqual({ kept: 1, promised: 2, rate: 0.5 });
});
