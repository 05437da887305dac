/**
 * Prisma's better-sqlite3 adapter prepares every statement anew (`db.prepare(sql).bind(args)`), and
 * compiling SQL is ~5% of a recovery's CPU (profiles of a wave and of 100 events/s). Prisma sends
 * the same few hundred SQL texts over and over, so the adapter gets a handle whose `prepare` keeps
 * one compiled statement per text (least recently used beyond `max`) and binds each call's
 * arguments at run time instead of on the statement. SQLite re-prepares a kept statement itself if
 * the schema changes under it.
 */
import type { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import type Database from "better-sqlite3";

type Factory = PrismaBetterSqlite3;
type Adapter = Awaited<ReturnType<Factory["connect"]>>;

/** The adapter factory, each connection it makes given a statement cache. */
export function withStatementCache(factory: Factory, max = 500): Factory {
  const cached = async (connect: () => Promise<Adapter>) => {
    const adapter = await connect();
    const holder = adapter as unknown as { client: Database.Database };
    holder.client = cachingHandle(holder.client, max);
    return adapter;
  };
  return Object.assign(Object.create(Object.getPrototypeOf(factory)) as Factory, factory, {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => cached(() => factory.connect()),
    connectToShadowDb: () => cached(() => factory.connectToShadowDb()),
  });
}

/** What the adapter calls on a prepared statement, with the arguments bound per call. */
function cachingHandle(db: Database.Database, max: number): Database.Database {
  const kept = new Map<string, Database.Statement>();
  const statement = (sql: string) => {
    let st = kept.get(sql);
    if (st) kept.delete(sql);
    else st = db.prepare(sql);
    kept.set(sql, st);
    if (kept.size > max) kept.delete(kept.keys().next().value as string);
    return st;
  };
  const prepare = (sql: string) => {
    const st = statement(sql);
    return {
      reader: st.reader,
      run: (...args: unknown[]) => st.run(...args),
      bind: (args: unknown[]) => ({
        reader: st.reader,
        run: () => st.run(args),
        columns: () => st.columns(),
        raw: () => ({ all: () => st.raw(true).all(args) }),
      }),
    };
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
