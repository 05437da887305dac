/**
 * Prisma's driver adapter for a SQLite file through better-sqlite3, with each statement prepared
 * once per SQL text, and waits for the write lock that leave the thread free. The shipped
 * `@prisma/adapter-better-sqlite3` (7.x) prepares every statement anew (~6% of a function
 * thread's time in a flight wave, where a passenger costs ~15 statements) and waits in SQLite's
 * busy handler, asleep (~13% of a function thread's time in a 1,000-passenger wave).
 *
 * Values and errors cross exactly as the shipped adapter sends them (`test/db/sqlite-adapter.test.ts`
 * runs the same Prisma operations through both and compares): dates as ISO text with `+00:00`,
 * booleans as 0/1, 64-bit integers read safely, constraint failures as Prisma's known kinds.
 * `serial-connection.ts` wraps it, so it is used by one caller at a time.
 */

import { setTimeout as sleep } from "node:timers/promises";
import {
  type ArgType,
  type ColumnType,
  ColumnTypeEnum,
  DriverAdapterError,
  type IsolationLevel,
  type MappedError,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import Database from "better-sqlite3";
import { sqlTime } from "./sql-time.ts";

/** Distinct SQL texts kept prepared; past this the cache starts again (IN lists vary in length). */
const MAX_STATEMENTS = 1000;

export function sqliteAdapter(file: string, options: { timeout: number }): SqlDriverAdapterFactory {
  return {
    provider: "sqlite",
    adapterName: "makegood-sqlite",
    connect: async () => {
      // No busy wait inside SQLite: its handler sleeps the whole thread 1, 2, 5… ms while another
      // connection writes; `Statements.run` waits for the lock without blocking the event loop.
      const db = new Database(file, { timeout: 0 });
      // Per connection, like the engine's file: in WAL mode a commit survives a crash of the
      // process without an fsync (FULL, the default, syncs the log on every commit and holds the
      // write lock meanwhile); a power cut may lose the last commits, as it may the engine's.
      db.pragma("synchronous = NORMAL");
      db.defaultSafeIntegers(true);
      return new SqliteAdapter(new Statements(db, options.timeout));
    },
  };
}

interface Prepared {
  statement: Database.Statement;
  /**
   * For a statement that returns rows: its columns' names, and their types as declared (mapped
   * once, when prepared); undefined for an expression's column, typed from its values.
   */
  columns?: { names: string[]; declared: (ColumnType | undefined)[] };
}

class Statements {
  private readonly cache = new Map<string, Prepared>();

  constructor(
    readonly db: Database.Database,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Runs `work`, turning a SQLite error into the adapter error Prisma maps to its codes (P2002…).
   * While another connection holds the write lock (SQLITE_BUSY: a statement that failed so did
   * nothing), it tries again after other work on this thread had its turn, up to the timeout.
   * A function thread serves many steps at once: they go on while this one waits.
   */
  run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (!isBusy(error)) return Promise.reject(adapterError(error));
      return this.retry(work, performance.now() + this.timeoutMs);
    }
  }

  private async retry<T>(work: () => T, deadline: number): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      if (attempt <= 3) await new Promise((resolve) => setImmediate(resolve));
      else await sleep(Math.min(attempt - 3, 5));
      try {
        return work();
      } catch (error) {
        if (!isBusy(error) || performance.now() >= deadline) throw adapterError(error);
      }
    }
  }

  query(query: SqlQuery): SqlResultSet {
    const { statement, columns } = this.prepared(query.sql);
    const args = query.args.map((arg, i) => toSqlite(arg, query.argTypes[i]));
    if (!columns) {
      statement.run(args);
      return { columnNames: [], columnTypes: [], rows: [] };
    }
    const rows = statement.all(args) as unknown[][];
    const types = columnTypes(columns.declared, rows);
    return { columnNames: columns.names, columnTypes: types, rows: rows.map((row) => fromSqlite(row, types)) };
  }

  execute(query: SqlQuery): number {
    const args = query.args.map((arg, i) => toSqlite(arg, query.argTypes[i]));
    return this.prepared(query.sql).statement.run(args).changes;
  }

  private prepared(sql: string): Prepared {
    let prepared = this.cache.get(sql);
    if (!prepared) {
      const statement = this.db.prepare(sql);
      prepared = { statement };
      if (statement.reader) {
        const columns = statement.columns();
        prepared.columns = {
          names: columns.map((c) => c.name),
          declared: columns.map((c) => (c.type ? DECLARED[c.type.toUpperCase()] : undefined)),
        };
        statement.raw(true);
      }
      if (this.cache.size >= MAX_STATEMENTS) this.cache.clear();
      this.cache.set(sql, prepared);
    }
    return prepared;
  }
}

/** Another connection holds the write lock. Not SQLITE_BUSY_SNAPSHOT: that one never clears by waiting. */
const isBusy = (error: unknown) => (error as { code?: unknown } | null)?.code === "SQLITE_BUSY";

class SqliteAdapter implements SqlDriverAdapter {
  readonly provider = "sqlite" as const;
  readonly adapterName = "makegood-sqlite";

  constructor(private readonly statements: Statements) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.statements.run(() => this.statements.query(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.statements.run(() => this.statements.execute(query));
  }

  executeScript(script: string): Promise<void> {
    try {
      this.statements.db.exec(script);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(adapterError(error)); // not tried again: a script may have run in part
    }
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    if (isolationLevel && isolationLevel !== "SERIALIZABLE")
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    await this.executeRaw({ sql: "BEGIN", args: [], argTypes: [] });
    return new SqliteTransaction(this.statements);
  }

  dispose(): Promise<void> {
    this.statements.db.close();
    return Promise.resolve();
  }
}

/** Prisma's client sends COMMIT and ROLLBACK itself (`usePhantomQuery: false`); ending is its business. */
class SqliteTransaction implements Transaction {
  readonly provider = "sqlite" as const;
  readonly adapterName = "makegood-sqlite";
  readonly options = { usePhantomQuery: false };

  constructor(private readonly statements: Statements) {}

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.statements.run(() => this.statements.query(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.statements.run(() => this.statements.execute(query));
  }

  commit(): Promise<void> {
    return Promise.resolve();
  }

  rollback(): Promise<void> {
    return Promise.resolve();
  }

  async createSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `SAVEPOINT ${name}`, args: [], argTypes: [] });
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `ROLLBACK TO ${name}`, args: [], argTypes: [] });
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.executeRaw({ sql: `RELEASE SAVEPOINT ${name}`, args: [], argTypes: [] });
  }
}

/** A value from Prisma's query, as SQLite stores it (Prisma's SQLite conventions). */
function toSqlite(arg: unknown, type: ArgType | undefined): unknown {
  if (arg === null) return null;
  const scalar = type?.scalarType;
  if (typeof arg === "string") {
    if (scalar === "int") return Number.parseInt(arg, 10);
    if (scalar === "float" || scalar === "decimal") return Number.parseFloat(arg);
    if (scalar === "bigint") return BigInt(arg);
    if (scalar === "datetime") return sqlTime(new Date(arg));
    if (scalar === "bytes") return Buffer.from(arg, "base64");
    return arg;
  }
  if (typeof arg === "boolean") return arg ? 1 : 0;
  if (arg instanceof Date) return sqlTime(arg);
  return arg;
}

/** A row as Prisma's client reads it: whole numbers where declared, dates as ISO text, safe integers as numbers. */
function fromSqlite(row: unknown[], types: ColumnType[]): unknown[] {
  const out = new Array<unknown>(row.length);
  for (let i = 0; i < row.length; i++) {
    const value = row[i];
    const type = types[i];
    if (typeof value === "number" && (type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64)) {
      out[i] = Number.isInteger(value) ? value : Math.trunc(value);
    } else if ((typeof value === "number" || typeof value === "bigint") && type === ColumnTypeEnum.DateTime) {
      out[i] = new Date(Number(value)).toISOString();
    } else if (typeof value === "bigint") {
      const asNumber = Number(value);
      out[i] = Number.isSafeInteger(asNumber) ? asNumber : value.toString();
    } else {
      out[i] = value;
    }
  }
  return out;
}

const DECLARED: Record<string, ColumnType> = {
  DECIMAL: ColumnTypeEnum.Numeric,
  FLOAT: ColumnTypeEnum.Float,
  DOUBLE: ColumnTypeEnum.Double,
  "DOUBLE PRECISION": ColumnTypeEnum.Double,
  NUMERIC: ColumnTypeEnum.Double,
  REAL: ColumnTypeEnum.Double,
  TINYINT: ColumnTypeEnum.Int32,
  SMALLINT: ColumnTypeEnum.Int32,
  MEDIUMINT: ColumnTypeEnum.Int32,
  INT: ColumnTypeEnum.Int32,
  INTEGER: ColumnTypeEnum.Int32,
  SERIAL: ColumnTypeEnum.Int32,
  INT2: ColumnTypeEnum.Int32,
  BIGINT: ColumnTypeEnum.Int64,
  "UNSIGNED BIG INT": ColumnTypeEnum.Int64,
  INT8: ColumnTypeEnum.Int64,
  DATETIME: ColumnTypeEnum.DateTime,
  TIMESTAMP: ColumnTypeEnum.DateTime,
  TIME: ColumnTypeEnum.Time,
  DATE: ColumnTypeEnum.Date,
  TEXT: ColumnTypeEnum.Text,
  CLOB: ColumnTypeEnum.Text,
  CHARACTER: ColumnTypeEnum.Text,
  VARCHAR: ColumnTypeEnum.Text,
  "VARYING CHARACTER": ColumnTypeEnum.Text,
  NCHAR: ColumnTypeEnum.Text,
  "NATIVE CHARACTER": ColumnTypeEnum.Text,
  NVARCHAR: ColumnTypeEnum.Text,
  BLOB: ColumnTypeEnum.Bytes,
  BOOLEAN: ColumnTypeEnum.Boolean,
  JSONB: ColumnTypeEnum.Json,
};

/** Each column's type: as declared, or (an expression's column) from its first non-null value. */
function columnTypes(declared: (ColumnType | undefined)[], rows: unknown[][]): ColumnType[] {
  return declared.map((type, i) => {
    if (type !== undefined) return type;
    const sample = rows.find((row) => row[i] !== null)?.[i];
    return sample === undefined ? ColumnTypeEnum.Int32 : inferredType(sample);
  });
}

function inferredType(value: unknown): ColumnType {
  if (typeof value === "string") return ColumnTypeEnum.Text;
  if (typeof value === "bigint") return ColumnTypeEnum.Int64;
  if (typeof value === "boolean") return ColumnTypeEnum.Boolean;
  if (typeof value === "number") return ColumnTypeEnum.UnknownNumber;
  // better-sqlite3 reads a BLOB as a Buffer (the shipped adapter fails on one from an expression).
  if (value instanceof ArrayBuffer || value instanceof Uint8Array) return ColumnTypeEnum.Bytes;
  throw new Error(`unexpected value of type ${typeof value} from SQLite`);
}

/** A SQLite error in the shape Prisma's client turns into its known errors (P2002, P2003, P2011…). */
function adapterError(error: unknown): unknown {
  const e = error as { code?: unknown; message?: unknown };
  if (typeof e?.code !== "string" || typeof e.message !== "string") return error;
  return new DriverAdapterError({
    originalCode: e.code,
    originalMessage: e.message,
    ...mappedError(e.code, e.message),
  });
}

function mappedError(code: string, message: string): MappedError {
  // "UNIQUE constraint failed: Table.a, Table.b"
  const failed = message.split("constraint failed: ").at(1)?.split(", ");
  const fields = failed?.map((f) => f.split(".").pop() ?? f);
  switch (code) {
    case "SQLITE_CONSTRAINT_UNIQUE":
    case "SQLITE_CONSTRAINT_PRIMARYKEY":
      return {
        kind: "UniqueConstraintViolation",
        constraint: fields ? { fields } : undefined,
        table: failed?.[0]?.split(".").slice(0, -1).join(".") || undefined,
      };
    case "SQLITE_CONSTRAINT_NOTNULL":
      return { kind: "NullConstraintViolation", constraint: fields ? { fields } : undefined };
    case "SQLITE_CONSTRAINT_FOREIGNKEY":
    case "SQLITE_CONSTRAINT_TRIGGER":
      return { kind: "ForeignKeyConstraintViolation", constraint: { foreignKey: {} } };
  }
  if (code.startsWith("SQLITE_BUSY")) return { kind: "SocketTimeout" };
  if (message.startsWith("no such table")) return { kind: "TableDoesNotExist", table: message.split(": ").at(1) };
  if (message.startsWith("no such column")) return { kind: "ColumnNotFound", column: message.split(": ").at(1) };
  if (message.includes("has no column named "))
    return { kind: "ColumnNotFound", column: message.split("has no column named ").at(1) };
  return { kind: "sqlite", extendedCode: 1, message };
}
