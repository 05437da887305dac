/**
 * SMS quiet hours in the recipient's own time zone (08:00–21:00 by default).
 * Pure and DST-aware: wall-clock times are converted with Intl, never by adding
 * a fixed offset.
 */
export interface QuietHours {
  /** Local hour the sending window opens (inclusive). */
  opensAt: number;
  /** Local hour the sending window closes (exclusive). */
  closesAt: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { opensAt: 8, closesAt: 21 };

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): LocalParts {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The instant a local wall-clock time occurs in `timeZone` (the later one if a DST gap skips it). */
export function instantAt(timeZone: string, year: number, month: number, day: number, hour: number): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    if (seen === wall) break;
    guess += wall - seen;
  }
  return new Date(guess);
}

export function isWithinWindow(at: Date, timeZone: string, hours: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  const { hour } = localParts(at, timeZone);
  return hour >= hours.opensAt && hour < hours.closesAt;
}

/** `now` when inside the window, else the next opening of the window in the recipient's time zone. */
export function nextSendTime(now: Date, timeZone: string, hours: QuietHours = DEFAULT_QUIET_HOURS): Date {
  if (isWithinWindow(now, timeZone, hours)) return now;
  const p = localParts(now, timeZone);
  const sameDay = p.hour < hours.opensAt;
  const base = new Date(Date.UTC(p.year, p.month - 1, p.day + (sameDay ? 0 : 1)));
  return instantAt(timeZone, base.getUTCFullYear(), base.getUTCMonth() + 1, base.getUTCDate(), hours.opensAt);
}
