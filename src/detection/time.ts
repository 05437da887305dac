/** Instants as detectors see them: an ISO string with offset, or a Date. */
export type InstantLike = string | Date;

const MINUTE_MS = 60_000;

/** Milliseconds since the epoch; throws RangeError naming the field on an unreadable value. */
export function toMillis(value: InstantLike, field: string): number {
  const ms = typeof value === "string" ? Date.parse(value) : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${field} is not a valid timestamp: ${String(value)}`);
  return ms;
}

export const msToMinutes = (ms: number): number => ms / MINUTE_MS;
export const minutesToMs = (minutes: number): number => minutes * MINUTE_MS;

const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/** 45 → "45 minutes", 150 → "2 hours 30 minutes", 2880 → "2 days", 1800 → "1 day 6 hours". */
export function describeMinutes(total: number): string {
  const m = Math.round(Math.abs(total));
  if (m < 60) return plural(m, "minute");
  if (m < 24 * 60) {
    const h = Math.floor(m / 60);
    const rest = m % 60;
    return rest === 0 ? plural(h, "hour") : `${plural(h, "hour")} ${plural(rest, "minute")}`;
  }
  const d = Math.floor(m / (24 * 60));
  const h = Math.floor((m % (24 * 60)) / 60);
  return h === 0 ? plural(d, "day") : `${plural(d, "day")} ${plural(h, "hour")}`;
}
