import type { PrismaClient } from "../db/generated/node/client.ts";
import { type TrustMetrics, trustMetrics } from "./metrics.ts";

export interface MetricsFilter {
  from?: Date;
  to?: Date;
  /** Only this disruption kind (the dashboard's per-kind view). */
  kind?: string;
}

/** The trust metrics for a period, read from the database (shared by the API and the dashboard). */
export async function loadTrustMetrics(prisma: PrismaClient, filter: MetricsFilter, now: Date): Promise<TrustMetrics> {
  const range = { gte: filter.from, lte: filter.to };
  const kind = filter.kind ? { kind: filter.kind } : {};
  const [disruptions, grants, pendingApprovals, deliveryFailures] = await Promise.all([
    prisma.disruption.findMany({ where: { detectedAt: range, status: { not: "superseded" }, ...kind } }),
    prisma.gestureGrant.findMany({
      where: { createdAt: range, status: "granted", ...(filter.kind ? { disruption: { kind: filter.kind } } : {}) },
    }),
    prisma.approval.findMany({
      where: { status: "pending", ...(filter.kind ? { disruption: { kind: filter.kind } } : {}) },
    }),
    prisma.message.count({
      where: { createdAt: range, status: "failed", ...(filter.kind ? { disruption: { kind: filter.kind } } : {}) },
    }),
  ]);
  return trustMetrics({
    disruptions,
    grants: grants.map((g) => ({ kind: g.kind, currency: g.currency, value: Number(g.value) })),
    pendingApprovals,
    deliveryFailures,
    now,
  });
}

/** Disruptions per day in the period: how many we told first, and how many complained first. */
export async function disruptionsPerDay(prisma: PrismaClient, filter: MetricsFilter & { from: Date; to: Date }) {
  const rows = await prisma.disruption.findMany({
    where: {
      detectedAt: { gte: filter.from, lte: filter.to },
      status: { not: "superseded" },
      ...(filter.kind ? { kind: filter.kind } : {}),
    },
    select: { detectedAt: true, complainedFirst: true },
  });
  const days = new Map<string, { day: string; proactive: number; complainedFirst: number }>();
  for (let t = filter.from.getTime(); t <= filter.to.getTime(); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    days.set(day, { day, proactive: 0, complainedFirst: 0 });
  }
  for (const r of rows) {
    const entry = days.get(r.detectedAt.toISOString().slice(0, 10));
    if (!entry) continue;
    if (r.complainedFirst) entry.complainedFirst += 1;
    else entry.proactive += 1;
  }
  return [...days.values()];
}
