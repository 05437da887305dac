/**
 * What we promise a client when a deliverable had errors, computed once from the signal so the
 * apology and the account lead's task state the same times: a call within four hours, the
 * corrected version within a day, both rounded up the way a person would promise them (to the
 * half hour, to the hour), and both in the client's working hours (a weekday, 09:00–18:00 on the
 * client's clock): a promise that would fall at night or on a weekend moves to the next working
 * morning (the call at 10:00, the corrected version by 12:00), never "by midnight".
 */
const HOUR = 3_600_000;
const HALF_HOUR = HOUR / 2;

const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

export interface DeliverablePromises {
  callBy: Date;
  correctedBy: Date;
}

export function deliverablePromises(signalAt: Date, now: Date, timeZone: string): DeliverablePromises {
  // The signal's time when it is recent (every step of the recovery agrees on it), else now.
  const base = now.getTime() - signalAt.getTime() < HOUR ? signalAt.getTime() : now.getTime();
  return {
    callBy: inWorkingHours(new Date(ceilTo(base + 4 * HOUR, HALF_HOUR)), timeZone, 10),
    correctedBy: inWorkingHours(new Date(ceilTo(base + 24 * HOUR, HOUR)), timeZone, 12),
  };
}

const OPENS = 9;
const CLOSES = 18;

/** The wall clock in a zone: weekday (0 = Sunday), date and time. */
function wallClock(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      weekday: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday ?? "");
  return {
    weekday,
    y: Number(parts.year),
    m: Number(parts.month),
    d: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The instant a zone's wall clock shows `hour`:00 on the given date (checked twice across a DST change). */
function atWallTime(y: number, m: number, d: number, hour: number, timeZone: string): Date {
  const wanted = Date.UTC(y, m - 1, d, hour);
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(guess), timeZone);
    guess += wanted - Date.UTC(w.y, w.m - 1, w.d, Math.floor(w.minutes / 60), w.minutes % 60);
  }
  return new Date(guess);
}

/** `at` if it falls in working hours on the client's clock, else `hour`:00 of the next working day. */
function inWorkingHours(at: Date, timeZone: string, hour: number): Date {
  const w = wallClock(at, timeZone);
  const working = w.weekday >= 1 && w.weekday <= 5;
  if (working && w.minutes >= OPENS * 60 && w.minutes <= CLOSES * 60) return at;
  // Before opening on a working day: that morning; otherwise the next day, skipping the weekend.
  let day = Date.UTC(w.y, w.m - 1, w.d);
  if (!(working && w.minutes < OPENS * 60)) {
    do day += 24 * HOUR;
    while ([0, 6].includes(new Date(day).getUTCDay()));
  }
  const next = new Date(day);
  return atWallTime(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), hour, timeZone);
}

/** Complimentary items go overnight (the catalog says so): they arrive the next day, by the end of it. */
export function overnightArrival(now: Date): Date {
  return new Date(ceilTo(now.getTime() + 24 * HOUR, HOUR));
}
