import type Database from "better-sqlite3";
import type { Hono } from "hono";
import { engineApi } from "./api.ts";
import { type CheckpointAnswer, commitCheckpoint, type Dispatch, parseCheckpoint } from "./checkpoint.ts";
import { type Clock, systemClock, VirtualClock } from "./clock.ts";
import { EventRouter, isActive } from "./events.ts";
import { applyOutcome, applyTimer, buildCall, callSdk } from "./execute.ts";
import { Inspector } from "./inspect.ts";
import { Queues } from "./queues.ts";
import { parseRegistration } from "./registry.ts";
import { type ConcurrencySlot, Runtime } from "./runtime.ts";
import { generateEventKey, generateSigningKey } from "./signing.ts";
import { type HistoryPurge, purgeHistory, redactText } from "./store/history.ts";
import { EngineStore, type JobRow, type RunRow } from "./store/store.ts";
import type { Transport } from "./transport.ts";
import { LIMITS, type Limits, type Logger, silentLogger } from "./types.ts";

export interface EngineOptions {
  db: Database.Database;
  /** How calls reach the app's serve endpoint. */
  transport: Transport;
  clock?: Clock;
  /** Taken from here, else from the store, else generated once and stored. */
  signingKey?: string;
  eventKey?: string;
  logger?: Logger;
  /** Calls in flight at once. */
  maxInFlight?: number;
  /** A lower limit for now, when the thread the engine shares with the API is nearly full (./headroom.ts). */
  headroom?: { limit(): number };
  /** Override Inngest's run limits (tests). */
  limits?: Partial<Limits>;
}

const PAGE = 64;
/**
 * A queue's first page (the calls in flight are left out): a pump after one call ends usually
 * launches one, so a page of 64 read ~60 rows for nothing. A page short of launchable jobs is
 * followed by the next, twice as large.
 */
const WALK_PAGE = 8;
const MAX_TIMER_MS = 2_147_483_647;
const BUSY_TICK_MS = 200;

/**
 * An Inngest-compatible executor: it plays the Inngest server's part toward
 * the unmodified SDK over the SDK's HTTP protocol, with its state in SQLite.
 */
export class Engine {
  readonly signingKey: string;
  readonly eventKey: string;
  readonly api: Hono;
  readonly inspect: Inspector;
  readonly clock: Clock;
  private readonly store: EngineStore;
  private readonly queues: Queues;
  private readonly rt: Runtime;
  private readonly router: EventRouter;
  private readonly transport: Transport;
  private readonly logger: Logger;
  private readonly maxInFlight: number;
  private readonly headroom: { limit(): number } | undefined;
  private readonly inFlight = new Map<number, Promise<void>>();
  /** Call requests in flight by job id: a checkpoint must name the current one. */
  private readonly dispatches = new Map<number, Dispatch>();
  /** Generations are unique across restarts, so a call from before a crash is always stale. */
  private generation = Date.now() * 1000;
  private readonly slots = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private busyTick = false;
  private readonly applyFailures = new Map<number, number>();
  private started = false;
  private pumping = false;
  private pumpAgain = false;
  private pumpScheduled = false;
  /** Earliest cron due time; null when it must be read again. */
  private nextCronAt: number | undefined | null = null;

  constructor(opts: EngineOptions) {
    this.store = new EngineStore(opts.db);
    this.queues = new Queues(this.store);
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? silentLogger;
    this.transport = opts.transport;
    this.maxInFlight = opts.maxInFlight ?? 32;
    this.headroom = opts.headroom;
    this.signingKey = this.key("signing_key", opts.signingKey, generateSigningKey);
    this.eventKey = this.key("event_key", opts.eventKey, generateEventKey);
    this.rt = new Runtime(this.store, this.clock, this.logger, { ...LIMITS, ...opts.limits });
    this.router = new EventRouter(this.rt);
    this.inspect = new Inspector(this.rt);
    this.api = engineApi(this);
  }

  /** For an Inngest client's `fetch` option: its register and event calls reach this engine in-process. */
  readonly fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
    Promise.resolve(this.api.fetch(input instanceof Request && !init ? input : new Request(input, init)));

  private key(name: string, given: string | undefined, generate: () => string): string {
    if (given) {
      this.store.setMeta(name, given);
      return given;
    }
    const stored = this.store.meta(name);
    if (stored) return stored;
    const fresh = generate();
    this.store.setMeta(name, fresh);
    return fresh;
  }

  /** Start working due jobs, now and whenever new work arrives. Work left by a crash resumes here. */
  start(): void {
    this.started = true;
    this.pump();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled(this.inFlight.values());
  }

  /** Ask the app at `url` to register its functions with this engine (an out-of-band sync). */
  async syncApp(url: string): Promise<void> {
    const response = await this.transport(new Request(url, { method: "PUT" }));
    const body = await response.text();
    if (!response.ok) throw new Error(`sync of ${url} failed: ${response.status} ${body}`);
  }

  register(body: unknown): boolean {
    const { app, functions } = parseRegistration(body);
    const modified = this.store.transaction(() => this.rt.sync(app, functions));
    this.nextCronAt = null;
    this.logger.info("app synced", { app: app.appName, functions: functions.map((f) => f.id) });
    this.wake();
    return modified;
  }

  /** Accept events (the event API). Everything they cause is committed before this returns. */
  send(events: unknown[], seed?: string | null): string[] {
    const ids = this.store.transaction(() => this.router.accept(events, seed));
    this.wake();
    return ids;
  }

  /**
   * A checkpoint from a call in flight (see checkpoint.ts): commit its finished steps, or
   * answer 409 when the dispatch it names is no longer current.
   */
  checkpoint(runId: string, body: unknown): CheckpointAnswer {
    const req = parseCheckpoint(body, runId);
    if (typeof req === "string") return { status: 400, error: req };
    const dispatch = this.dispatches.get(Number(req.qi_id));
    // The checkpoint names this dispatch (not an older one of the same job, e.g. from before a restart).
    const ours =
      dispatch !== undefined &&
      dispatch.runId === runId &&
      (req.generation_id === undefined || req.generation_id === dispatch.generation);
    const answer =
      ours && this.rt.functions.get(req.fn_id) !== undefined
        ? this.store.transaction((): CheckpointAnswer => {
            const run = this.store.run(runId);
            if (!this.store.job(dispatch.jobId) || !run || !isActive(run)) return { status: 409 };
            return commitCheckpoint(this.rt, run, dispatch, req);
          })
        : ({ status: 409 } as CheckpointAnswer);
    if (answer.status === 409) {
      // Only the refused dispatch halts; a stale call's checkpoint says nothing about the current one.
      if (ours) dispatch.stale = true;
      answer.error = "stale dispatch: the call is no longer current";
    }
    return answer;
  }

  cancelRun(runId: string): boolean {
    const cancelled = this.store.transaction(() => {
      const run = this.store.run(runId);
      if (!run || !isActive(run)) return false;
      this.rt.cancel(run, "cancelled through the API");
      return true;
    });
    this.wake();
    return cancelled;
  }

  /** Finished runs and received events from before `cutoff` (ms) deleted, a batch at a time (./store/history.ts). */
  purgeHistory(cutoff: number): HistoryPurge {
    return purgeHistory(this.store.db, cutoff, this.clock.now());
  }

  /** Each term replaced wherever the engine stored it: payloads, inputs, outputs, step results (./store/history.ts). */
  redact(terms: string[], replacement: string): Record<string, number> {
    return redactText(this.store.db, terms, replacement);
  }

  /** Resolve when no work is due and nothing is in flight (tests, benchmarks, shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      this.pump();
      if (this.inFlight.size === 0 && !this.hasDueWork()) return;
      if (this.inFlight.size > 0) await Promise.race(this.inFlight.values());
      else await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** With a VirtualClock: move time forward, firing everything that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    if (!(this.clock instanceof VirtualClock)) throw new Error("advance() needs a VirtualClock");
    const clock = this.clock;
    const target = clock.now() + ms;
    await this.drain();
    for (let next = this.store.nextDue(); next !== undefined && next <= target; next = this.store.nextDue()) {
      if (next > clock.now()) clock.set(next);
      await this.drain();
    }
    clock.set(target);
    await this.drain();
  }

  private hasDueWork(): boolean {
    const next = this.store.nextDue();
    if (next === undefined || next > this.clock.now()) return false;
    return (
      this.store.dueJobs(this.clock.now(), PAGE).some((j) => !this.inFlight.has(j.id) && this.canRun(j)) ||
      this.dueCrons().length > 0
    );
  }

  /** Look for work again (a limit was raised). */
  wake(): void {
    if (this.started) queueMicrotask(() => this.pump());
  }

  /**
   * One pump for every call that finished in this turn of the event loop: answers arrive from the
   * function threads in bursts, and each pump reads every queue.
   */
  private pumpSoon(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Launch everything due that concurrency allows; timers and flow jobs apply at once. */
  private pump(): void {
    if (!this.started) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
    this.armTimer();
  }

  private pumpOnce(): void {
    const now = this.clock.now();
    for (const cron of this.dueCrons()) {
      this.store.transaction(() => this.router.fireCron(cron.function_id, cron.cron, cron.next_at));
    }
    // Every function's queue in turn; within a queue, jobs held back by a concurrency limit stay in place (FIFO).
    const queues = this.queues.inTurn(this.rt.functions.keys());
    const nextOf = this.queues.walk(now, WALK_PAGE, this.inFlight.keys());
    const most = Math.min(this.maxInFlight, this.headroom?.limit() ?? this.maxInFlight);
    let active = queues;
    while (active.length > 0 && this.inFlight.size < most) {
      active = active.filter((queue) => {
        if (this.inFlight.size >= most) return true;
        for (let job = nextOf(queue); job; job = nextOf(queue)) {
          if (this.inFlight.has(job.id)) continue;
          if (job.kind === "call") {
            if (this.launch(job)) return true;
            continue;
          }
          this.store.transaction(() =>
            job.kind === "debounce" || job.kind === "batch" ? this.router.flush(job) : applyTimer(this.rt, job),
          );
          this.pumpAgain = true; // a timer may have scheduled work that is due now
          return true;
        }
        return false;
      });
    }
  }

  /** Crons change only on sync and when one fires, so the earliest is remembered between pumps. */
  private dueCrons(): Array<{ function_id: string; cron: string; next_at: number }> {
    const now = this.clock.now();
    if (this.nextCronAt === null) this.nextCronAt = (this.store.q.cronNextDue.get() as number | null) ?? undefined;
    if (this.nextCronAt === undefined || this.nextCronAt > now) return [];
    this.nextCronAt = null;
    return (this.store.q.cronsAll.all() as Array<{ function_id: string; cron: string; next_at: number }>).filter(
      (c) => c.next_at <= now,
    );
  }

  /**
   * Wake for the next due job. While calls are in flight every completion pumps anyway,
   * so a short fallback tick is enough and saves a query per call.
   */
  private armTimer(): void {
    if (!this.started || this.clock instanceof VirtualClock) return;
    if (this.inFlight.size > 0 && this.busyTick) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.busyTick = this.inFlight.size > 0;
    if (this.busyTick) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.busyTick = false;
        this.pump();
      }, BUSY_TICK_MS);
      this.timer.unref?.();
      return;
    }
    const next = this.store.nextDue();
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.min(Math.max(next - this.clock.now(), 0), MAX_TIMER_MS),
    );
    this.timer.unref?.();
  }

  private runOf(job: JobRow): RunRow | undefined {
    return job.run_id ? this.store.run(job.run_id) : undefined;
  }

  private slotsOf(run: RunRow | undefined): ConcurrencySlot[] {
    return run?.concurrency ? (JSON.parse(run.concurrency) as ConcurrencySlot[]) : [];
  }

  private canRun(job: JobRow): boolean {
    return this.slotsOf(this.runOf(job)).every((s) => (this.slots.get(s.key) ?? 0) < s.limit);
  }

  private launch(job: JobRow): boolean {
    const run = this.runOf(job);
    const slots = this.slotsOf(run);
    if (!slots.every((s) => (this.slots.get(s.key) ?? 0) < s.limit)) return false;
    for (const s of slots) this.slots.set(s.key, (this.slots.get(s.key) ?? 0) + 1);
    const work = this.execute(job, run)
      .catch((error: unknown) => this.applyFailed(job, error))
      .finally(() => {
        this.inFlight.delete(job.id);
        for (const s of slots) this.slots.set(s.key, (this.slots.get(s.key) ?? 1) - 1);
        this.pumpSoon();
      });
    this.inFlight.set(job.id, work);
    return true;
  }

  /**
   * The reply could not be applied (a bug, or an op the engine cannot read). Try again
   * shortly, as the cause may be passing (disk, lock); the third time, fail the run
   * loudly rather than loop.
   */
  private applyFailed(job: JobRow, error: unknown): void {
    const failures = (this.applyFailures.get(job.id) ?? 0) + 1;
    this.logger.error("engine: applying a call result failed", { job: job.id, failures, error: String(error) });
    try {
      if (failures < 3) {
        this.applyFailures.set(job.id, failures);
        this.store.q.jobReschedule.run(job.attempt, this.clock.now() + 1000, job.id);
        return;
      }
      this.applyFailures.delete(job.id);
      this.store.transaction(() => {
        const run = this.runOf(job);
        this.store.q.jobDelete.run(job.id);
        if (run && isActive(run)) {
          this.rt.fail(run, {
            name: "EngineError",
            message: `the engine could not apply a step result: ${String(error)}`,
          });
        }
      });
    } catch (nested) {
      this.logger.error("engine: could not record the failure", { job: job.id, error: String(nested) });
    }
  }

  private async execute(job: JobRow, run: RunRow | undefined): Promise<void> {
    const fn = run && this.rt.functions.get(run.function_id);
    if (!run || !isActive(run) || !fn) {
      this.store.transaction(() => {
        this.store.q.jobDelete.run(job.id);
        if (run && isActive(run))
          this.rt.fail(run, { name: "Error", message: `function "${run.function_id}" is not registered` });
      });
      return;
    }
    const startedAt = this.clock.now();
    if (run.status === "queued") this.store.q.runStart.run(startedAt, run.id);
    const dispatch: Dispatch = {
      jobId: job.id,
      runId: run.id,
      generation: ++this.generation,
      requestId: `req-${this.generation.toString(36)}`,
      startedAt,
      stale: false,
    };
    this.dispatches.set(job.id, dispatch);
    try {
      const request = buildCall(this.rt, fn, run, job, this.signingKey, dispatch);
      const outcome = await callSdk(this.transport, request, startedAt);
      // A call whose checkpoint was refused as stale halted; whatever it answers is not news.
      if (dispatch.stale) return;
      this.store.transaction(() => applyOutcome(this.rt, fn, job.id, startedAt, outcome));
    } finally {
      if (this.dispatches.get(job.id) === dispatch) this.dispatches.delete(job.id);
    }
  }
}
