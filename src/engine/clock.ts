/** Time source for timers, retries and cron. Tests inject a VirtualClock so a 2-day sleep takes milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class VirtualClock implements Clock {
  constructor(private t = Date.parse("2026-01-05T09:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(epochMs: number): void {
    this.t = epochMs;
  }
}
