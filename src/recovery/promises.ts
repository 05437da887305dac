/**
 * What we promise a client when a deliverable had errors, computed once from the signal so the
 * apology and the account lead's task state the same times: a call within four hours, the
 * corrected version within a day, both rounded up the way a person would promise them (to the
 * half hour, to the hour).
 */
const HOUR = 3_600_000;
const HALF_HOUR = HOUR / 2;

const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

export interface DeliverablePromises {
  callBy: Date;
  correctedBy: Date;
}

export function deliverablePromises(signalAt: Date, now: Date): DeliverablePromises {
  // The signal's time when it is recent (every step of the recovery agrees on it), else now.
  const base = now.getTime() - signalAt.getTime() < HOUR ? signalAt.getTime() : now.getTime();
  return {
    callBy: new Date(ceilTo(base + 4 * HOUR, HALF_HOUR)),
    correctedBy: new Date(ceilTo(base + 24 * HOUR, HOUR)),
  };
}

/** Complimentary items go overnight (the catalog says so): they arrive the next day, by the end of it. */
export function overnightArrival(now: Date): Date {
  return new Date(ceilTo(now.getTime() + 24 * HOUR, HOUR));
}
