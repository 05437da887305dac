import type { Prisma, PrismaClient } from "../db/generated/node/client.ts";
import { percentile } from "./metrics.ts";
import type { MetricsFilter } from "./metrics-query.ts";

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

/** The delivery metrics of messages created in the period (SQL counts; only delivered messages' two times are read). */
export async function loadDeliveryMetrics(prisma: PrismaClient, filter: MetricsFilter): Promise<DeliveryMetrics> {
  const where: Prisma.MessageWhereInput = {
    createdAt: { gte: filter.from, lte: filter.to },
    ...(filter.kind ? { disruption: { kind: filter.kind } } : {}),
  };
  const [groups, refused, fallbacks, times] = await Promise.all([
    prisma.message.groupBy({
      by: ["channel", "provider", "deliveryStatus"],
      where: { ...where, status: "sent" },
      _count: { _all: true },
    }),
    prisma.message.count({ where: { ...where, status: "failed" } }),
    prisma.message.count({ where: { ...where, fallbackFor: { not: null } } }),
    prisma.message.findMany({
      where: { ...where, status: "sent", deliveredAt: { not: null } },
      select: { channel: true, provider: true, sentAt: true, deliveredAt: true },
    }),
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
  for (const t of times) {
    if (!t.sentAt || !t.deliveredAt) continue;
    entry(t.channel, t.provider).delays.push(Math.max(0, t.deliveredAt.getTime() - t.sentAt.getTime()));
  }
  const channels = [...byKey.values()]
    .map(({ delays, ...e }) => {
      const sorted = delays.sort((a, b) => a - b);
      return {
        ...e,
        deliveredRate: e.reported ? e.delivered / e.reported : null,
        timeToDeliveredMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95) },
      };
    })
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.provider.localeCompare(b.provider));
  return { channels, refused, fallbacks, complaints };
}
