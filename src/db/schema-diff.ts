// Node-only: computes the SQL that takes the database described by the flat
// migrations folder to the one described by schema.prisma, using Prisma's wasm
// schema engine (the native engine cannot be downloaded here).
import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";

export interface DiffOptions {
  migrationsDir: string;
  schemaPath: string;
}

let wasmReady: Promise<void> | undefined;

// The package's entry does `import * as wasm from "./x.wasm"`, which Node cannot
// load, so instantiate the bytes ourselves and hand them to the JS glue.
function loadEngineWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(join(dirname(gluePath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bg,
    });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmReady;
}

// The engine reads a partial index's WHERE clause with `… AND name = "<index>"`, a double-quoted
// string that better-sqlite3's SQLite (built without double-quoted string literals) takes for a
// column; quote the name as a string.
const PARTIAL_INDEX_SQL = /^(SELECT sql FROM sqlite_master WHERE type = 'index' AND name = )"((?:[^"]|"")*)"(;?)$/;
const singleQuoted = (sql: string) =>
  sql.replace(
    PARTIAL_INDEX_SQL,
    (_, head: string, name: string, end: string) =>
      `${head}'${name.replaceAll('""', '"').replaceAll("'", "''")}'${end}`,
  );

// The engine replays each migration file through executeRaw, which
// better-sqlite3 refuses for multi-statement SQL; retry those via executeScript.
function scriptTolerant(conn: SqlDriverAdapter): SqlDriverAdapter {
  return new Proxy(conn, {
    get(target, prop, receiver) {
      if (prop === "queryRaw") {
        return (query: Parameters<SqlDriverAdapter["queryRaw"]>[0]) =>
          target.queryRaw({ ...query, sql: singleQuoted(query.sql) });
      }
      if (prop === "executeRaw") {
        return async (query: Parameters<SqlDriverAdapter["executeRaw"]>[0]) => {
          try {
            return await target.executeRaw(query);
          } catch (e) {
            if (query.args.length === 0 && /more than one statement/i.test(String(e))) {
              await target.executeScript(query.sql);
              return 0;
            }
            throw e;
          }
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function inMemoryFactory(): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: ":memory:" });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => inner.connect(),
    connectToShadowDb: async () => scriptTolerant(await inner.connectToShadowDb()),
  };
}

/** Migration files in apply order (same rule as wrangler: `*.sql`, sorted by name). */
export function listMigrationFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  return names.filter((n) => n.endsWith(".sql")).sort();
}

/** True when a diff script contains no SQL (only whitespace and `--` comments). */
export function isEmptyDiff(sql: string): boolean {
  return sql.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("--"));
}

/**
 * SQL to go from the state after all migrations in `migrationsDir` to `schemaPath`.
 * Returns "" when they agree.
 */
export async function diffMigrationsToSchema(opts: DiffOptions): Promise<string> {
  await loadEngineWasm();
  const baseDir = resolve(opts.migrationsDir);
  const schemaPath = resolve(opts.schemaPath);
  const schema = readFileSync(schemaPath, "utf8");

  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    () => {}, // engine log lines; not useful here
    bindMigrationAwareSqlAdapterFactory(inMemoryFactory()),
  );
  try {
    const result = await engine.diff({
      from: {
        tag: "migrations",
        baseDir,
        // The engine reads the connector from Prisma's lockfile; we keep no such
        // file in the flat folder, so supply its content here.
        lockfile: {
          path: "migration_lock.toml",
          content: 'provider = "sqlite"\n',
        },
        shadowDbInitScript: "",
        // Each flat file stands in for one of Prisma's migration directories.
        migrationDirectories: listMigrationFiles(baseDir).map((file) => ({
          path: basename(file, ".sql"),
          migrationFile: {
            path: file,
            content: {
              tag: "ok",
              value: readFileSync(join(baseDir, file), "utf8"),
            },
          },
        })),
      },
      to: {
        tag: "schemaDatamodel",
        files: [{ path: schemaPath, content: schema }],
      },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = result.stdout ?? "";
    return isEmptyDiff(sql) ? "" : sql;
  } finally {
    engine.free();
  }
}
