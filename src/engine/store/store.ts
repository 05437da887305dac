import type Database from "better-sqlite3";
import { ENGINE_INDEXES_V2, ENGINE_SCHEMA, ENGINE_SCHEMA_V2, ENGINE_SCHEMA_VERSION } from "./schema.ts";

export type RunStatus = "queued" | "running" | "completed" | "failed" | "cancelled";
export const ACTIVE: RunStatus[] = ["queued", "running"];

export interface RunRow {
  id: string;
  function_id: string;
  status: RunStatus;
  events: string;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  output: string | null;
  error: string | null;
  parallel: number;
  concurrency: string | null;
  correlation: string | null;
  step_count: number;
  state_bytes: number;
}

export interface StepRow {
  seq: number;
  run_id: string;
  hash: string;
  name: string | null;
  op: string;
  result: string;
  attempts: number;
  started_at: number | null;
  ended_at: number;
}

export type JobKind = "call" | "resume" | "wait_timeout" | "debounce" | "batch";

export interface JobRow {
  id: number;
  run_id: string | null;
  kind: JobKind;
  step: string | null;
  attempt: number;
  due_at: number;
  payload: string | null;
  /** The function the job belongs to: each function's due work is a queue of its own. */
  queue: string | null;
}

export interface WaitRow {
  id: number;
  run_id: string;
  step: string;
  name: string | null;
  kind: "event" | "invoke";
  event: string;
  expression: string | null;
  index_path: string | null;
  index_value: string | null;
  expires_at: number | null;
  timeout_job: number | null;
  created_at: number;
}

/**
 * Synchronous SQLite access for the engine. better-sqlite3 is synchronous on
 * purpose: a state change and the bookkeeping it implies commit together in
 * one transaction before anything acts on them, and no lock is ever held
 * across an await (so the SDK can send events back while a call is running).
 */
export class EngineStore {
  private readonly s;

  constructor(readonly db: Database.Database) {
    db.exec(ENGINE_SCHEMA);
    const version = db.prepare("SELECT value FROM engine_meta WHERE key='schema_version'").pluck().get();
    db.transaction(() => {
      if (version === "1") db.exec(ENGINE_SCHEMA_V2);
      db.exec(ENGINE_INDEXES_V2);
      db.prepare(
        "INSERT INTO engine_meta(key, value) VALUES ('schema_version', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
      ).run(String(ENGINE_SCHEMA_VERSION));
    })();
    this.immediate = db.transaction((fn: () => unknown) => fn()).immediate;
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      metaGet: p("SELECT value FROM engine_meta WHERE key=?").pluck(),
      metaSet: p(
        "INSERT INTO engine_meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
      ),
      appUpsert: p(
        `INSERT INTO engine_apps(id, url, framework, sdk, synced_at) VALUES (@id, @url, @framework, @sdk, @synced_at)
         ON CONFLICT(id) DO UPDATE SET url=excluded.url, framework=excluded.framework, sdk=excluded.sdk, synced_at=excluded.synced_at`,
      ),
      fnDeleteForApp: p("DELETE FROM engine_functions WHERE app_id=?"),
      fnInsert: p("INSERT OR REPLACE INTO engine_functions(id, app_id, name, url, config) VALUES (?, ?, ?, ?, ?)"),
      fnAll: p("SELECT id, app_id, url, config FROM engine_functions"),
      apps: p("SELECT * FROM engine_apps ORDER BY id"),
      eventInsert: p(
        "INSERT OR IGNORE INTO engine_events(internal_id, id, name, payload, received_at, duplicate) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      eventSeenSince: p("SELECT 1 FROM engine_events WHERE id=? AND received_at>=? AND duplicate=0 LIMIT 1").pluck(),
      eventByInternalId: p("SELECT 1 FROM engine_events WHERE internal_id=?").pluck(),
      runInsert: p(
        `INSERT INTO engine_runs(id, function_id, status, events, created_at, concurrency, correlation)
         VALUES (@id, @function_id, 'queued', @events, @created_at, @concurrency, @correlation)`,
      ),
      runGet: p("SELECT * FROM engine_runs WHERE id=?"),
      runStart: p(
        "UPDATE engine_runs SET status='running', started_at=coalesce(started_at, ?) WHERE id=? AND status='queued'",
      ),
      runEnd: p("UPDATE engine_runs SET status=?, ended_at=?, output=?, error=? WHERE id=?"),
      runParallel: p("UPDATE engine_runs SET parallel=? WHERE id=?"),
      runAddState: p("UPDATE engine_runs SET step_count=step_count+1, state_bytes=state_bytes+? WHERE id=?"),
      runsActiveForFn: p("SELECT * FROM engine_runs WHERE function_id=? AND status IN ('queued','running')"),
      stepInsert: p(
        `INSERT OR IGNORE INTO engine_steps(run_id, hash, name, op, result, attempts, started_at, ended_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      stepsForRun: p("SELECT * FROM engine_steps WHERE run_id=? ORDER BY seq"),
      jobInsert: p(
        "INSERT INTO engine_jobs(run_id, kind, step, attempt, due_at, payload, queue) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      jobGet: p("SELECT * FROM engine_jobs WHERE id=?"),
      jobDelete: p("DELETE FROM engine_jobs WHERE id=?"),
      jobReschedule: p("UPDATE engine_jobs SET attempt=?, due_at=? WHERE id=?"),
      jobsDue: p("SELECT * FROM engine_jobs WHERE due_at<=? ORDER BY due_at, id LIMIT ?"),
      jobsDueAfter: p(
        "SELECT * FROM engine_jobs WHERE due_at<=@now AND (due_at>@due OR (due_at=@due AND id>@id)) ORDER BY due_at, id LIMIT @limit",
      ),
      jobNextDue: p("SELECT min(due_at) FROM engine_jobs").pluck(),
      jobsDueInQueue: p(
        `SELECT * FROM engine_jobs WHERE queue IS @queue AND due_at<=@now AND (due_at>@due OR (due_at=@due AND id>@id))
           AND id NOT IN (SELECT value FROM json_each(@skip))
         ORDER BY due_at, id LIMIT @limit`,
      ),
      jobQueues: p("SELECT DISTINCT queue FROM engine_jobs").pluck(),
      jobsForRunDelete: p("DELETE FROM engine_jobs WHERE run_id=?"),
      jobsForRun: p("SELECT * FROM engine_jobs WHERE run_id=? ORDER BY due_at"),
      pendingForRun: p(
        "SELECT (SELECT count(*) FROM engine_jobs WHERE run_id=@run) + (SELECT count(*) FROM engine_waits WHERE run_id=@run)",
      ).pluck(),
      waitInsert: p(
        `INSERT INTO engine_waits(run_id, step, name, kind, event, expression, index_path, index_value, expires_at, timeout_job, created_at)
         VALUES (@run_id, @step, @name, @kind, @event, @expression, @index_path, @index_value, @expires_at, @timeout_job, @created_at)`,
      ),
      waitGet: p("SELECT * FROM engine_waits WHERE id=?"),
      waitDelete: p("DELETE FROM engine_waits WHERE id=?"),
      waitsByIndex: p("SELECT * FROM engine_waits WHERE event=? AND index_path=? AND index_value=? ORDER BY id"),
      waitsUnindexed: p("SELECT * FROM engine_waits WHERE event=? AND index_path IS NULL ORDER BY id"),
      waitsForRun: p("SELECT * FROM engine_waits WHERE run_id=?"),
      waitsForRunDelete: p("DELETE FROM engine_waits WHERE run_id=?"),
      waitPathCounts: p("SELECT event, index_path, count(*) AS n FROM engine_waits GROUP BY event, index_path"),
      flowGet: p("SELECT state, expires_at FROM engine_flow WHERE kind=? AND function_id=? AND key=?"),
      flowSet: p(
        `INSERT INTO engine_flow(kind, function_id, key, state, expires_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(kind, function_id, key) DO UPDATE SET state=excluded.state, expires_at=excluded.expires_at`,
      ),
      flowDelete: p("DELETE FROM engine_flow WHERE kind=? AND function_id=? AND key=?"),
      cronsAll: p("SELECT * FROM engine_crons"),
      cronDeleteForFn: p("DELETE FROM engine_crons WHERE function_id=?"),
      cronSet: p("INSERT OR REPLACE INTO engine_crons(function_id, cron, next_at) VALUES (?, ?, ?)"),
      cronNextDue: p("SELECT min(next_at) FROM engine_crons").pluck(),
    };
  }

  get q() {
    return this.s;
  }

  private readonly immediate: (fn: () => unknown) => unknown;

  /** BEGIN IMMEDIATE: take the write lock up front, so a transaction never fails half-way on a lock upgrade. */
  transaction<T>(fn: () => T): T {
    return this.immediate(fn) as T;
  }

  meta(key: string): string | undefined {
    return this.s.metaGet.get(key) as string | undefined;
  }

  setMeta(key: string, value: string): void {
    this.s.metaSet.run(key, value);
  }

  run(id: string): RunRow | undefined {
    return this.s.runGet.get(id) as RunRow | undefined;
  }

  steps(runId: string): StepRow[] {
    return this.s.stepsForRun.all(runId) as StepRow[];
  }

  job(id: number): JobRow | undefined {
    return this.s.jobGet.get(id) as JobRow | undefined;
  }

  insertJob(job: Omit<JobRow, "id">): number {
    const info = this.s.jobInsert.run(job.run_id, job.kind, job.step, job.attempt, job.due_at, job.payload, job.queue);
    return Number(info.lastInsertRowid);
  }

  dueJobs(now: number, limit: number, after?: JobRow): JobRow[] {
    if (!after) return this.s.jobsDue.all(now, limit) as JobRow[];
    return this.s.jobsDueAfter.all({ now, due: after.due_at, id: after.id, limit }) as JobRow[];
  }

  /**
   * Due jobs of one queue in order, after `after` (a page of a walk), leaving out `skip` (jobs in
   * flight: the oldest due ones, which every walk would otherwise read and pass over).
   */
  dueJobsIn(queue: string | null, now: number, limit: number, after?: JobRow, skip: readonly number[] = []): JobRow[] {
    return this.s.jobsDueInQueue.all({
      queue,
      now,
      due: after?.due_at ?? Number.NEGATIVE_INFINITY,
      id: after?.id ?? 0,
      skip: JSON.stringify(skip),
      limit,
    }) as JobRow[];
  }

  queues(): Array<string | null> {
    return this.s.jobQueues.all() as Array<string | null>;
  }

  nextDue(): number | undefined {
    const job = this.s.jobNextDue.get() as number | null;
    const cron = this.s.cronNextDue.get() as number | null;
    const all = [job, cron].filter((t): t is number => typeof t === "number");
    return all.length ? Math.min(...all) : undefined;
  }

  pending(runId: string): number {
    return this.s.pendingForRun.get({ run: runId }) as number;
  }

  wait(id: number): WaitRow | undefined {
    return this.s.waitGet.get(id) as WaitRow | undefined;
  }

  flow<T>(kind: string, fnId: string, key: string, now: number): T | undefined {
    const row = this.s.flowGet.get(kind, fnId, key) as { state: string; expires_at: number | null } | undefined;
    if (!row || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    return JSON.parse(row.state) as T;
  }

  setFlow(kind: string, fnId: string, key: string, state: unknown, expiresAt: number | null): void {
    this.s.flowSet.run(kind, fnId, key, JSON.stringify(state), expiresAt);
  }
}
