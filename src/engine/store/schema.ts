/**
 * The engine's own tables. The engine knows nothing of makegood, so its schema
 * lives here rather than in prisma/: it can share a SQLite file with an app or
 * have one of its own. Every statement is idempotent; `ENGINE_SCHEMA_VERSION`
 * guards future changes.
 */
export const ENGINE_SCHEMA_VERSION = 2;

export const ENGINE_SCHEMA = `
CREATE TABLE IF NOT EXISTS engine_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS engine_apps (
  id TEXT PRIMARY KEY, url TEXT NOT NULL, framework TEXT, sdk TEXT, synced_at INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS engine_functions (
  id TEXT PRIMARY KEY, app_id TEXT NOT NULL, name TEXT, url TEXT NOT NULL, config TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS engine_events (
  internal_id TEXT PRIMARY KEY, id TEXT NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL,
  received_at INTEGER NOT NULL, duplicate INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS engine_events_id ON engine_events(id, received_at);

CREATE TABLE IF NOT EXISTS engine_runs (
  id TEXT PRIMARY KEY, function_id TEXT NOT NULL, status TEXT NOT NULL, events TEXT NOT NULL,
  created_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER, output TEXT, error TEXT,
  parallel INTEGER NOT NULL DEFAULT 0, concurrency TEXT, correlation TEXT,
  step_count INTEGER NOT NULL DEFAULT 0, state_bytes INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS engine_runs_fn_status ON engine_runs(function_id, status, created_at);
CREATE INDEX IF NOT EXISTS engine_runs_status ON engine_runs(status, created_at);

CREATE TABLE IF NOT EXISTS engine_steps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, hash TEXT NOT NULL, name TEXT,
  op TEXT NOT NULL, result TEXT NOT NULL, attempts INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS engine_steps_run_hash ON engine_steps(run_id, hash);

CREATE TABLE IF NOT EXISTS engine_jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, kind TEXT NOT NULL, step TEXT,
  attempt INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, payload TEXT, queue TEXT);
CREATE INDEX IF NOT EXISTS engine_jobs_due ON engine_jobs(due_at, id);
CREATE INDEX IF NOT EXISTS engine_jobs_run ON engine_jobs(run_id);

CREATE TABLE IF NOT EXISTS engine_waits (
  id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, step TEXT NOT NULL, name TEXT,
  kind TEXT NOT NULL, event TEXT NOT NULL, expression TEXT, index_path TEXT, index_value TEXT,
  expires_at INTEGER, timeout_job INTEGER, created_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS engine_waits_match ON engine_waits(event, index_path, index_value);
CREATE INDEX IF NOT EXISTS engine_waits_run ON engine_waits(run_id);

CREATE TABLE IF NOT EXISTS engine_flow (
  kind TEXT NOT NULL, function_id TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL,
  expires_at INTEGER, PRIMARY KEY (kind, function_id, key));

CREATE TABLE IF NOT EXISTS engine_crons (
  function_id TEXT NOT NULL, cron TEXT NOT NULL, next_at INTEGER NOT NULL, PRIMARY KEY (function_id, cron));
`;

/**
 * Version 2: jobs carry their queue (the function they belong to), so every function's
 * due work is taken in turn. Version-1 files get the column and their queues filled in.
 */
export const ENGINE_SCHEMA_V2 = `
ALTER TABLE engine_jobs ADD COLUMN queue TEXT;
UPDATE engine_jobs SET queue = (SELECT function_id FROM engine_runs WHERE engine_runs.id = engine_jobs.run_id)
  WHERE run_id IS NOT NULL;
UPDATE engine_jobs SET queue = json_extract(payload, '$.fnId') WHERE run_id IS NULL;
`;

export const ENGINE_INDEXES_V2 = `
CREATE INDEX IF NOT EXISTS engine_jobs_queue_due ON engine_jobs(queue, due_at, id);
`;
