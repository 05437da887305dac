/**
 * Headroom for the serving thread: how many calls the embedded engine may have in flight, so that
 * the API and the dashboard keep answering while a backlog is worked off.
 *
 * The engine, the event API and the reads share one event loop (the recoveries run in function
 * threads, but every step they finish comes back here to be committed). Past what the machine can
 * do, work queued on the loop grows without bound and every request waits behind it: at 100
 * events/s on two cores, accepting an event took 20–40 s and reads timed out. Accepted events are
 * stored first, so the backlog can just as well wait in the database.
 *
 * Every `intervalMs`, the loop's utilisation over the last interval (Node's own measure of the
 * time it spent not idle, which includes a synchronous wait for SQLite's write lock) adjusts the
 * limit: above `high` it shrinks by a quarter, below `low` it grows by one, never under `min` nor
 * over the configured maximum — additive increase,
 * multiplicative decrease, as TCP shares a link. On a quiet server the limit climbs to the maximum
 * within a few seconds and stays there: it only falls when the loop is nearly full.
 */
import { performance } from "node:perf_hooks";

export interface HeadroomOptions {
  /** The most calls in flight (ENGINE_CONCURRENCY). */
  max: number;
  /** The fewest: the backlog always moves. */
  min?: number;
  high?: number;
  low?: number;
  intervalMs?: number;
}

export class LoopHeadroom {
  private current: number;
  private last = performance.eventLoopUtilization();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly min: number;
  private readonly max: number;
  private readonly high: number;
  private readonly low: number;
  /** Called when the limit grows (the engine then launches more). */
  onGrow: () => void = () => {};

  constructor(opts: HeadroomOptions) {
    this.max = opts.max;
    this.min = Math.min(opts.min ?? 2, opts.max);
    this.high = opts.high ?? 0.85;
    this.low = opts.low ?? 0.7;
    // Slow start, as TCP: a burst on a cold server would otherwise launch `max` calls at once.
    this.current = this.min;
    this.timer = setInterval(() => this.adjust(this.sample()), opts.intervalMs ?? 100);
    this.timer.unref();
  }

  /** Calls the engine may have in flight now. */
  limit(): number {
    return this.current;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The loop's utilisation since the last sample, 0–1. */
  private sample(): number {
    const now = performance.eventLoopUtilization();
    const used = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
    return used;
  }

  /** One step of the controller for a measured utilisation (public so its tests can drive it). */
  adjust(utilisation: number): void {
    if (utilisation > this.high) this.current = Math.max(this.min, Math.floor(this.current * 0.75));
    else if (utilisation < this.low && this.current < this.max) {
      this.current += 1;
      this.onGrow();
    }
  }
}
