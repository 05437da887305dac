import Database from "better-sqlite3";

/**
 * Another connection in this process takes SQLite's write lock on `file` at once, runs `write`,
 * and commits `ms` later, on a timer: a thread that waits for the lock by sleeping (SQLite's own
 * busy handler) never lets that timer fire, one that waits by yielding does. Resolves on commit.
 */
export function holdWriteLock(file: string, ms: number, write: string): Promise<void> {
  const db = new Database(file);
  db.exec("BEGIN IMMEDIATE");
  db.prepare(write).run();
  return new Promise((resolve) =>
    setTimeout(() => {
      db.exec("COMMIT");
      db.close();
      resolve();
    }, ms),
  );
}
