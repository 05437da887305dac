/** Inngest's retry schedule: 15s, 30s, 1m, 2m, 5m, 10m, 20m, 40m, 1h, 2h (cap), plus jitter. */
const SCHEDULE_MS = [15, 30, 60, 120, 300, 600, 1200, 2400, 3600, 7200].map((s) => s * 1000);
const MIN_RETRY_AFTER_MS = 1000;
const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const base = SCHEDULE_MS[Math.min(attempt, SCHEDULE_MS.length - 1)] as number;
  return base + Math.floor(random() * Math.min(base * 0.1, 5000));
}

/** `Retry-After` as seconds or an HTTP/ISO date, clamped to 1 s – 24 h. Undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
}
