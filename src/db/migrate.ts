// Applies the flat prisma/migrations/*.sql files to an embedded SQLite file,
// bookkeeping exactly like `wrangler d1 migrations apply` so a database file
// is in the same state whichever tool migrated it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type BetterSqlite3 from "better-sqlite3";

export interface Migration {
  /** File name including `.sql`, as wrangler records it. */
  name: string;
  sql: string;
}

// The same table wrangler keeps (initMigrationsTable, default name d1_migrations), so either tool can migrate a file.
const MIGRATIONS_TABLE = "d1_migrations";
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  name       TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
);`;

/** Reads `*.sql` from a flat folder, sorted by name. */
export function loadMigrationFiles(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".sql"))
    .sort()
    .map((name) => ({ name, sql: readFileSync(join(dir, name), "utf8") }));
}

/** Applies, in order, each migration not yet recorded; returns the names applied now. */
export function applyMigrations(db: BetterSqlite3.Database, migrations: Migration[]): string[] {
  db.exec(CREATE_MIGRATIONS_TABLE);
  const applied = new Set(db.prepare(`SELECT name FROM ${MIGRATIONS_TABLE}`).pluck().all() as string[]);
  const record = db.prepare(`INSERT INTO ${MIGRATIONS_TABLE} (name) VALUES (?)`);
  const newlyApplied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.name.localeCompare(b.name))) {
    if (applied.has(m.name)) continue;
    // One transaction per migration: a failing file leaves earlier ones applied
    // and itself fully rolled back.
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.name);
    })();
    newlyApplied.push(m.name);
  }
  return newlyApplied;
}
