/**
 * Daily rollups of the metrics, so a period's metrics read ~one row per day and kind instead of
 * every disruption and message in it (a year: 1 M disruptions, 2 M messages).
 *
 * - `MetricsDay` (per day of detectedAt × kind), `DeliveryDay` (per day of a message's createdAt ×
 *   kind × channel × provider), `GestureDay` (per day of a grant's createdAt × kind × gesture ×
 *   currency), `ApprovalDay` (per day of a disruption's detectedAt × kind, for gestures that waited
 *   for a manager): counts, sums, and histograms of the three durations (./histogram.ts).
 * - Triggers (migration 0014) mark a day in `MetricsDirtyDay` when a counted column of a row of
 *   that day changes, whoever writes it; `refreshRollups` (./metrics-refresh.ts) recomputes them
 *   before a period's whole days are read.
 * - A period reads whole UTC days from the rollups and the partial days at its edges live, with
 *   the same SELECTs that fill the rollups (./metrics-rollup-sql.ts): one definition for both.
 * - A page asks many times at once (totals, trends, the previous period): identical reads in
 *   flight are shared, and so are refreshes (./metrics-refresh.ts).
 *
 * Every statement binds at most 9 parameters (D1: 100).
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { addHistogram, type Histogram } from "./histogram.ts";
import { dayStart, MONTHS, refreshRollups } from "./metrics-refresh.ts";
import { approvalSelect, deliverySelect, gestureSelect, type Span, trustSelect } from "./metrics-rollup-sql.ts";

const DAY = 86_400_000;

export interface RollupFilter {
  from?: Date;
  to?: Date;
  kind?: string;
}

// Reading a period.

/** A period split into whole days (read from the rollups) and partial days at its edges (read live). */
export interface Plan {
  whole: { first: string; last: string } | null;
  live: Span[];
}

const isMidnight = (d: Date) => d.getTime() % DAY === 0;
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

export function plan(filter: RollupFilter): Plan {
  const { from, to } = filter;
  const first = from ? dayOf(isMidnight(from) ? from : new Date(from.getTime() + DAY)) : "";
  const last = to ? dayOf(isMidnight(new Date(to.getTime() + 1)) ? to : new Date(to.getTime() - DAY)) : "9999-12-31";
  if (first > last) return { whole: null, live: [{ from, to, toInclusive: true }] };
  const live: Span[] = [];
  if (from && !isMidnight(from)) live.push({ from, to: dayStart(first), toInclusive: false });
  if (to && !isMidnight(new Date(to.getTime() + 1)))
    live.push({ from: new Date(dayStart(last).getTime() + DAY), to, toInclusive: true });
  return { whole: { first, last }, live };
}

/** WHERE over a rollup table (alias r) for a plan's whole days and the kind. */
function wholeWhere(whole: { first: string; last: string }, kind: string | undefined) {
  return {
    where: `r."day" >= ? AND r."day" <= ?${kind ? ` AND r."kind" = ?` : ""}`,
    params: kind ? [whole.first, whole.last, kind] : [whole.first, whole.last],
  };
}

export type Row = Record<string, unknown>;

const queriesInFlight = new WeakMap<object, Map<string, Promise<Row[]>>>();

/**
 * A raw read; an identical one already in flight on this client is shared, not run again (the
 * overview's headline figures and its trends read the same day rows and the same live edges).
 */
function sharedQuery(prisma: PrismaClient, sql: string, params: unknown[]): Promise<Row[]> {
  let reads = queriesInFlight.get(prisma);
  if (!reads) {
    reads = new Map();
    queriesInFlight.set(prisma, reads);
  }
  const key = `${sql}\u0000${params.map(String).join("\u0000")}`;
  const running = reads.get(key);
  if (running) return running;
  const started = prisma.$queryRawUnsafe<Row[]>(sql, ...params).finally(() => reads.delete(key));
  reads.set(key, started);
  return started;
}

/** Live rows of one of the SELECTs above over each span, of the kind if one is asked. */
export async function liveRows(
  prisma: PrismaClient,
  spans: Span[],
  select: (span: Span) => { sql: string; params: unknown[] },
  kind: string | undefined,
): Promise<Row[]> {
  const rows = await Promise.all(
    spans.map((span) => {
      const s = select(span);
      return sharedQuery(prisma, s.sql, s.params);
    }),
  );
  return rows.flat().filter((row) => !kind || row.kind === kind);
}

/** Sums of `columns` over a rollup table's whole days, grouped `by`. */
export function wholeSums(
  prisma: PrismaClient,
  table: string,
  columns: readonly string[],
  by: string[],
  plan: Plan,
  kind?: string,
) {
  if (!plan.whole) return Promise.resolve([] as Row[]);
  const w = wholeWhere(plan.whole, kind);
  const keys = by.map((k) => `r."${k}" AS "${k}"`);
  const sums = columns.map((c) => `sum(r."${c}") AS "${c}"`);
  return sharedQuery(
    prisma,
    `SELECT ${[...keys, ...sums].join(", ")} FROM "${table}" r WHERE ${w.where}${by.length ? ` GROUP BY ${keys.map((_, i) => i + 1).join(", ")}` : ""}`,
    w.params,
  );
}

/** The time-to-notify histogram of each whole day of a plan: rows of day, b (bucket) and n. */
export function wholeHistogramByDay(prisma: PrismaClient, plan: Plan, kind?: string) {
  if (!plan.whole) return Promise.resolve([] as Row[]);
  const w = wholeWhere(plan.whole, kind);
  return sharedQuery(
    prisma,
    `SELECT r."day" AS day, j."key" AS b, sum(j."value") AS n FROM "MetricsDay" r, json_each(r."notifyHist") j
     WHERE ${w.where} GROUP BY 1, 2`,
    w.params,
  );
}

const addMonths = (day: string, n: number) => {
  const d = dayStart(day);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1)).toISOString().slice(0, 7);
};

/**
 * A histogram column summed over a plan's whole days: the months wholly inside from the month
 * table, the days before and after them from the day table. Rows of the keys, b and n.
 */
function wholeHistogram(prisma: PrismaClient, table: keyof typeof MONTHS, plan: Plan, kind?: string) {
  if (!plan.whole) return Promise.resolve([] as Row[]);
  const { first, last } = plan.whole;
  const month = MONTHS[table];
  const firstMonth = first === "" || first.endsWith("-01") ? first.slice(0, 7) : addMonths(first, 1);
  const lastMonth = dayOf(new Date(dayStart(last).getTime() + DAY)).endsWith("-01")
    ? last.slice(0, 7)
    : addMonths(last, -1);
  const months = firstMonth <= lastMonth;
  const byKind = kind ? ` AND "kind" = ?` : "";
  const cols = month.by.map((k) => `"${k}", `).join("");
  const keys = month.by.map((k) => `r."${k}"`);
  const parts = months
    ? `SELECT ${cols}"${month.column}" AS h FROM "${month.table}" WHERE "month" >= ? AND "month" <= ?${byKind}
       UNION ALL SELECT ${cols}"${month.column}" FROM "${table}"
       WHERE (("day" >= ? AND "day" < ?) OR ("day" > ? AND "day" <= ?))${byKind}`
    : `SELECT ${cols}"${month.column}" AS h FROM "${table}" WHERE "day" >= ? AND "day" <= ?${byKind}`;
  const params = months
    ? [
        firstMonth,
        lastMonth,
        ...(kind ? [kind] : []),
        first,
        `${firstMonth}-01`,
        `${lastMonth}-31`,
        last,
        ...(kind ? [kind] : []),
      ]
    : [first, last, ...(kind ? [kind] : [])];
  return prisma.$queryRawUnsafe<Row[]>(
    `SELECT ${keys.map((k) => `${k} AS ${k.slice(2)}, `).join("")}j."key" AS b, sum(j."value") AS n
     FROM (${parts}) r, json_each(r."h") j GROUP BY ${[...keys, `j."key"`].join(", ")}`,
    ...params,
  );
}

const num = (v: unknown) => Number(v ?? 0);
const hist = (row: Row): Array<[string, unknown]> => [[String(row.b), row.n]];

export interface TrustTotals {
  disruptions: number;
  notified: number;
  proactive: number;
  promised: number;
  kept: number;
  notifyHist: Histogram;
  /** Per day: disruptions, and how many of them the customer complained about first. */
  perDay: Map<string, { disruptions: number; complained: number }>;
}

export const TRUST_SUMS = ["disruptions", "notified", "proactive", "complained", "promisedSent", "kept", "unsentDue"];

const inFlight = new WeakMap<object, Map<string, Promise<unknown>>>();

/** Concurrent identical reads (the overview and /api/metrics ask for the same totals twice) share one. */
function shared<T>(
  prisma: PrismaClient,
  what: string,
  filter: RollupFilter,
  now: Date,
  read: () => Promise<T>,
): Promise<T> {
  const key = [what, filter.from?.getTime(), filter.to?.getTime(), filter.kind, now.getTime()].join("|");
  let reads = inFlight.get(prisma);
  if (!reads) {
    reads = new Map();
    inFlight.set(prisma, reads);
  }
  const running = reads.get(key);
  if (running) return running as Promise<T>;
  const started = read().finally(() => reads.delete(key));
  reads.set(key, started);
  return started;
}

/** The trust counts of a period, `promised` as of `now`. */
export function trustTotals(prisma: PrismaClient, filter: RollupFilter, now: Date): Promise<TrustTotals> {
  return shared(prisma, "trust", filter, now, () => readTrustTotals(prisma, filter, now));
}

async function readTrustTotals(prisma: PrismaClient, filter: RollupFilter, now: Date): Promise<TrustTotals> {
  const p = plan(filter);
  const liveRead = liveRows(prisma, p.live, (span) => trustSelect(span, now), filter.kind); // before any await: shared
  if (p.whole) await refreshRollups(prisma, now, p.whole);
  const [days, histogram, live] = await Promise.all([
    wholeSums(prisma, "MetricsDay", TRUST_SUMS, ["day"], p, filter.kind),
    wholeHistogram(prisma, "MetricsDay", p, filter.kind),
    liveRead,
  ]);
  const totals: TrustTotals = {
    disruptions: 0,
    notified: 0,
    proactive: 0,
    promised: 0,
    kept: 0,
    notifyHist: new Map(),
    perDay: new Map(),
  };
  for (const row of [...days, ...live]) {
    totals.disruptions += num(row.disruptions);
    totals.notified += num(row.notified);
    totals.proactive += num(row.proactive);
    totals.promised += num(row.promisedSent) + num(row.unsentDue);
    totals.kept += num(row.kept);
    const day = String(row.day);
    const d = totals.perDay.get(day) ?? { disruptions: 0, complained: 0 };
    d.disruptions += num(row.disruptions);
    d.complained += num(row.complained);
    totals.perDay.set(day, d);
  }
  for (const row of histogram) addHistogram(totals.notifyHist, hist(row));
  for (const row of live) addHistogram(totals.notifyHist, String(row.hist));
  return totals;
}

export interface DeliveryTotals {
  channel: string;
  /** '' when the message has no provider. */
  provider: string;
  sent: number;
  reported: number;
  delivered: number;
  failed: number;
  complaints: number;
  refused: number;
  fallbacks: number;
  deliveredHist: Histogram;
}

const DELIVERY_SUMS = ["sent", "reported", "delivered", "failed", "complaints", "refused", "fallbacks"] as const;

/** The delivery counts of a period per channel and provider. */
export function deliveryTotals(prisma: PrismaClient, filter: RollupFilter, now: Date): Promise<DeliveryTotals[]> {
  return shared(prisma, "delivery", filter, now, () => readDeliveryTotals(prisma, filter, now));
}

async function readDeliveryTotals(prisma: PrismaClient, filter: RollupFilter, now: Date): Promise<DeliveryTotals[]> {
  const p = plan(filter);
  const liveRead = liveRows(prisma, p.live, deliverySelect, filter.kind); // before any await: shared
  if (p.whole) await refreshRollups(prisma, now, p.whole);
  const by = ["channel", "provider"];
  const [groups, histogram, live] = await Promise.all([
    wholeSums(prisma, "DeliveryDay", [...DELIVERY_SUMS], by, p, filter.kind),
    wholeHistogram(prisma, "DeliveryDay", p, filter.kind),
    liveRead,
  ]);
  const byKey = new Map<string, DeliveryTotals>();
  const entry = (row: Row) => {
    const channel = String(row.channel);
    const provider = String(row.provider);
    const key = `${channel}|${provider}`;
    let found = byKey.get(key);
    if (!found) {
      found = {
        channel,
        provider,
        sent: 0,
        reported: 0,
        delivered: 0,
        failed: 0,
        complaints: 0,
        refused: 0,
        fallbacks: 0,
        deliveredHist: new Map(),
      };
      byKey.set(key, found);
    }
    return found;
  };
  for (const row of [...groups, ...live]) {
    const e = entry(row);
    for (const c of DELIVERY_SUMS) e[c] += num(row[c]);
  }
  for (const row of histogram) addHistogram(entry(row).deliveredHist, hist(row));
  for (const row of live) addHistogram(entry(row).deliveredHist, String(row.hist));
  return [...byKey.values()];
}

/** Granted gestures of a period: total and count per gesture kind and currency. */
export async function gestureTotals(prisma: PrismaClient, filter: RollupFilter, now: Date) {
  const p = plan(filter);
  const liveRead = liveRows(prisma, p.live, gestureSelect, filter.kind); // before any await: shared
  if (p.whole) await refreshRollups(prisma, now, p.whole);
  const by = ["gestureKind", "currency"];
  const [whole, live] = await Promise.all([
    wholeSums(prisma, "GestureDay", ["total", "count"], by, p, filter.kind),
    liveRead,
  ]);
  const spend = new Map<string, { kind: string; currency: string; total: number; count: number }>();
  for (const row of [...whole, ...live]) {
    const kind = String(row.gestureKind);
    const currency = String(row.currency);
    const e = spend.get(`${kind}|${currency}`) ?? { kind, currency, total: 0, count: 0 };
    e.total += num(row.total);
    e.count += num(row.count);
    spend.set(`${kind}|${currency}`, e);
  }
  return [...spend.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.currency.localeCompare(b.currency));
}

export interface ApprovalTotals {
  requested: number;
  approved: number;
  denied: number;
  expired: number;
  apologyFirst: number;
  gestureSent: number;
  gestureHist: Histogram;
}

const APPROVAL_SUMS = ["requested", "approved", "denied", "expired", "apologyFirst", "gestureSent"] as const;

/** Gestures that waited for a manager in a period (by their disruption's day): decisions, and what was sent when. */
export async function approvalTotals(prisma: PrismaClient, filter: RollupFilter, now: Date): Promise<ApprovalTotals> {
  const p = plan(filter);
  const liveRead = liveRows(prisma, p.live, approvalSelect, filter.kind); // before any await: shared
  if (p.whole) await refreshRollups(prisma, now, p.whole);
  const histogram = () => {
    if (!p.whole) return Promise.resolve([] as Row[]);
    const w = wholeWhere(p.whole, filter.kind);
    // Approvals are a small share of disruptions: the day rows' histograms are summed directly.
    return prisma.$queryRawUnsafe<Row[]>(
      `SELECT j."key" AS b, sum(j."value") AS n FROM "ApprovalDay" r, json_each(r."gestureHist") j WHERE ${w.where} GROUP BY 1`,
      ...w.params,
    );
  };
  const [whole, hists, live] = await Promise.all([
    wholeSums(prisma, "ApprovalDay", [...APPROVAL_SUMS], [], p, filter.kind),
    histogram(),
    liveRead,
  ]);
  const totals: ApprovalTotals = {
    requested: 0,
    approved: 0,
    denied: 0,
    expired: 0,
    apologyFirst: 0,
    gestureSent: 0,
    gestureHist: new Map(),
  };
  for (const row of [...whole, ...live]) for (const c of APPROVAL_SUMS) totals[c] += num(row[c]);
  for (const row of hists) addHistogram(totals.gestureHist, hist(row));
  for (const row of live) addHistogram(totals.gestureHist, String(row.hist));
  return totals;
}
