import type { PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import { type MetricsFilter, msBetween, percentileSql } from "./metrics-query.ts";

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

/** `WHERE` over Message (alias m) for a filter; its parameters in order. */
function messageScope(filter: MetricsFilter) {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (filter.kind) params.push(filter.kind);
  if (filter.from) {
    clauses.push(`m."createdAt" >= ?`);
    params.push(sqlTime(filter.from));
  }
  if (filter.to) {
    clauses.push(`m."createdAt" <= ?`);
    params.push(sqlTime(filter.to));
  }
  const join = filter.kind ? `JOIN "Disruption" d ON d."id" = m."disruptionId" AND d."kind" = ?` : "";
  return { from: `"Message" m ${join} WHERE ${clauses.length ? clauses.join(" AND ") : "1"}`, params };
}

/** The delivery metrics of messages created in the period (SQL counts and ranks). */
export async function loadDeliveryMetrics(prisma: PrismaClient, filter: MetricsFilter): Promise<DeliveryMetrics> {
  const scope = messageScope(filter);
  // One pass over the period's messages (the covering index). `+status`: not the (status, channel) index.
  const groups = await prisma.$queryRawUnsafe<
    Array<{
      channel: string;
      provider: string | null;
      deliveryStatus: string | null;
      status: string;
      fallback: unknown;
      n: unknown;
    }>
  >(
    `SELECT m."channel" AS channel, m."provider" AS provider, m."deliveryStatus" AS deliveryStatus, +m."status" AS status,
       m."fallbackFor" IS NOT NULL AS fallback, count(*) AS n
     FROM ${scope.from} GROUP BY 1, 2, 3, 4, 5`,
    ...scope.params,
  );
  let refused = 0;
  let fallbacks = 0;
  for (const g of groups) {
    if (g.status === "failed") refused += Number(g.n);
    if (Number(g.fallback)) fallbacks += Number(g.n);
  }
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
    if (g.status !== "sent") continue;
    const e = entry(g.channel, g.provider);
    const n = Number(g.n);
    e.sent += n;
    if (g.deliveryStatus === null) continue;
    e.reported += n;
    // A complaint comes after delivery: it counts as delivered.
    if (g.deliveryStatus === "delivered" || g.deliveryStatus === "complained") e.delivered += n;
    if (FAILED.has(g.deliveryStatus)) e.failed += n;
    if (g.deliveryStatus === "complained") complaints += n;
  }
  // Provider accepted → delivered, per channel and provider: p50 and p95 ranked in SQL.
  await Promise.all(
    groups
      .filter((g) => g.status === "sent" && (g.deliveryStatus === "delivered" || g.deliveryStatus === "complained"))
      .map((g) => `${g.channel}|${g.provider ?? ""}`)
      .filter((key, i, all) => all.indexOf(key) === i)
      .map(async (key) => {
        const [channel = "", provider = ""] = key.split("|");
        const from = `${scope.from} AND m."channel" = ? AND m."provider" IS ? AND +m."status" = 'sent'
          AND m."deliveredAt" IS NOT NULL AND m."sentAt" IS NOT NULL`;
        const params = [...scope.params, channel, provider || null];
        const counted = await prisma.$queryRawUnsafe<Array<{ n: unknown }>>(
          `SELECT count(*) AS n FROM ${from}`,
          ...params,
        );
        const n = Number(counted[0]?.n ?? 0);
        const delay = `MAX(0, ${msBetween(`m."sentAt"`, `m."deliveredAt"`)})`;
        const e = entry(channel, provider || null);
        e.delays = await Promise.all(
          [50, 95].map(async (p) => (await percentileSql(prisma, p, n, delay, from, params)) ?? Number.NaN),
        );
      }),
  );
  const channels = [...byKey.values()]
    .map(({ delays, ...e }) => ({
      ...e,
      deliveredRate: e.reported ? e.delivered / e.reported : null,
      timeToDeliveredMs: {
        p50: Number.isFinite(delays[0]) ? (delays[0] as number) : null,
        p95: Number.isFinite(delays[1]) ? (delays[1] as number) : null,
      },
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.provider.localeCompare(b.provider));
  return { channels, refused, fallbacks, complaints };
}
