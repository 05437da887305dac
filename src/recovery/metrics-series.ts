/**
 * The headline figures of a period per day or per week, and the period before it, for the
 * overview's trends and `GET /api/metrics?series=` — read from the same daily rollups as the
 * totals (./metrics-rollup.ts): one grouped read per figure over the whole days (rows of day ×
 * kind), the partial days at the edges live with the rollups' own SELECTs. Nothing here reads
 * a disruption, message or grant row by row; identical reads in flight (the totals') are shared.
 *
 * - told first: notified disruptions (not superseded, first message sent) where our message came
 *   before any complaint, by the day the disruption was detected;
 * - time to notify p50: signal → first message accepted, from the days' histograms (./histogram.ts);
 * - delivered rate: delivered ÷ reported on, of messages by the day they were created;
 * - spend: gestures granted, by the day of the grant, per currency.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { addHistogram, type Histogram, histogramPercentile } from "./histogram.ts";
import { refreshRollups } from "./metrics-refresh.ts";
import { liveRows, plan, type RollupFilter, TRUST_SUMS, wholeHistogramByDay, wholeSums } from "./metrics-rollup.ts";
import { deliverySelect, gestureSelect, trustSelect } from "./metrics-rollup-sql.ts";

const DAY = 86_400_000;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const num = (v: unknown) => Number(v ?? 0);

/** What one period or one bucket of it adds up to. */
export interface PeriodFigures {
  from: Date;
  to: Date;
  /** Disruptions counted (not superseded). */
  disruptions: number;
  notified: number;
  /** Notified, our message before any complaint. */
  toldFirst: number;
  /** Notified, but the customer complained first. */
  notToldFirst: number;
  /** Complained first, whether told since or not. */
  complainedFirst: number;
  /** Neither told nor complained (yet). */
  notToldYet: number;
  toldFirstRate: number | null;
  timeToNotifyP50Ms: number | null;
  /** Messages the providers reported on, delivered, and bounced / undelivered / failed after acceptance. */
  reported: number;
  delivered: number;
  undelivered: number;
  deliveredRate: number | null;
  /** Gestures granted, per currency. */
  spend: Array<{ currency: string; total: number; count: number }>;
}

export interface SeriesBucket extends PeriodFigures {
  /** The bucket's first and last UTC day. */
  first: string;
  last: string;
}

export interface Series {
  totals: PeriodFigures;
  buckets: SeriesBucket[];
}

interface Acc {
  disruptions: number;
  notified: number;
  proactive: number;
  complained: number;
  hist: Histogram;
  reported: number;
  delivered: number;
  failed: number;
  spend: Map<string, { total: number; count: number }>;
}

const emptyAcc = (): Acc => ({
  disruptions: 0,
  notified: 0,
  proactive: 0,
  complained: 0,
  hist: new Map(),
  reported: 0,
  delivered: 0,
  failed: 0,
  spend: new Map(),
});

function figures(a: Acc, from: Date, to: Date): PeriodFigures {
  const notToldFirst = a.notified - a.proactive;
  return {
    from,
    to,
    disruptions: a.disruptions,
    notified: a.notified,
    toldFirst: a.proactive,
    notToldFirst,
    complainedFirst: a.complained,
    notToldYet: a.disruptions - a.proactive - a.complained,
    toldFirstRate: a.notified ? a.proactive / a.notified : null,
    timeToNotifyP50Ms: histogramPercentile(a.hist, 50),
    reported: a.reported,
    delivered: a.delivered,
    undelivered: a.failed,
    deliveredRate: a.reported ? a.delivered / a.reported : null,
    spend: [...a.spend.entries()]
      .map(([currency, s]) => ({ currency, total: s.total, count: s.count }))
      .sort((x, y) => x.currency.localeCompare(y.currency)),
  };
}

/** The buckets of [from, to]: `size` days each, the last ending on to's day (so the first may be shorter). */
export function bucketDays(from: Date, to: Date, size: number): Array<{ first: string; last: string }> {
  const out: Array<{ first: string; last: string }> = [];
  const start = dayStart(dayOf(from));
  for (let end = dayStart(dayOf(to)); end >= start; end -= size * DAY) {
    const first = Math.max(start, end - (size - 1) * DAY);
    out.unshift({ first: dayOf(new Date(first)), last: dayOf(new Date(end)) });
  }
  return out;
}

/**
 * The period before [from, to]: as long, shifted back by its length rounded up to whole days (so
 * its days line up with the period's: the last 30 days to now ↔ the 30 days before, to the same
 * time of day), and never overlapping it.
 */
export function previousPeriod(from: Date, to: Date): { from: Date; to: Date } {
  const shift = Math.max(1, Math.ceil((to.getTime() - from.getTime()) / DAY)) * DAY;
  return {
    from: new Date(from.getTime() - shift),
    to: new Date(Math.min(to.getTime() - shift, from.getTime() - 1)),
  };
}

/** The figures of [from, to] (to inclusive) and of each bucket of `size` days (1: per day, 7: per week). */
export async function loadSeries(
  prisma: PrismaClient,
  filter: RollupFilter & { from: Date; to: Date },
  now: Date,
  size: number,
): Promise<Series> {
  const p = plan(filter);
  const k = filter.kind;
  // The live edges first, before any await: loaders started together then ask at once, and
  // identical reads in flight are shared (a page's totals and trends have the same edge: today).
  const live = Promise.all([
    liveRows(prisma, p.live, (span) => trustSelect(span, now), k),
    liveRows(prisma, p.live, deliverySelect, k),
    liveRows(prisma, p.live, gestureSelect, k),
  ]);
  if (p.whole) await refreshRollups(prisma, now, p.whole);
  const [[trustLive, deliveryLive, gestureLive], trustDays, notifyDays, deliveryDays, gestureDays] = await Promise.all([
    live,
    wholeSums(prisma, "MetricsDay", TRUST_SUMS, ["day"], p, k),
    wholeHistogramByDay(prisma, p, k),
    wholeSums(prisma, "DeliveryDay", ["reported", "delivered", "failed"], ["day"], p, k),
    wholeSums(prisma, "GestureDay", ["total", "count"], ["day", "currency"], p, k),
  ]);
  const days = bucketDays(filter.from, filter.to, size);
  const accs = days.map(emptyAcc);
  const total = emptyAcc();
  const firstDay = days[0]?.first ?? "";
  // A day's bucket: counted back from the last day, as bucketDays cuts them.
  const lastStart = dayStart(days.at(-1)?.last ?? "1970-01-01");
  const bucketOf = (row: Record<string, unknown>): Acc[] => {
    const day = String(row.day);
    if (day < firstDay) return [total];
    const index = days.length - 1 - Math.floor((lastStart - dayStart(day)) / (size * DAY));
    const acc = accs[index];
    return acc ? [acc, total] : [total];
  };
  for (const row of [...trustDays, ...trustLive])
    for (const a of bucketOf(row)) {
      a.disruptions += num(row.disruptions);
      a.notified += num(row.notified);
      a.proactive += num(row.proactive);
      a.complained += num(row.complained);
    }
  for (const row of notifyDays) for (const a of bucketOf(row)) addHistogram(a.hist, [[String(row.b), row.n]]);
  for (const row of trustLive) for (const a of bucketOf(row)) addHistogram(a.hist, String(row.hist));
  for (const row of [...deliveryDays, ...deliveryLive])
    for (const a of bucketOf(row)) {
      a.reported += num(row.reported);
      a.delivered += num(row.delivered);
      a.failed += num(row.failed);
    }
  for (const row of [...gestureDays, ...gestureLive])
    for (const a of bucketOf(row)) {
      const currency = String(row.currency);
      const s = a.spend.get(currency) ?? { total: 0, count: 0 };
      s.total += num(row.total);
      s.count += num(row.count);
      a.spend.set(currency, s);
    }
  const clip = (first: string, last: string) => ({
    from: new Date(Math.max(filter.from.getTime(), dayStart(first))),
    to: new Date(Math.min(filter.to.getTime(), dayStart(last) + DAY - 1)),
  });
  return {
    totals: figures(total, filter.from, filter.to),
    buckets: days.map((d, i) => {
      const span = clip(d.first, d.last);
      return { ...figures(accs[i] ?? emptyAcc(), span.from, span.to), first: d.first, last: d.last };
    }),
  };
}

/** `GET /api/metrics?series=`: the period's buckets and the previous period's totals, as JSON. */
export async function loadSeriesWithPrevious(
  prisma: PrismaClient,
  period: { from: Date; to: Date },
  now: Date,
  size: number,
): Promise<{ series: SeriesBucket[]; previous: PeriodFigures }> {
  const [current, previous] = await Promise.all([
    loadSeries(prisma, period, now, size),
    loadSeries(prisma, previousPeriod(period.from, period.to), now, size),
  ]);
  return { series: current.buckets, previous: previous.totals };
}
