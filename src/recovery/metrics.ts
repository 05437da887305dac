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

/**
 * Gestures that waited for a manager: the apology goes at once, the gesture follows in its own
 * message once a manager decides (the gift, or the lesser gesture when denied or timed out).
 */
export interface GestureFollowUpMetrics {
  /** Gestures that needed a manager's approval, in disruptions of the period. */
  requested: number;
  approved: number;
  denied: number;
  /** No decision in time: the lesser gesture went. */
  timedOut: number;
  pending: number;
  /** How many of those customers had their apology before the manager decided (or while still undecided). */
  apologyFirst: number;
  apologyFirstRate: number | null;
  /** Decided, and the gesture's own message was sent. */
  gestureMessages: number;
  /** Manager's decision (or the timeout) → the gesture's message accepted by the provider. */
  decisionToMessageMs: { p50: number | null; p95: number | null };
}

export interface MetricApproval {
  status: string;
  decidedAt: Date | null;
  /** The disruption's first message (the apology). */
  firstMessageAt: Date | null;
  /** The first gesture message the provider accepted. */
  gestureSentAt: Date | null;
}

export function gestureFollowUpMetrics(approvals: MetricApproval[]): GestureFollowUpMetrics {
  const count = (status: string) => approvals.filter((a) => a.status === status).length;
  const apologyFirst = approvals.filter(
    (a) => a.firstMessageAt && (!a.decidedAt || a.firstMessageAt <= a.decidedAt),
  ).length;
  const waits = approvals
    .filter((a) => a.decidedAt && a.gestureSentAt)
    .map((a) => Math.max(0, (a.gestureSentAt as Date).getTime() - (a.decidedAt as Date).getTime()))
    .sort((x, y) => x - y);
  return {
    requested: approvals.length,
    approved: count("approved"),
    denied: count("denied"),
    timedOut: count("expired"),
    pending: count("pending"),
    apologyFirst,
    apologyFirstRate: approvals.length ? apologyFirst / approvals.length : null,
    gestureMessages: waits.length,
    decisionToMessageMs: { p50: percentile(waits, 50), p95: percentile(waits, 95) },
  };
}
