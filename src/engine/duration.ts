/**
 * Inngest time strings: "30s", "1h30m", "2d", "1w", or a plain number of ms.
 * Sleep ops may instead carry an ISO date (sleepUntil).
 */
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export function parseDuration(input: string | number): number {
  if (typeof input === "number") return input;
  const text = input.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  const consumed = parts.map((p) => p[0]).join("");
  if (parts.length === 0 || consumed !== text) throw new Error(`invalid duration "${input}"`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNIT_MS[p[2] as string] ?? 0), 0);
}

/** A sleep target: a duration from `now`, or an absolute ISO date. */
export function wakeTime(name: string, now: number): number {
  // A date has "-" or ":", a duration never: tried first, a wait's date costs no thrown error.
  const at = /[-:]/.test(name) ? Date.parse(name) : Number.NaN;
  if (!Number.isNaN(at)) return at;
  try {
    return now + parseDuration(name);
  } catch {
    throw new Error(`invalid sleep target "${name}"`);
  }
}
