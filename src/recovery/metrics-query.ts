/**
 * The trust metrics for a period, computed in SQL (counts, sums and the two percentiles by a
 * window function), so a year of disruptions is never loaded row by row. Plain SQLite SQL that
 * D1 runs as well; dates compare as the ISO text both adapters store (src/db/sql-time.ts).
 * `trustMetrics` in ./metrics.ts is the same definition over rows, kept as the readable spec
 * (test/unit checks the two agree).
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import type { TrustMetrics } from "./metrics.ts";

export interface MetricsFilter {
  from?: Date;
  to?: Date;
  /** Only this disruption kind (the dashboard's per-kind view). */
  kind?: string;
}

/** `WHERE` over Disruption (alias d) for a filter; its parameters in order. */
export function disruptionScope(filter: MetricsFilter, column = `d."detectedAt"`) {
  const clauses = [`d."status" <> 'superseded'`];
  const params: unknown[] = [];
  if (filter.from) {
    clauses.push(`${column} >= ?`);
    params.push(sqlTime(filter.from));
  }
  if (filter.to) {
    clauses.push(`${column} <= ?`);
    params.push(sqlTime(filter.to));
  }
  if (filter.kind) {
    clauses.push(`d."kind" = ?`);
    params.push(filter.kind);
  }
  return { where: clauses.join(" AND "), params };
}

/** Milliseconds between two stored DateTimes, in SQL. */
export const msBetween = (from: string, to: string) => `((julianday(${to}) - julianday(${from})) * 86400000.0)`;

/**
 * The p-th percentile (nearest rank, as metrics.percentile) of `expr` over `n` rows of `from`:
 * read from whichever end is nearer, so SQLite keeps only that many rows while it sorts.
 */
export async function percentileSql(
  prisma: PrismaClient,
  p: number,
  n: number,
  expr: string,
  from: string,
  params: unknown[],
): Promise<number | null> {
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * n));
  const [order, offset] = rank - 1 <= n - rank ? ["ASC", rank - 1] : ["DESC", n - rank];
  const rows = await prisma.$queryRawUnsafe<Array<{ v: unknown }>>(
    `SELECT ${expr} AS v FROM ${from} ORDER BY v ${order} LIMIT 1 OFFSET ?`,
    ...params,
    offset,
  );
  return rows[0] === undefined ? null : Math.round(Number(rows[0].v));
}

const num = (v: unknown) => Number(v ?? 0);

export async function loadTrustMetrics(prisma: PrismaClient, filter: MetricsFilter, now: Date): Promise<TrustMetrics> {
  const scope = disruptionScope(filter);
  const range = { gte: filter.from, lte: filter.to };
  const byKind = filter.kind ? { disruption: { kind: filter.kind } } : {};
  const [counts, spend, pending, deliveryFailures] = await Promise.all([
    prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `SELECT count(*) AS disruptions,
         sum(d."firstMessageAt" IS NOT NULL) AS notified,
         sum(d."firstMessageAt" IS NOT NULL AND d."complainedFirst" = 0) AS proactive,
         sum(d."followUpDueAt" IS NOT NULL AND (d."followUpSentAt" IS NOT NULL OR d."followUpDueAt" <= ?)) AS promised,
         sum(d."followUpDueAt" IS NOT NULL AND d."followUpSentAt" IS NOT NULL AND d."followUpSentAt" <= d."followUpDueAt") AS kept
       FROM "Disruption" d WHERE ${scope.where}`,
      sqlTime(now),
      ...scope.params,
    ),
    prisma.$queryRawUnsafe<Array<{ kind: string; currency: string; total: unknown; count: unknown }>>(
      `SELECT g."kind" AS kind, g."currency" AS currency, sum(g."value") AS total, count(*) AS count
       FROM "GestureGrant" g ${filter.kind ? `JOIN "Disruption" d ON d."id" = g."disruptionId" AND d."kind" = ?` : ""}
       WHERE g."status" = 'granted'${filter.from ? ` AND g."createdAt" >= ?` : ""}${filter.to ? ` AND g."createdAt" <= ?` : ""}
       GROUP BY g."kind", g."currency" ORDER BY g."kind", g."currency"`,
      ...[filter.kind, filter.from && sqlTime(filter.from), filter.to && sqlTime(filter.to)].filter(
        (v) => v !== undefined,
      ),
    ),
    prisma.approval.aggregate({
      where: { status: "pending", ...byKind },
      _count: { _all: true },
      _min: { requestedAt: true },
    }),
    prisma.message.count({ where: { createdAt: range, status: "failed", ...byKind } }),
  ]);
  const c = counts[0] ?? {};
  const notified = num(c.notified);
  const promised = num(c.promised);
  const kept = num(c.kept);
  const told = `"Disruption" d WHERE ${scope.where} AND d."firstMessageAt" IS NOT NULL`;
  const delay = msBetween(`d."signalAt"`, `d."firstMessageAt"`);
  const [p50 = null, p95 = null] = await Promise.all(
    [50, 95].map((p) => percentileSql(prisma, p, notified, delay, told, scope.params)),
  );
  const oldest = pending._min.requestedAt;
  return {
    disruptions: num(c.disruptions),
    notified,
    proactiveRate: notified ? num(c.proactive) / notified : null,
    timeToNotifyMs: { p50, p95 },
    promiseKept: { kept, promised, rate: promised ? kept / promised : null },
    gestureSpend: spend.map((s) => ({ kind: s.kind, currency: s.currency, total: num(s.total), count: num(s.count) })),
    pendingApprovals: {
      count: pending._count._all,
      oldestAgeMs: oldest ? now.getTime() - oldest.getTime() : null,
    },
    deliveryFailures,
  };
}

/** Disruptions per day in the period: how many we told first, and how many complained first. */
export async function disruptionsPerDay(prisma: PrismaClient, filter: MetricsFilter & { from: Date; to: Date }) {
  const scope = disruptionScope(filter);
  const rows = await prisma.$queryRawUnsafe<Array<{ day: string; n: unknown; complained: unknown }>>(
    `SELECT substr(d."detectedAt", 1, 10) AS day, count(*) AS n, sum(d."complainedFirst") AS complained
     FROM "Disruption" d WHERE ${scope.where} GROUP BY day`,
    ...scope.params,
  );
  const days = new Map<string, { day: string; proactive: number; complainedFirst: number }>();
  for (let t = filter.from.getTime(); t <= filter.to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, proactive: 0, complainedFirst: 0 });
  }
  for (const r of rows) {
    const entry = days.get(r.day);
    if (!entry) continue;
    entry.complainedFirst += num(r.complained);
    entry.proactive += num(r.n) - num(r.complained);
  }
  return [...days.values()];
}
