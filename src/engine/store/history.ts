/**
 * The engine's history: what finished runs and received events keep, and for how long.
 *
 * - `purgeHistory` deletes runs that ended before a cutoff (with their steps) and events received
 *   before it, a bounded number per call, so a big first purge never holds the loop for long. Runs
 *   still queued or running are never touched; neither is anything of the last day (event ids
 *   deduplicate within 24 hours).
 * - `redactText` replaces each given string wherever the engine stored it — event payloads, run
 *   inputs, outputs and errors, step results, debounce and batch state — with `replacement`. Runs in
 *   progress keep working: what they read by id (a disruption's, an order's) is not personal text.
 *   In JSON a string may appear escaped; callers pass both forms (as the app's erasure does).
 */
import type Database from "better-sqlite3";

const DAY = 86_400_000;
const FINISHED = `status NOT IN ('queued', 'running')`;

export interface HistoryPurge {
  runs: number;
  steps: number;
  events: number;
  /** true when the limit was reached: call again for the rest. */
  more: boolean;
}

export function purgeHistory(db: Database.Database, cutoff: number, now: number, limit = 2_000): HistoryPurge {
  const before = Math.min(cutoff, now - DAY);
  return db.transaction(() => {
    const runs = db
      .prepare(`SELECT id FROM engine_runs WHERE ${FINISHED} AND ended_at < ? ORDER BY ended_at LIMIT ?`)
      .pluck()
      .all(before, limit) as string[];
    const deleteSteps = db.prepare(`DELETE FROM engine_steps WHERE run_id = ?`);
    const deleteRun = db.prepare(`DELETE FROM engine_runs WHERE id = ? AND ${FINISHED}`);
    let steps = 0;
    for (const id of runs) {
      steps += deleteSteps.run(id).changes;
      deleteRun.run(id);
    }
    const events = db
      .prepare(
        `DELETE FROM engine_events WHERE internal_id IN
           (SELECT internal_id FROM engine_events WHERE received_at < ? ORDER BY received_at LIMIT ?)`,
      )
      .run(before, limit).changes;
    return { runs: runs.length, steps, events, more: runs.length === limit || events === limit };
  })();
}

const COLUMNS: Array<[table: string, column: string]> = [
  ["engine_events", "payload"],
  ["engine_runs", "events"],
  ["engine_runs", "output"],
  ["engine_runs", "error"],
  ["engine_steps", "result"],
  ["engine_flow", "state"],
];

/** Rows changed per table. */
export function redactText(db: Database.Database, terms: string[], replacement: string): Record<string, number> {
  const changed: Record<string, number> = {};
  const updates = COLUMNS.map(([table, column]) => ({
    table,
    update: db.prepare(`UPDATE ${table} SET ${column} = replace(${column}, ?, ?) WHERE instr(${column}, ?) > 0`),
  }));
  db.transaction(() => {
    for (const term of terms) {
      if (term.length < 3) continue; // too short to be anyone's, too common not to hit others
      for (const { table, update } of updates) {
        const n = update.run(term, replacement, term).changes;
        if (n) changed[table] = (changed[table] ?? 0) + n;
      }
    }
  })();
  return changed;
}
