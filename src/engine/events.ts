import { evaluateKey, indexValue, matches, valueAtPath } from "./cel.ts";
import { parseDuration } from "./duration.ts";
import { newId, seededIds } from "./ids.ts";
import { nextCronTime, type RegisteredFunction } from "./registry.ts";
import { firstEvent, type Runtime } from "./runtime.ts";
import type { JobRow, RunRow, WaitRow } from "./store/store.ts";
import type { EngineEvent } from "./types.ts";

const DEDUPE_WINDOW_MS = 24 * 3_600_000;

export class EventError extends Error {}

interface DebounceState {
  event: EngineEvent;
  firstAt: number;
  jobId: number;
}

interface BatchState {
  events: EngineEvent[];
  jobId: number;
}

/**
 * Where events go: into the store, to the waits they satisfy, the runs they
 * cancel and the functions they trigger (through flow control). Called inside
 * a transaction, so an accepted event and everything it causes commit together.
 */
export class EventRouter {
  constructor(private readonly rt: Runtime) {
    rt.emit = (events) => {
      this.accept(events);
    };
  }

  accept(input: unknown[], seed?: string | null): string[] {
    const now = this.rt.now();
    const seeded = seededIds(seed, input.length);
    return input.map((raw, i) => {
      const internalId = seeded?.[i] ?? newId(now);
      const event = normalise(raw, internalId, now, i);
      if (seeded && this.rt.store.q.eventByInternalId.get(internalId)) return internalId; // the SDK retried a send
      const duplicate = Boolean(this.rt.store.q.eventSeenSince.get(event.id, now - DEDUPE_WINDOW_MS));
      this.rt.store.q.eventInsert.run(internalId, event.id, event.name, JSON.stringify(event), now, duplicate ? 1 : 0);
      if (!duplicate) this.route(event);
      return internalId;
    });
  }

  private route(event: EngineEvent): void {
    this.resumeWaits(event);
    this.cancelRuns(event);
    for (const fn of this.rt.triggers.get(event.name) ?? []) {
      const triggers = fn.config.triggers.filter((t) => t.event === event.name);
      if (triggers.some((t) => !t.expression || matches(t.expression, { event }))) this.schedule(fn, event);
    }
  }

  private resumeWaits(event: EngineEvent): void {
    const paths = this.rt.waitPaths.get(event.name);
    if (!paths) return;
    const q = this.rt.store.q;
    for (const path of [...paths.keys()]) {
      let rows: WaitRow[];
      if (path === null) rows = q.waitsUnindexed.all(event.name) as WaitRow[];
      else {
        const value = valueAtPath(event, path);
        if (value === undefined || (typeof value === "object" && value !== null)) continue;
        rows = q.waitsByIndex.all(event.name, path, indexValue(value)) as WaitRow[];
      }
      for (const wait of rows) {
        if (wait.kind !== "event") continue;
        const run = this.rt.store.run(wait.run_id);
        if (!run || !isActive(run)) continue;
        if (wait.expression && !matches(wait.expression, { event: firstEvent(run), async: event })) continue;
        this.rt.removeWait(wait);
        if (this.rt.memoize(run, wait.step, wait.name, "WaitForEvent", { data: event }, 1, wait.created_at)) {
          this.rt.continueIfIdle(run);
        }
      }
    }
  }

  private cancelRuns(event: EngineEvent): void {
    for (const fn of this.rt.cancellers.get(event.name) ?? []) {
      const specs = (fn.config.cancel ?? []).filter((c) => c.event === event.name);
      for (const run of this.rt.store.q.runsActiveForFn.all(fn.id) as RunRow[]) {
        const trigger = firstEvent(run);
        if (trigger.id === event.id) continue;
        const cancels = specs.some(
          (spec) =>
            (!spec.timeout || run.created_at + parseDuration(spec.timeout) >= this.rt.now()) &&
            (!spec.if || matches(spec.if, { event: trigger, async: event })),
        );
        if (cancels) this.rt.cancel(run, `cancelled by event ${event.name} (${event.id})`);
      }
    }
  }

  /** Flow control on the way to a new run: idempotency, rate limit, debounce, batching, throttle. */
  private schedule(fn: RegisteredFunction, event: EngineEvent): void {
    const cfg = fn.config;
    const now = this.rt.now();
    const store = this.rt.store;
    const keyOf = (expr: string | undefined) => (expr ? (evaluateKey(expr, { event }) ?? "") : "");
    if (cfg.idempotency) {
      const key = keyOf(cfg.idempotency);
      if (store.flow("idempotency", fn.id, key, now)) return;
      store.setFlow("idempotency", fn.id, key, { at: now }, now + DEDUPE_WINDOW_MS);
    }
    if (cfg.rateLimit) {
      const key = keyOf(cfg.rateLimit.key);
      const period = parseDuration(cfg.rateLimit.period);
      const interval = period / cfg.rateLimit.limit;
      const tat = Math.max(store.flow<{ tat: number }>("rateLimit", fn.id, key, now)?.tat ?? now, now);
      if (tat - now > period - interval) return; // over the limit: the event starts no run
      store.setFlow("rateLimit", fn.id, key, { tat: tat + interval }, tat + interval + period);
    }
    if (cfg.debounce) {
      this.debounce(fn, event, keyOf(cfg.debounce.key));
      return;
    }
    if (cfg.batchEvents) {
      this.batch(fn, event, keyOf(cfg.batchEvents.key));
      return;
    }
    let startAt = now;
    if (cfg.throttle) {
      const key = keyOf(cfg.throttle.key);
      const period = parseDuration(cfg.throttle.period);
      const interval = period / cfg.throttle.limit;
      const burst = Math.max(cfg.throttle.burst ?? 1, 1);
      const tolerance = Math.max(period - interval, interval * (burst - 1));
      const tat = store.flow<{ tat: number }>("throttle", fn.id, key, now)?.tat ?? now;
      startAt = Math.max(now, tat - tolerance);
      const next = Math.max(tat, startAt) + interval;
      store.setFlow("throttle", fn.id, key, { tat: next }, next + period);
    }
    this.rt.createRun(fn, [event], { startAt });
  }

  private debounce(fn: RegisteredFunction, event: EngineEvent, key: string): void {
    const cfg = fn.config.debounce as NonNullable<typeof fn.config.debounce>;
    const now = this.rt.now();
    const store = this.rt.store;
    const state = store.flow<DebounceState>("debounce", fn.id, key, Number.NEGATIVE_INFINITY);
    const firstAt = state?.firstAt ?? now;
    const cap = cfg.timeout ? firstAt + parseDuration(cfg.timeout) : Number.POSITIVE_INFINITY;
    const dueAt = Math.min(now + parseDuration(cfg.period), cap);
    let jobId = state?.jobId;
    if (jobId !== undefined && store.job(jobId)) store.q.jobReschedule.run(0, dueAt, jobId);
    else
      jobId = store.insertJob({
        run_id: null,
        kind: "debounce",
        step: null,
        attempt: 0,
        due_at: dueAt,
        payload: JSON.stringify({ fnId: fn.id, key }),
        queue: fn.id,
      });
    store.setFlow("debounce", fn.id, key, { event, firstAt, jobId } satisfies DebounceState, null);
  }

  private batch(fn: RegisteredFunction, event: EngineEvent, key: string): void {
    const cfg = fn.config.batchEvents as NonNullable<typeof fn.config.batchEvents>;
    const store = this.rt.store;
    const state = store.flow<BatchState>("batch", fn.id, key, Number.NEGATIVE_INFINITY);
    const events = [...(state?.events ?? []), event];
    if (events.length >= cfg.maxSize) {
      if (state) store.q.jobDelete.run(state.jobId);
      store.q.flowDelete.run("batch", fn.id, key);
      this.rt.createRun(fn, events);
      return;
    }
    const jobId =
      state?.jobId ??
      store.insertJob({
        run_id: null,
        kind: "batch",
        step: null,
        attempt: 0,
        due_at: this.rt.now() + parseDuration(cfg.timeout),
        payload: JSON.stringify({ fnId: fn.id, key }),
        queue: fn.id,
      });
    store.setFlow("batch", fn.id, key, { events, jobId } satisfies BatchState, null);
  }

  /** A debounce period or batch timeout elapsed: start the run with what was collected. */
  flush(job: JobRow): void {
    const { fnId, key } = JSON.parse(job.payload ?? "{}") as { fnId: string; key: string };
    const store = this.rt.store;
    store.q.jobDelete.run(job.id);
    const fn = this.rt.functions.get(fnId);
    const kind = job.kind === "debounce" ? "debounce" : "batch";
    const state = store.flow<DebounceState & BatchState>(kind, fnId, key, Number.NEGATIVE_INFINITY);
    store.q.flowDelete.run(kind, fnId, key);
    if (!fn || !state) return;
    this.rt.createRun(fn, kind === "debounce" ? [state.event] : state.events);
  }

  /** Cron triggers fire `inngest/scheduled.timer`; a schedule missed while stopped fires once. */
  fireCron(fnId: string, cron: string, dueAt: number): void {
    const now = this.rt.now();
    const next = nextCronTime(cron, Math.max(now, dueAt));
    if (next === undefined) this.rt.store.q.cronDeleteForFn.run(fnId);
    else this.rt.store.q.cronSet.run(fnId, cron, next);
    const fn = this.rt.functions.get(fnId);
    if (!fn) return;
    const event: EngineEvent = { id: newId(now), name: "inngest/scheduled.timer", data: { cron }, ts: dueAt };
    this.rt.store.q.eventInsert.run(event.id, event.id, event.name, JSON.stringify(event), now, 0);
    this.rt.createRun(fn, [event]);
  }
}

export function isActive(run: RunRow): boolean {
  return run.status === "queued" || run.status === "running";
}

function normalise(raw: unknown, internalId: string, now: number, index: number): EngineEvent {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new EventError(`event ${index}: must be an object`);
  const e = raw as Record<string, unknown>;
  if (typeof e.name !== "string" || e.name.length === 0) throw new EventError(`event ${index}: name is required`);
  if (e.data !== undefined && (typeof e.data !== "object" || e.data === null || Array.isArray(e.data))) {
    throw new EventError(`event ${index}: data must be an object`);
  }
  if (e.id !== undefined && (typeof e.id !== "string" || e.id.length === 0))
    throw new EventError(`event ${index}: id must be a string`);
  return {
    ...e,
    name: e.name,
    id: (e.id as string | undefined) ?? internalId,
    data: (e.data as Record<string, unknown> | undefined) ?? {},
    ts: typeof e.ts === "number" ? e.ts : now,
  };
}
