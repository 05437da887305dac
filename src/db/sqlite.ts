// Node-side SQLite access: a raw better-sqlite3 handle and a Prisma client.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { PrismaClient } from "./generated/node/client.ts";
import { applyMigrations, loadMigrationFiles } from "./migrate.ts";
import { ERROR_FORMAT } from "./prisma-options.ts";
import { serialConnection } from "./serial-connection.ts";
import { sqliteAdapter } from "./sqlite-adapter.ts";

/** Opens (creating its directory if needed) a SQLite file tuned for one writer, many readers. */
export function openSqlite(file: string): Database.Database {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  return db;
}

/** Called with every SQL statement Prisma runs (benchmarks count them). */
export type QueryObserver = (sql: string) => void;

/**
 * PrismaClient over a SQLite file; accepts a path or a `file:` URL. Its one connection keeps its
 * prepared statements (`sqlite-adapter.ts`) and serves one transaction at a time and nothing else
 * meanwhile (`serial-connection.ts` says why).
 */
export function createNodePrisma(fileOrUrl: string, onQuery?: QueryObserver): PrismaClient {
  const adapter = serialConnection(sqliteAdapter(fileOrUrl.replace(/^file:/, ""), { timeout: 5000 }));
  if (!onQuery) return new PrismaClient({ adapter, errorFormat: ERROR_FORMAT });
  const prisma = new PrismaClient({ adapter, errorFormat: ERROR_FORMAT, log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (e) => onQuery(e.query));
  return prisma as unknown as PrismaClient;
}

/** The project's migrations folder, wherever the process was started from. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

/** Migrate a SQLite file to the latest schema, then open Prisma on it: what every Node entry needs. */
export function openMigratedPrisma(file: string, onQuery?: QueryObserver): { prisma: PrismaClient; applied: string[] } {
  const raw = openSqlite(file);
  try {
    const applied = applyMigrations(raw, loadMigrationFiles(MIGRATIONS_DIR));
    return { prisma: createNodePrisma(file, onQuery), applied };
  } finally {
    raw.close();
  }
}
