/**
 * Durations kept as small histograms so percentiles add up across days (the metrics rollups).
 *
 * A duration in whole milliseconds falls in the bucket of its value rounded to two significant
 * digits (12,345 ms → 12,000; 987 → 990); below 100 ms every millisecond is its own bucket. A
 * percentile is the nearest-rank bucket of the summed histogram, so it differs from the exact
 * nearest-rank value by at most half a bucket: 5% of the value, exactly right below 100 ms.
 * One SQL expression computes the bucket (SQLite and D1 alike); its JSON form is {bucket: count}.
 */

/** The bucket of an integer millisecond expression (NULL stays NULL). `ms` is repeated: keep it a column or cheap. */
export const bucketSql = (ms: string) =>
  `(CASE WHEN ${ms} IS NULL THEN NULL WHEN abs(${ms}) < 100 THEN ${ms} ELSE CAST(CAST(printf('%.1e', ${ms}) AS REAL) AS INTEGER) END)`;

export type Histogram = Map<number, number>;

/** Adds a histogram's JSON ({bucket: count}) or (bucket, count) pairs into `into`. */
export function addHistogram(into: Histogram, from: string | Iterable<[number | string, unknown]> | null): Histogram {
  if (from === null) return into;
  const entries = typeof from === "string" ? Object.entries(JSON.parse(from) as Record<string, unknown>) : from;
  for (const [bucket, count] of entries) {
    const b = Number(bucket);
    into.set(b, (into.get(b) ?? 0) + Number(count));
  }
  return into;
}

/** Nearest-rank p-th percentile (as `percentile` in ./metrics.ts) of a histogram, as its bucket. */
export function histogramPercentile(hist: Histogram, p: number): number | null {
  const buckets = [...hist.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen >= rank) return bucket;
  }
  return buckets.at(-1)?.[0] ?? null;
}
