/**
 * Keeping the daily rollups (./metrics-rollup.ts) true: `refreshRollups` recomputes the days the
 * triggers marked in `MetricsDirtyDay` (and those whose follow-up promises fell due since), each run
 * of days in one batch that deletes, recomputes from the rows and unmarks — a batch is a
 * transaction on SQLite and D1, so a write can never slip between the recompute and the unmarking.
 * One refresh at a time per client; refreshes asked at once for the same instant share one whose
 * days cover theirs.
 */
import type { PrismaClient } from "../db/generated/node/client.ts";
import { sqlTime } from "../db/sql-time.ts";
import {
  APPROVAL_COLUMNS,
  approvalSelect,
  DELIVERY_COLUMNS,
  deliverySelect,
  GESTURE_COLUMNS,
  gestureSelect,
  type Span,
  TRUST_COLUMNS,
  trustSelect,
} from "./metrics-rollup-sql.ts";

const DAY = 86_400_000;
/** Days recomputed per batch: a month of a year-sized database is ~85,000 disruptions. */
const DAYS_PER_BATCH = 31;

const running = new WeakMap<object, Promise<unknown>>();

/** One refresh at a time per client: a second caller then finds the days already done. */
function serialized<T>(prisma: PrismaClient, work: () => Promise<T>): Promise<T> {
  const before = running.get(prisma) ?? Promise.resolve();
  const next = before.then(work, work);
  running.set(
    prisma,
    next.catch(() => undefined),
  );
  return next;
}

export const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);

/** Consecutive days in runs of at most `max`. */
function runs(days: string[], max: number): Array<{ first: string; last: string }> {
  const out: Array<{ first: string; last: string }> = [];
  for (const day of days) {
    const run = out.at(-1);
    const count = run ? (dayStart(day).getTime() - dayStart(run.first).getTime()) / DAY + 1 : 0;
    if (run && dayStart(day).getTime() - dayStart(run.last).getTime() === DAY && count <= max) run.last = day;
    else out.push({ first: day, last: day });
  }
  return out;
}

/**
 * Recomputes the rollups of the out-of-date days in [first, last] (all days when open): those
 * marked by the triggers and those whose promises fell due (or were not yet due) at `now`.
 * Returns how many days it recomputed.
 */
export function refreshRollups(prisma: PrismaClient, now: Date, range: { first?: string; last?: string } = {}) {
  const lo = range.first ?? "";
  const hi = range.last ?? "9999-12-31";
  // A page's loaders ask at once, for the same instant and often the same days: a caller whose
  // range a refresh not yet finished covers, for the same `now`, waits for that one instead.
  let queued = refreshesQueued.get(prisma);
  if (!queued) {
    queued = [];
    refreshesQueued.set(prisma, queued);
  }
  const covering = queued.find((q) => q.at === now.getTime() && q.lo <= lo && q.hi >= hi);
  if (covering) return covering.done;
  const entry = { at: now.getTime(), lo, hi, done: Promise.resolve(0) };
  const list = queued;
  entry.done = refreshDays(prisma, now, lo, hi).finally(() => list.splice(list.indexOf(entry), 1));
  queued.push(entry);
  return entry.done;
}

const refreshesQueued = new WeakMap<object, Array<{ at: number; lo: string; hi: string; done: Promise<number> }>>();

function refreshDays(prisma: PrismaClient, now: Date, lo: string, hi: string) {
  return serialized(prisma, async () => {
    const t = sqlTime(now);
    const stale = await prisma.$queryRawUnsafe<Array<{ day: string }>>(
      `SELECT "day" FROM "MetricsDirtyDay" WHERE "day" >= ? AND "day" <= ?
       UNION SELECT "day" FROM "MetricsDay" WHERE "day" >= ? AND "day" <= ? AND ("validFrom" > ? OR "validUntil" <= ?)
       ORDER BY 1`,
      lo,
      hi,
      lo,
      hi,
      t,
      t,
    );
    for (const run of runs(
      stale.map((r) => r.day),
      DAYS_PER_BATCH,
    )) {
      const span: Span = {
        from: dayStart(run.first),
        to: new Date(dayStart(run.last).getTime() + DAY),
        toInclusive: false,
      };
      const trust = trustSelect(span, now);
      const delivery = deliverySelect(span);
      const gesture = gestureSelect(span);
      const approval = approvalSelect(span);
      const clear = (table: string) =>
        prisma.$executeRawUnsafe(`DELETE FROM "${table}" WHERE "day" >= ? AND "day" <= ?`, run.first, run.last);
      await prisma.$transaction([
        clear("MetricsDay"),
        clear("DeliveryDay"),
        clear("GestureDay"),
        clear("ApprovalDay"),
        prisma.$executeRawUnsafe(`INSERT INTO "MetricsDay" (${TRUST_COLUMNS}) ${trust.sql}`, ...trust.params),
        prisma.$executeRawUnsafe(`INSERT INTO "DeliveryDay" (${DELIVERY_COLUMNS}) ${delivery.sql}`, ...delivery.params),
        prisma.$executeRawUnsafe(`INSERT INTO "GestureDay" (${GESTURE_COLUMNS}) ${gesture.sql}`, ...gesture.params),
        prisma.$executeRawUnsafe(`INSERT INTO "ApprovalDay" (${APPROVAL_COLUMNS}) ${approval.sql}`, ...approval.params),
        ...monthStatements(prisma, run.first, run.last),
        clear("MetricsDirtyDay"),
      ]);
    }
    return stale.length;
  });
}

/** The histograms' month tables, and the key columns beside the histogram. */
export const MONTHS = {
  MetricsDay: { table: "MetricsMonth", column: "notifyHist", by: [] as string[] },
  DeliveryDay: { table: "DeliveryMonth", column: "deliveredHist", by: ["channel", "provider"] },
} as const;

/** The month rows of the months that [first, last] touches, summed again from their day rows. */
function monthStatements(prisma: PrismaClient, first: string, last: string) {
  const from = first.slice(0, 7);
  const to = last.slice(0, 7);
  return Object.entries(MONTHS).flatMap(([table, month]) => {
    const keys = ["kind", ...month.by].map((k) => `"${k}"`).join(", ");
    return [
      prisma.$executeRawUnsafe(`DELETE FROM "${month.table}" WHERE "month" >= ? AND "month" <= ?`, from, to),
      prisma.$executeRawUnsafe(
        `INSERT INTO "${month.table}" ("month", ${keys}, "${month.column}")
         SELECT month, ${keys}, json_group_object(b, n) FROM (
           SELECT substr(r."day", 1, 7) AS month, ${["kind", ...month.by].map((k) => `r."${k}" AS "${k}"`).join(", ")},
             j."key" AS b, sum(j."value") AS n
           FROM "${table}" r, json_each(r."${month.column}") j WHERE r."day" >= ? AND r."day" <= ?
           GROUP BY 1, ${["kind", ...month.by].map((_, i) => i + 2).join(", ")}, b)
         GROUP BY month, ${keys}`,
        `${from}-01`,
        `${to}-31`,
      ),
    ];
  });
}
