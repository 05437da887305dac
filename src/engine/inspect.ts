import type Database from "better-sqlite3";
import type { Runtime } from "./runtime.ts";
import type { JobRow, RunRow, RunStatus, StepRow, WaitRow } from "./store/store.ts";

export interface RunSummary {
  id: string;
  functionId: string;
  status: RunStatus;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  output: unknown;
  error: unknown;
}

/** Read-only views of engine state for dashboards and tests. */
export class Inspector {
  private readonly db: Database.Database;
  constructor(private readonly rt: Runtime) {
    this.db = rt.store.db;
  }

  functions() {
    return [...this.rt.functions.values()].map((f) => ({
      id: f.id,
      appId: f.appId,
      url: f.url,
      triggers: f.config.triggers,
      maxAttempts: f.maxAttempts,
    }));
  }

  runs(filter: { functionId?: string; status?: RunStatus; limit?: number; before?: string } = {}): {
    runs: RunSummary[];
    cursor?: string;
  } {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      where.push(clause);
      params.push(value);
    };
    if (filter.functionId) add("function_id = ?", filter.functionId);
    if (filter.status) add("status = ?", filter.status);
    if (filter.before) add("id < ?", filter.before);
    const limit = Math.min(Math.max(filter.limit || 50, 1), 500);
    const rows = this.db
      .prepare(
        `SELECT * FROM engine_runs ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, limit) as RunRow[];
    const runs = rows.map(summary);
    return { runs, cursor: rows.length === limit ? rows[rows.length - 1]?.id : undefined };
  }

  run(id: string) {
    const row = this.rt.store.run(id);
    if (!row) return undefined;
    const steps = this.rt.store.steps(id).map((s: StepRow) => {
      const result = JSON.parse(s.result) as { data?: unknown; error?: unknown };
      return {
        id: s.hash,
        name: s.name,
        op: s.op,
        attempts: s.attempts,
        output: result.data,
        error: result.error,
        startedAt: iso(s.started_at),
        endedAt: iso(s.ended_at),
        durationMs: s.started_at === null ? null : s.ended_at - s.started_at,
      };
    });
    const waits = (this.rt.store.q.waitsForRun.all(id) as WaitRow[]).map(waitView);
    const scheduled = (this.rt.store.q.jobsForRun.all(id) as JobRow[]).map((j) => ({
      kind: j.kind,
      step: j.step,
      attempt: j.attempt,
      dueAt: iso(j.due_at),
    }));
    return { ...summary(row), events: JSON.parse(row.events) as unknown[], steps, waits, scheduled };
  }

  waits(filter: { event?: string; limit?: number } = {}) {
    const limit = Math.min(Math.max(filter.limit || 100, 1), 1000);
    const rows = (
      filter.event
        ? this.db.prepare("SELECT * FROM engine_waits WHERE event = ? ORDER BY id LIMIT ?").all(filter.event, limit)
        : this.db.prepare("SELECT * FROM engine_waits ORDER BY id LIMIT ?").all(limit)
    ) as WaitRow[];
    return { waits: rows.map(waitView) };
  }

  counts(): Record<RunStatus, number> {
    const rows = this.db.prepare("SELECT status, count(*) AS n FROM engine_runs GROUP BY status").all() as Array<{
      status: RunStatus;
      n: number;
    }>;
    const counts = { queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }
}

function summary(row: RunRow): RunSummary {
  return {
    id: row.id,
    functionId: row.function_id,
    status: row.status,
    createdAt: iso(row.created_at) as string,
    startedAt: iso(row.started_at),
    endedAt: iso(row.ended_at),
    output: row.output === null ? null : JSON.parse(row.output),
    error: row.error === null ? null : JSON.parse(row.error),
  };
}

function waitView(w: WaitRow) {
  return {
    runId: w.run_id,
    step: w.step,
    name: w.name,
    kind: w.kind,
    event: w.event,
    if: w.expression,
    expiresAt: iso(w.expires_at),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
