import type { PrismaClient } from "../db/generated/node/client.ts";
import { histogramPercentile } from "./histogram.ts";
import type { MetricsFilter } from "./metrics-query.ts";
import { deliveryTotals } from "./metrics-rollup.ts";

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

/**
 * The delivery metrics of messages created in the period, from the daily rollups
 * (./metrics-rollup.ts). Time to delivered is read from histograms: within 5% of the exact
 * nearest-rank value, exact below 100 ms (./histogram.ts).
 */
export async function loadDeliveryMetrics(
  prisma: PrismaClient,
  filter: MetricsFilter,
  now: Date = filter.to ?? new Date(),
): Promise<DeliveryMetrics> {
  const totals = await deliveryTotals(prisma, filter, now);
  const channels = totals
    // A channel and provider shows once something was accepted (refused-only ones count in `refused`).
    .filter((t) => t.sent > 0)
    .map((t) => ({
      channel: t.channel,
      provider: t.provider || "none",
      sent: t.sent,
      reported: t.reported,
      delivered: t.delivered,
      failed: t.failed,
      deliveredRate: t.reported ? t.delivered / t.reported : null,
      // Timed once something was reported delivered (a complaint comes after delivery: it counts as delivered).
      timeToDeliveredMs: t.delivered
        ? { p50: histogramPercentile(t.deliveredHist, 50), p95: histogramPercentile(t.deliveredHist, 95) }
        : { p50: null, p95: null },
    }))
    .sort((a, b) => a.channel.localeCompare(b.channel) || a.provider.localeCompare(b.provider));
  const sum = (key: "refused" | "fallbacks" | "complaints") => totals.reduce((n, t) => n + t[key], 0);
  return { channels, refused: sum("refused"), fallbacks: sum("fallbacks"), complaints: sum("complaints") };
}
