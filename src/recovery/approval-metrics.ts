import type { PrismaClient } from "../db/generated/node/client.ts";
import { histogramPercentile } from "./histogram.ts";
import type { GestureFollowUpMetrics } from "./metrics.ts";
import type { MetricsFilter } from "./metrics-query.ts";
import { approvalTotals } from "./metrics-rollup.ts";

/**
 * The gestures that waited for a manager, for disruptions detected in the period
 * (`gestureFollowUpMetrics` in ./metrics.ts is the definition), from the daily rollups
 * (./metrics-rollup.ts). Decision → message is read from a histogram: within 5% of the exact value.
 */
export async function loadGestureFollowUps(
  prisma: PrismaClient,
  filter: MetricsFilter,
  now: Date = filter.to ?? new Date(),
): Promise<GestureFollowUpMetrics> {
  const t = await approvalTotals(prisma, filter, now);
  return {
    requested: t.requested,
    approved: t.approved,
    denied: t.denied,
    timedOut: t.expired,
    pending: t.requested - t.approved - t.denied - t.expired,
    apologyFirst: t.apologyFirst,
    apologyFirstRate: t.requested ? t.apologyFirst / t.requested : null,
    gestureMessages: t.gestureSent,
    decisionToMessageMs: {
      p50: histogramPercentile(t.gestureHist, 50),
      p95: histogramPercentile(t.gestureHist, 95),
    },
  };
}
