/**
 * The trust metrics for a period, from the daily rollups (./metrics-rollup.ts), so a year of
 * disruptions is never read row by row. `trustMetrics` in ./metrics.ts is the same definition
 * over rows, kept as the readable spec (test/app/recovery/metrics-sql.test.ts checks the two agree).
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { histogramPercentile } from "./histogram.ts";
import type { TrustMetrics } from "./metrics.ts";
import { deliveryTotals, gestureTotals, trustTotals } from "./metrics-rollup.ts";

export interface MetricsFilter {
  from?: Date;
  to?: Date;
  /** Only this disruption kind (the dashboard's per-kind view). */
  kind?: string;
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * The trust metrics of a period (`trustMetrics` in ./metrics.ts is the definition): whole days
 * from the daily rollups, partial days live (./metrics-rollup.ts). Time to notify is read from
 * histograms: within 5% of the exact nearest-rank value, exact below 100 ms (./histogram.ts).
 */
export async function loadTrustMetrics(prisma: PrismaClient, filter: MetricsFilter, now: Date): Promise<TrustMetrics> {
  const byKind = filter.kind ? { disruption: { kind: filter.kind } } : {};
  const [t, gestureSpend, delivery, pending] = await Promise.all([
    trustTotals(prisma, filter, now),
    gestureTotals(prisma, filter, now),
    deliveryTotals(prisma, filter, now),
    prisma.approval.aggregate({
      where: { status: "pending", ...byKind },
      _count: { _all: true },
      _min: { requestedAt: true },
    }),
  ]);
  const oldest = pending._min.requestedAt;
  return {
    disruptions: t.disruptions,
    notified: t.notified,
    proactiveRate: t.notified ? t.proactive / t.notified : null,
    timeToNotifyMs: { p50: histogramPercentile(t.notifyHist, 50), p95: histogramPercentile(t.notifyHist, 95) },
    promiseKept: { kept: t.kept, promised: t.promised, rate: t.promised ? t.kept / t.promised : null },
    gestureSpend,
    pendingApprovals: {
      count: pending._count._all,
      oldestAgeMs: oldest ? now.getTime() - oldest.getTime() : null,
    },
    deliveryFailures: delivery.reduce((n, d) => n + d.refused, 0),
  };
}

/** Disruptions per day in the period: how many we told first, and how many complained first. */
export async function disruptionsPerDay(
  prisma: PrismaClient,
  filter: MetricsFilter & { from: Date; to: Date },
  now: Date = filter.to,
) {
  const { perDay } = await trustTotals(prisma, filter, now);
  const days = new Map<string, { day: string; proactive: number; complainedFirst: number }>();
  for (let t = filter.from.getTime(); t <= filter.to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, proactive: 0, complainedFirst: 0 });
  }
  for (const [day, r] of perDay) {
    const entry = days.get(day);
    if (!entry) continue;
    entry.complainedFirst += num(r.complained);
    entry.proactive += num(r.disruptions) - num(r.complained);
  }
  return [...days.values()];
}
