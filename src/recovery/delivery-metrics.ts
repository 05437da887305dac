import type { Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import { type MetricsFilter, msBetween } from "./metrics-query.ts";

/** Did what we sent arrive? Per channel and provider, from the providers' delivery reports. */
export interface ChannelDelivery {
  channel: string;
  provider: string;
  /** Accepted by the provider. */
  sent: number;
  /** Of those, how many the provider reported on at all (the outbox never does; webhooks may be off). */
  reported: number;
  delivered: number;
  /** Bounced, undelivered or failed after the provider accepted them. */
  failed: number;
  /** delivered / reported; null when nothing was reported. */
  deliveredRate: number | null;
  /** Provider accepted → provider reported delivered. */
  timeToDeliveredMs: { p50: number | null; p95: number | null };
}

export interface DeliveryMetrics {
  channels: ChannelDelivery[];
  /** Messages a provider refused at once, for good. */
  refused: number;
  /** Messages sent on the other channel because one could not be delivered (refused, bounced, undelivered). */
  fallbacks: number;
  /** Emails the customer marked as spam (email to them is suppressed since). */
  complaints: number;
}

const FAILED = new Set(["bounced", "undelivered", "failed"]);

/** p50 and p95 of provider accepted → delivered per channel and provider, ranked in SQL (a window function). */
function timeToDeliveredRanks(prisma: PrismaClient, filter: MetricsFilter) {
  const params: unknown[] = [];
  const clauses = [`m."status" = 'sent'`, `m."deliveredAt" IS NOT NULL`, `m."sentAt" IS NOT NULL`];
  if (filter.from) {
    clauses.push(`m."createdAt" >= ?`);
    params.push(sqlTime(filter.from));
  }
  if (filter.to) {
    clauses.push(`m."createdAt" <= ?`);
    params.push(sqlTime(filter.to));
  }
  const join = filter.kind ? `JOIN "Disruption" d ON d."id" = m."disruptionId" AND d."kind" = ?` : "";
  if (filter.kind) params.unshift(filter.kind);
  return prisma.$queryRawUnsafe<
    Array<{ channel: string; provider: string | null; ms: unknown; rn: unknown; r50: unknown; r95: unknown }>
  >(
    `SELECT channel, provider, ms, rn, MAX(1, (50 * n + 99) / 100) AS r50, MAX(1, (95 * n + 99) / 100) AS r95 FROM (
       SELECT channel, provider, ms,
         ROW_NUMBER() OVER (PARTITION BY channel, provider ORDER BY ms) AS rn,
         COUNT(*) OVER (PARTITION BY channel, provider) AS n
       FROM (SELECT m."channel" AS channel, m."provider" AS provider, ${msBetween(`m."sentAt"`, `m."deliveredAt"`)} AS ms
             FROM "Message" m ${join} WHERE ${clauses.join(" AND ")}))
     WHERE rn = MAX(1, (50 * n + 99) / 100) OR rn = MAX(1, (95 * n + 99) / 100)`,
    ...params,
  );
}

/** The delivery metrics of messages created in the period (SQL counts and ranks). */
export async function loadDeliveryMetrics(prisma: PrismaClient, filter: MetricsFilter): Promise<DeliveryMetrics> {
  const where: Prisma.MessageWhereInput = {
    createdAt: { gte: filter.from, lte: filter.to },
    ...(filter.kind ? { disruption: { kind: filter.kind } } : {}),
  };
  const [groups, refused, fallbacks, ranks] = await Promise.all([
    prisma.message.groupBy({
      by: ["channel", "provider", "deliveryStatus"],
      where: { ...where, status: "sent" },
      _count: { _all: true },
    }),
    prisma.message.count({ where: { ...where, status: "failed" } }),
    prisma.message.count({ where: { ...where, fallbackFor: { not: null } } }),
    timeToDeliveredRanks(prisma, filter),
  ]);
  const byKey = new Map<string, ChannelDelivery & { delays: number[] }>();
  const entry = (channel: string, provider: string | null) => {
    const key = `${channel}|${provider ?? "none"}`;
    let found = byKey.get(key);
    if (!found) {
      found = {
        channel,
        provider: provider ?? "none",
        sent: 0,
        reported: 0,
        delivered: 0,
        failed: 0,
        deliveredRate: null,
        timeToDeliveredMs: { p50: null, p95: null },
        delays: [],
      };
      byKey.set(key, found);
    }
    return found;
  };
  let complaints = 0;
  for (const g of groups) {
    const e = entry(g.channel, g.provider);
    const n = g._count._all;
    e.sent += n;
    if (g.deliveryStatus === null) continue;
    e.reported += n;
    // A complaint comes after delivery: it counts as delivered.
    if (g.deliveryStatus === "delivered" || g.deliveryStatus === "complained") e.delivered += n;
    if (FAILED.has(g.deliveryStatus)) e.failed += n;
    if (g.deliveryStatus === "complained") complaints += n;
  }
  for (const r of ranks) {
    const e = entry(r.channel, r.provider);
    const ms = Math.max(0, Math.round(Number(r.ms)));
    // Nearest rank, as metrics.percentile: the p50 row, then the p95 row (one row when they coincide).
    if (Number(r.rn) === Number(r.r50)) e.delays[0] = ms;
    if (Number(r.rn) === Number(r.r95)) e.delays[1] = ms;
  }
  const channels = [...byKey.values()]
    .map(({ delays, ...e }) => ({
      ...e,
      deliveredRate: e.reported ? e.delivered / e.reported : null,
      timeToDeliveredMs: { p50: delays[0] ?? null, p95: delays[1] ?? null },
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.provider.localeCompare(b.provider));
  return { channels, refused, fallbacks, complaints };
}
