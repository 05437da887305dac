/**
 * One SQLite connection, used by one transaction at a time and by nothing else meanwhile.
 *
 * Prisma's better-sqlite3 adapter (7.x) runs every query of a client on one connection, and only
 * transactions wait for each other. A query from elsewhere in the process that runs while a batch
 * `$transaction([...])` is open (between its awaits) runs inside it: it reads the batch's
 * uncommitted rows, its write is rolled back with the batch (after its caller was told it was
 * done), and a read there opens the batch's snapshot before its first write, so that write gets
 * SQLITE_BUSY at once instead of waiting for the lock (SQLite does not wait when a transaction
 * already holds a snapshot). A function thread serves many steps at once, so all three happened
 * (`test/db/serial-connection.test.ts` shows each on the shipped adapter).
 *
 * This wrapper, around any Prisma SQL adapter, gives the connection to one user at a time, in
 * arrival order: a lone statement for the length of its call, a transaction from BEGIN until the
 * client commits or rolls it back.
 */
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from "@prisma/driver-adapter-utils";

/** Turns in arrival order; a turn is taken at once when nobody holds or waits. */
class Turns {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  take(): Promise<void> | undefined {
    if (!this.held) {
      this.held = true;
      return undefined;
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

export function serialConnection(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => new SerialAdapter(await factory.connect()),
  };
}

class SerialAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  private readonly turns = new Turns();

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  private async alone<T>(work: () => Promise<T>): Promise<T> {
    const wait = this.turns.take();
    if (wait) await wait;
    try {
      return await work();
    } finally {
      this.turns.give();
    }
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.alone(() => this.inner.queryRaw(query));
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.alone(() => this.inner.executeRaw(query));
  }

  executeScript(script: string): Promise<void> {
    return this.alone(() => this.inner.executeScript(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const wait = this.turns.take();
    if (wait) await wait;
    try {
      return new SerialTransaction(await this.inner.startTransaction(isolationLevel), () => this.turns.give());
    } catch (error) {
      this.turns.give();
      throw error;
    }
  }

  getConnectionInfo() {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: false };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/** A transaction that holds the connection's turn until it is over. */
class SerialTransaction implements Transaction {
  readonly provider: Transaction["provider"];
  readonly adapterName: string;
  readonly options: Transaction["options"];
  private released = false;

  constructor(
    private readonly inner: Transaction,
    private readonly release: () => void,
  ) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
    this.options = inner.options;
  }

  queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return this.inner.queryRaw(query);
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  async commit(): Promise<void> {
    try {
      await this.inner.commit();
    } finally {
      this.over();
    }
  }

  async rollback(): Promise<void> {
    try {
      await this.inner.rollback();
    } finally {
      this.over();
    }
  }

  createSavepoint(name: string): Promise<void> {
    return this.inner.createSavepoint?.(name) ?? Promise.reject(new Error("savepoints are not supported"));
  }

  rollbackToSavepoint(name: string): Promise<void> {
    return this.inner.rollbackToSavepoint?.(name) ?? Promise.reject(new Error("savepoints are not supported"));
  }

  releaseSavepoint(name: string): Promise<void> {
    return this.inner.releaseSavepoint?.(name) ?? Promise.reject(new Error("savepoints are not supported"));
  }

  private over(): void {
    if (this.released) return;
    this.released = true;
    this.release();
  }
}
