import { evaluateKey, waitIndex } from "./cel.ts";
import type { Clock } from "./clock.ts";
import { newId } from "./ids.ts";
import { concurrencyOptions, nextCronTime, type RegisteredFunction, type RegisterRequest } from "./registry.ts";
import type { EngineStore, RunRow, WaitRow } from "./store/store.ts";
import { type EngineEvent, LIMITS, type Limits, type Logger, type SerializedError, type StepResult } from "./types.ts";

export interface ConcurrencySlot {
  key: string;
  limit: number;
}

/**
 * The run state machine: creating runs, memoizing steps, scheduling the next
 * call, ending runs. Every method is synchronous and is called inside a store
 * transaction, so each state change commits whole or not at all.
 */
export class Runtime {
  readonly functions = new Map<string, RegisteredFunction>();
  /** event name → functions it triggers; cancelOn likewise. */
  readonly triggers = new Map<string, RegisteredFunction[]>();
  readonly cancellers = new Map<string, RegisteredFunction[]>();
  /** event name → index path (null = unindexed) → number of waits: lets matching skip the full scan. */
  readonly waitPaths = new Map<string, Map<string | null, number>>();
  /** Set by the engine: accepts internal events (function.failed, …) re-entrantly. */
  emit: (events: Array<Partial<EngineEvent> & { name: string }>) => void = () => {};

  constructor(
    readonly store: EngineStore,
    readonly clock: Clock,
    readonly logger: Logger,
    readonly limits: Limits = LIMITS,
  ) {
    for (const row of store.q.fnAll.all() as Array<{ id: string; app_id: string; url: string; config: string }>) {
      this.index(JSON.parse(row.config) as RegisteredFunction);
    }
    for (const row of store.q.waitPathCounts.all() as Array<{ event: string; index_path: string | null; n: number }>) {
      this.countWaitPath(row.event, row.index_path, row.n);
    }
  }

  now(): number {
    return this.clock.now();
  }

  /** Replace an app's functions (sync). Crons keep their schedule when unchanged. */
  sync(app: RegisterRequest, functions: RegisteredFunction[]): boolean {
    const previous = [...this.functions.values()].filter((f) => f.appId === app.appName);
    const modified = JSON.stringify(previous) !== JSON.stringify(functions);
    const q = this.store.q;
    q.appUpsert.run({
      id: app.appName,
      url: app.url,
      framework: app.framework ?? null,
      sdk: app.sdk ?? null,
      synced_at: this.now(),
    });
    q.fnDeleteForApp.run(app.appName);
    for (const fn of previous) {
      this.functions.delete(fn.id);
      q.cronDeleteForFn.run(fn.id);
    }
    const crons = new Map(
      (q.cronsAll.all() as Array<{ function_id: string; cron: string; next_at: number }>).map((c) => [
        `${c.function_id} ${c.cron}`,
        c.next_at,
      ]),
    );
    for (const fn of functions) {
      q.fnInsert.run(fn.id, fn.appId, fn.config.name ?? null, fn.url, JSON.stringify(fn));
      for (const trigger of fn.config.triggers) {
        if (!trigger.cron) continue;
        const next = crons.get(`${fn.id} ${trigger.cron}`) ?? nextCronTime(trigger.cron, this.now());
        if (next !== undefined) q.cronSet.run(fn.id, trigger.cron, next);
      }
    }
    this.triggers.clear();
    this.cancellers.clear();
    for (const fn of [...this.functions.values(), ...functions]) this.index(fn);
    return modified;
  }

  private index(fn: RegisteredFunction): void {
    this.functions.set(fn.id, fn);
    for (const trigger of fn.config.triggers) {
      if (trigger.event) push(this.triggers, trigger.event, fn);
    }
    for (const cancel of fn.config.cancel ?? []) push(this.cancellers, cancel.event, fn);
  }

  createRun(
    fn: RegisteredFunction,
    events: EngineEvent[],
    opts: { correlation?: string; startAt?: number } = {},
  ): string {
    const id = newId(this.now());
    const trigger = events[0] ?? ({} as EngineEvent);
    const slots: ConcurrencySlot[] = concurrencyOptions(fn.config).map((c) => {
      const value = c.key ? (evaluateKey(c.key, { event: trigger }) ?? "") : "";
      const scope = c.scope === "env" || c.scope === "account" ? c.scope : `fn:${fn.id}`;
      return { key: `${scope}:${c.key ?? ""}:${value}`, limit: c.limit };
    });
    this.store.q.runInsert.run({
      id,
      function_id: fn.id,
      events: JSON.stringify(events),
      created_at: this.now(),
      concurrency: slots.length ? JSON.stringify(slots) : null,
      correlation: opts.correlation ?? null,
    });
    this.store.insertJob({
      run_id: id,
      kind: "call",
      step: "step",
      attempt: 0,
      due_at: opts.startAt ?? this.now(),
      payload: null,
      queue: fn.id,
    });
    return id;
  }

  /** Save a step's result. Returns false (and fails the run) when a limit is exceeded. */
  memoize(
    run: RunRow,
    hash: string,
    name: string | null,
    op: string,
    result: StepResult,
    attempts: number,
    startedAt: number | null,
  ): boolean {
    const json = JSON.stringify(result);
    const bytes = Buffer.byteLength(json);
    const limitError =
      bytes > this.limits.stepOutputBytes
        ? `step "${name ?? hash}" output is ${bytes} bytes; the limit is ${this.limits.stepOutputBytes}`
        : run.step_count + 1 > this.limits.stepsPerRun
          ? `run exceeded ${this.limits.stepsPerRun} steps`
          : run.state_bytes + bytes > this.limits.runStateBytes
            ? `run state exceeded ${this.limits.runStateBytes} bytes`
            : undefined;
    if (limitError) {
      this.fail(run, { name: "LimitExceededError", message: limitError });
      return false;
    }
    const inserted = this.store.q.stepInsert.run(run.id, hash, name, op, json, attempts, startedAt, this.now());
    if (inserted.changes > 0) {
      this.store.q.runAddState.run(bytes, run.id);
      run.step_count += 1;
      run.state_bytes += bytes;
    }
    return true;
  }

  /**
   * When nothing is pending for the run (no planned step, sleep or wait), ask the SDK what comes
   * next. A parallel group is then over, so the next call may run (and checkpoint) steps inline again.
   */
  continueIfIdle(run: RunRow): void {
    if (this.store.pending(run.id) === 0) {
      if (run.parallel === 1) {
        this.store.q.runParallel.run(0, run.id);
        run.parallel = 0;
      }
      this.store.insertJob({
        run_id: run.id,
        kind: "call",
        step: "step",
        attempt: 0,
        due_at: this.now(),
        payload: null,
        queue: run.function_id,
      });
    }
  }

  addWait(wait: Omit<WaitRow, "id" | "index_path" | "index_value" | "created_at">, triggerEvent: EngineEvent): void {
    const index = wait.kind === "event" && wait.expression ? waitIndex(wait.expression, triggerEvent) : undefined;
    this.store.q.waitInsert.run({
      ...wait,
      index_path: index?.path ?? null,
      index_value: index?.value ?? null,
      created_at: this.now(),
    });
    if (wait.kind === "event") this.countWaitPath(wait.event, index?.path ?? null, 1);
  }

  removeWait(wait: WaitRow): void {
    this.store.q.waitDelete.run(wait.id);
    if (wait.timeout_job !== null) this.store.q.jobDelete.run(wait.timeout_job);
    if (wait.kind === "event") this.countWaitPath(wait.event, wait.index_path, -1);
  }

  private countWaitPath(event: string, path: string | null, delta: number): void {
    const paths = this.waitPaths.get(event) ?? new Map<string | null, number>();
    this.waitPaths.set(event, paths);
    const n = (paths.get(path) ?? 0) + delta;
    if (n > 0) paths.set(path, n);
    else paths.delete(path);
    if (paths.size === 0) this.waitPaths.delete(event);
  }

  complete(run: RunRow, output: unknown): void {
    this.end(run, "completed", output, null);
    this.resolveParent(run, { data: output ?? null });
  }

  fail(run: RunRow, error: SerializedError): void {
    this.end(run, "failed", null, error);
    this.resolveParent(run, { error });
    const fn = this.functions.get(run.function_id);
    const isFailureHandler = fn?.config.triggers.some((t) => t.event === "inngest/function.failed");
    if (!isFailureHandler) {
      this.emit([
        {
          name: "inngest/function.failed",
          data: { function_id: run.function_id, run_id: run.id, error, event: firstEvent(run) },
        },
      ]);
    }
  }

  cancel(run: RunRow, reason: string): void {
    this.end(run, "cancelled", null, { name: "RunCancelled", message: reason });
    this.resolveParent(run, { error: { name: "Error", message: `invoked run ${run.id} was cancelled` } });
    this.emit([
      {
        name: "inngest/function.cancelled",
        data: { function_id: run.function_id, run_id: run.id, event: firstEvent(run) },
      },
    ]);
  }

  private end(
    run: RunRow,
    status: "completed" | "failed" | "cancelled",
    output: unknown,
    error: SerializedError | null,
  ): void {
    for (const wait of this.store.q.waitsForRun.all(run.id) as WaitRow[]) this.removeWait(wait);
    this.store.q.jobsForRunDelete.run(run.id);
    this.store.q.runEnd.run(
      status,
      this.now(),
      output === null || output === undefined ? null : JSON.stringify(output),
      error ? JSON.stringify(error) : null,
      run.id,
    );
    run.status = status;
  }

  /** An invoked run's end is the parent's `step.invoke` result. */
  private resolveParent(run: RunRow, result: StepResult): void {
    if (!run.correlation) return;
    const wait = (this.store.q.waitsUnindexed.all(run.correlation) as WaitRow[]).find((w) => w.kind === "invoke");
    const parent = wait && this.store.run(wait.run_id);
    if (!wait || !parent || (parent.status !== "queued" && parent.status !== "running")) return;
    this.removeWait(wait);
    if (this.memoize(parent, wait.step, wait.name, "InvokeFunction", result, 1, wait.created_at))
      this.continueIfIdle(parent);
  }
}

export function firstEvent(run: RunRow): EngineEvent {
  return (JSON.parse(run.events) as EngineEvent[])[0] as EngineEvent;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
