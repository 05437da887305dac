/**
 * Three weeks of disruptions, messages and grants written straight to SQLite for the overview's
 * trends (2025-12-16 … 2026-01-05, the virtual clock's "now" being 2026-01-05 09:00 UTC), with
 * every edge the figures have: superseded ones, some never told, complaints first, two kinds,
 * messages bounced / undelivered / refused / never reported, follow-ups and grants dated the next
 * day, rows after "now", and one day — 2026-01-02 — with nothing at all. `expected` computes a
 * period's figures from these rows by their definitions, never from the rollups.
 */
import type { PrismaClient } from "../../../src/db/generated/node/client.ts";
import { percentile } from "../../../src/recovery/metrics.ts";

const DAY = 86_400_000;
const HOUR = 3_600_000;
export const EMPTY_DAY = "2026-01-02";
const FIRST = Date.parse("2025-12-16T00:00:00Z");
/** Times to notify of two significant digits: their histogram buckets are exact. */
const DELAYS = [1200, 3400, 560, 8100, 12_000];
const STATUSES = ["delivered", "delivered", "bounced", null, "complained", "undelivered"] as const;

export interface SeedDisruption {
  id: string;
  kind: string;
  status: string;
  detectedAt: Date;
  firstMessageAt: Date | null;
  complainedFirst: boolean;
}
export interface SeedMessage {
  disruptionId: string;
  kind: string;
  createdAt: Date;
  status: string;
  deliveryStatus: string | null;
}
export interface SeedGrant {
  disruptionId: string;
  kind: string;
  createdAt: Date;
  status: string;
  value: number;
}

export interface Seeded {
  disruptions: SeedDisruption[];
  messages: SeedMessage[];
  grants: SeedGrant[];
}

export async function seedTrends(prisma: PrismaClient): Promise<Seeded> {
  await prisma.customer.create({ data: { id: "trend-c", name: "Trend Person", email: "t@example.com" } });
  const disruptions: SeedDisruption[] = [];
  const messages: SeedMessage[] = [];
  const grants: SeedGrant[] = [];
  for (let i = 0; i < 21; i++) {
    const day = new Date(FIRST + i * DAY);
    if (day.toISOString().startsWith(EMPTY_DAY)) continue;
    for (let j = 0; j < 5 + (i % 3); j++) {
      const at = new Date(day.getTime() + (2 + j * 3) * HOUR);
      const id = `dis_trend_${i}_${j}`;
      const kind = j % 3 === 2 ? "flight_cancelled" : "shipment_delay";
      const told = (i + j) % 5 !== 0;
      const d: SeedDisruption = {
        id,
        kind,
        status: (i + j) % 7 === 0 ? "superseded" : "resolved",
        detectedAt: at,
        firstMessageAt: told ? new Date(at.getTime() + (DELAYS[(i * j) % 5] as number)) : null,
        complainedFirst: (i + 2 * j) % 4 === 0,
      };
      disruptions.push(d);
      if (d.firstMessageAt) {
        // The apology; at most one message of a disruption fails, so recoveries and failed messages count alike.
        messages.push({
          disruptionId: id,
          kind,
          createdAt: d.firstMessageAt,
          status: "sent",
          deliveryStatus: STATUSES[(i + j) % 6] ?? null,
        });
        if (j === 1 && !new Date(at.getTime() + DAY).toISOString().startsWith(EMPTY_DAY))
          messages.push({
            disruptionId: id,
            kind,
            createdAt: new Date(at.getTime() + DAY),
            status: "sent",
            deliveryStatus: "delivered",
          });
        if (j === 3)
          messages.push({
            disruptionId: id,
            kind,
            createdAt: d.firstMessageAt,
            status: "failed",
            deliveryStatus: null,
          });
      }
      if (j % 2 === 0) {
        const late = new Date(at.getTime() + 26 * HOUR);
        grants.push({
          disruptionId: id,
          kind,
          createdAt: j === 0 && !late.toISOString().startsWith(EMPTY_DAY) ? late : new Date(at.getTime() + HOUR / 2),
          status: (i + j) % 5 === 1 ? "denied" : "granted",
          value: 10 + j * 5 + (i % 2) * 2.5,
        });
      }
    }
  }
  await prisma.disruption.createMany({
    data: disruptions.map((d) => ({
      ...d,
      customerId: "trend-c",
      subjectKey: `order:${d.id}`,
      severity: "high",
      reason: "late",
      facts: "{}",
      signalAt: d.detectedAt,
    })),
  });
  await prisma.message.createMany({
    data: messages.map((m, n) => ({
      id: `msg_trend_${n}`,
      disruptionId: m.disruptionId,
      customerId: "trend-c",
      purpose: n % 2 ? "apology" : "follow_up",
      channel: n % 3 ? "email" : "sms",
      recipient: "t@example.com",
      status: m.status,
      deliveryStatus: m.deliveryStatus,
      provider: "resend",
      idempotencyKey: `trend:${n}`,
      createdAt: m.createdAt,
      sentAt: m.status === "sent" ? m.createdAt : null,
    })),
  });
  await prisma.gestureGrant.createMany({
    data: grants.map((g, n) => ({
      id: `grant_trend_${n}`,
      disruptionId: g.disruptionId,
      customerId: "trend-c",
      gestureId: "g",
      kind: "meal_voucher",
      description: "x",
      value: g.value,
      currency: "EUR",
      status: g.status,
      reason: "policy",
      createdAt: g.createdAt,
    })),
  });
  return { disruptions, messages, grants };
}

/** A period's figures from the seeded rows, by the definitions (src/recovery/metrics.ts, metrics-rollup-sql.ts). */
export function expected(s: Seeded, from: Date, to: Date, kind?: string) {
  const within = (at: Date) => at >= from && at <= to;
  const ofKind = (k: string) => !kind || k === kind;
  const counted = s.disruptions.filter((d) => d.status !== "superseded" && within(d.detectedAt) && ofKind(d.kind));
  const notified = counted.filter((d) => d.firstMessageAt);
  const toldFirst = notified.filter((d) => !d.complainedFirst);
  const delays = notified
    .map((d) => (d.firstMessageAt as Date).getTime() - d.detectedAt.getTime())
    .sort((a, b) => a - b);
  const messages = s.messages.filter((m) => within(m.createdAt) && ofKind(m.kind) && m.status === "sent");
  const reported = messages.filter((m) => m.deliveryStatus !== null);
  const delivered = reported.filter((m) => m.deliveryStatus === "delivered" || m.deliveryStatus === "complained");
  const undelivered = reported.filter((m) => ["bounced", "undelivered", "failed"].includes(m.deliveryStatus ?? ""));
  const granted = s.grants.filter((g) => g.status === "granted" && within(g.createdAt) && ofKind(g.kind));
  const total = granted.reduce((n, g) => n + g.value, 0);
  return {
    disruptions: counted.length,
    notified: notified.length,
    toldFirst: toldFirst.length,
    notToldFirst: notified.length - toldFirst.length,
    complainedFirst: counted.filter((d) => d.complainedFirst).length,
    notToldYet: counted.filter((d) => !d.firstMessageAt && !d.complainedFirst).length,
    toldFirstRate: notified.length ? toldFirst.length / notified.length : null,
    timeToNotifyP50Ms: percentile(delays, 50),
    reported: reported.length,
    delivered: delivered.length,
    undelivered: undelivered.length,
    deliveredRate: reported.length ? delivered.length / reported.length : null,
    spend: granted.length ? [{ currency: "EUR", total, count: granted.length }] : [],
  };
}
