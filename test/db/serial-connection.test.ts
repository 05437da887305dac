import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/db/generated/node/client.ts";
import { createNodePrisma, openSqlite } from "../../src/db/sqlite.ts";
import { holdWriteLock } from "./write-lock.ts";

// Each case runs on the adapter as Prisma ships it, where it goes wrong (so the case is known to
// catch the fault), and on the client every Node entry uses (createNodePrisma), where it must not.
const dir = mkdtempSync(join(tmpdir(), "makegood-serial-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function freshFile(): string {
  const file = join(dir, `t${files++}.db`);
  const db = openSqlite(file);
  db.exec("CREATE TABLE t (v TEXT NOT NULL)");
  db.close();
  return file;
}

const clients = {
  "as shipped": (file: string) => new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${file}` }) }),
  createNodePrisma: (file: string) => createNodePrisma(file),
};
const shipped = "as shipped";

/** What another connection sees committed in t. */
function committed(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare("SELECT v FROM t ORDER BY v").pluck().all() as string[];
  } finally {
    db.close();
  }
}

/** Prisma runs a query only once it is awaited; this sends it now. */
function started<T>(query: PromiseLike<T>): Promise<T> {
  return Promise.resolve(query.then((value) => value));
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A transaction held open until `end` settles, then rolled back; resolves `open` once BEGIN ran. */
function openTransaction(prisma: PrismaClient, end: Promise<void>, rows: string[] = []) {
  const open = deferred();
  const done = prisma
    .$transaction(async (tx) => {
      for (const v of rows) await tx.$executeRawUnsafe("INSERT INTO t (v) VALUES (?)", v);
      open.resolve();
      await end;
      throw new Error("rolled back on purpose");
    })
    .catch((error: unknown) => String(error));
  return { open: open.promise, done };
}

/**
 * Sends `query` while a transaction that wrote `rows` is open, lets it run, then ends that
 * transaction (rolled back on purpose): what the query answered, and how the transaction ended.
 */
async function besideTransaction<T>(prisma: PrismaClient, rows: string[], query: () => PromiseLike<T>) {
  const end = deferred();
  const txn = openTransaction(prisma, end.promise, rows);
  await txn.open;
  const outside = started(query());
  await new Promise((r) => setTimeout(r, 20));
  end.resolve();
  return { outside: await outside, txn: await txn.done };
}

describe.each(Object.keys(clients) as (keyof typeof clients)[])("one connection, %s", (name) => {
  const wrong = name === shipped;

  it(
    wrong
      ? "loses a write acknowledged while a transaction was open"
      : "keeps a write acknowledged while a transaction was open",
    async () => {
      const file = freshFile();
      const prisma = clients[name](file);
      const { outside, txn } = await besideTransaction(prisma, ["inside"], () =>
        prisma.$executeRawUnsafe("INSERT INTO t (v) VALUES ('outside')"),
      );
      expect(outside).toBe(1);
      expect(txn).toContain("rolled back on purpose");
      expect(committed(file)).toEqual(wrong ? [] : ["outside"]);
      await prisma.$disconnect();
    },
  );

  it(wrong ? "shows a read another transaction's uncommitted rows" : "shows a read only committed rows", async () => {
    const prisma = clients[name](freshFile());
    const { outside } = await besideTransaction(prisma, ["uncommitted"], () =>
      prisma.$queryRawUnsafe<{ v: string }[]>("SELECT v FROM t"),
    );
    expect(outside.map((r) => r.v)).toEqual(wrong ? ["uncommitted"] : []);
    await prisma.$disconnect();
  });

  it(
    wrong
      ? "fails a transaction's first write at once when a read slipped in before it"
      : "lets a transaction's first write wait for another writer's lock",
    async () => {
      const file = freshFile();
      const prisma = clients[name](file);
      const go = deferred();
      const begun = deferred();
      const txn = prisma
        .$transaction(async (tx) => {
          await tx.$queryRawUnsafe("SELECT 1"); // BEGIN has run (reading no table takes no snapshot)
          begun.resolve();
          await go.promise;
          await tx.$executeRawUnsafe("INSERT INTO t (v) VALUES ('mine')");
        })
        .then(
          () => "committed",
          (error: unknown) => String(error),
        );
      await begun.promise;
      const read = started(prisma.$queryRawUnsafe("SELECT count(*) AS n FROM t"));
      await new Promise((r) => setTimeout(r, 20));
      const other = holdWriteLock(file, 400, "INSERT INTO t (v) VALUES ('other')");
      go.resolve();
      const outcome = await txn;
      await read;
      await other;
      if (wrong) expect(outcome).not.toBe("committed");
      else {
        expect(outcome).toBe("committed");
        expect(committed(file)).toEqual(["mine", "other"]);
      }
      await prisma.$disconnect();
    },
  );
});
