/** Trust metrics (PRODUCT.md), computed from plain rows so they are easy to test. */
export interface MetricDisruption {
  kind: string;
  signalAt: Date;
  firstMessageAt: Date | null;
  complainedFirst: boolean;
  followUpDueAt: Date | null;
  followUpSentAt: Date | null;
}

export interface TrustMetrics {
  disruptions: number;
  notified: number;
  /** Share of notified disruptions where our first message went out before any complaint. */
  proactiveRate: number | null;
  timeToNotifyMs: { p50: number | null; p95: number | null };
  promiseKept: { kept: number; promised: number; rate: number | null };
  gestureSpend: Array<{ kind: string; currency: string; total: number; count: number }>;
  pendingApprovals: { count: number; oldestAgeMs: number | null };
  deliveryFailures: number;
}

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? null;
}

export function trustMetrics(input: {
  disruptions: MetricDisruption[];
  grants: Array<{ kind: string; currency: string; value: number }>;
  pendingApprovals: Array<{ requestedAt: Date }>;
  deliveryFailures: number;
  now: Date;
}): TrustMetrics {
  const notified = input.disruptions.filter((d) => d.firstMessageAt);
  const proactive = notified.filter((d) => !d.complainedFirst).length;
  const delays = notified.map((d) => (d.firstMessageAt as Date).getTime() - d.signalAt.getTime()).sort((a, b) => a - b);
  // A promise counts once it is due (or kept early): one not yet due is neither kept nor broken.
  const promised = input.disruptions.filter(
    (d) => d.followUpDueAt && (d.followUpSentAt || d.followUpDueAt.getTime() <= input.now.getTime()),
  );
  const kept = promised.filter((d) => d.followUpSentAt && d.followUpSentAt <= (d.followUpDueAt as Date)).length;
  const spend = new Map<string, { kind: string; currency: string; total: number; count: number }>();
  for (const g of input.grants) {
    const key = `${g.kind}|${g.currency}`;
    const entry = spend.get(key) ?? { kind: g.kind, currency: g.currency, total: 0, count: 0 };
    entry.total += g.value;
    entry.count += 1;
    spend.set(key, entry);
  }
  const oldest = input.pendingApprovals.reduce<number | null>(
    (min, a) => (min === null || a.requestedAt.getTime() < min ? a.requestedAt.getTime() : min),
    null,
  );
  return {
    disruptions: input.disruptions.length,
    notified: notified.length,
    proactiveRate: notified.length ? proactive / notified.length : null,
    timeToNotifyMs: { p50: percentile(delays, 50), p95: percentile(delays, 95) },
    promiseKept: { kept, promised: promised.length, rate: promised.length ? kept / promised.length : null },
    gestureSpend: [...spend.values()].sort(
      (a, b) => a.kind.localeCompare(b.kind) || a.currency.localeCompare(b.currency),
    ),
    pendingApprovals: {
      count: input.pendingApprovals.length,
      oldestAgeMs: oldest === null ? null : input.now.getTime() - oldest,
    },
    deliveryFailures: input.deliveryFailures,
  };
}
