import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { PrismaClient } from "../../src/db/generated/node/client.ts";
import { createNodePrisma, openMigratedPrisma } from "../../src/db/sqlite.ts";
import { holdWriteLock } from "./write-lock.ts";

// makegood's adapter (statements kept prepared) must answer every query exactly as the adapter
// Prisma ships: the same Prisma operations run through both on two identical files.
const dir = mkdtempSync(join(tmpdir(), "makegood-adapter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AT = new Date("2026-11-30T10:15:30.123Z");

/** A script of reads, writes, raw SQL and failures; what each step answered. */
async function script(prisma: PrismaClient): Promise<unknown[]> {
  const out: unknown[] = [];
  const outcome = async (work: () => Promise<unknown>) => {
    try {
      out.push({ ok: await work() });
    } catch (error) {
      const e = error as { code?: string; meta?: unknown; name?: string };
      out.push({ error: e.code ?? e.name, meta: e.meta });
    }
  };
  const customer = (id: string, extra = {}) => ({
    id,
    name: `Name ${id}`,
    email: `${id}@example.com`,
    createdAt: AT,
    updatedAt: AT,
    ...extra,
  });
  await outcome(() => prisma.customer.create({ data: customer("c1", { consentSms: true, phone: "+4479" }) }));
  await outcome(() => prisma.customer.create({ data: customer("c2", { locale: "fr-FR", erasedAt: AT }) }));
  await outcome(() => prisma.customer.create({ data: customer("c1") })); // unique violation
  await outcome(() =>
    prisma.disruption.create({
      data: {
        id: "d1",
        customerId: "c1",
        kind: "flight_cancelled",
        subjectKey: "flight:MG1",
        severity: "high",
        reason: "crew",
        facts: JSON.stringify({ flight: "MG1", n: 3 }),
        signalAt: AT,
        detectedAt: AT,
        updatedAt: AT,
        complainedFirst: true,
      },
    }),
  );
  await outcome(() =>
    prisma.gestureGrant.create({
      data: {
        id: "g1",
        disruptionId: "d1",
        customerId: "c1",
        gestureId: "voucher-25",
        kind: "voucher",
        description: "A voucher",
        value: "25.50",
        currency: "EUR",
        code: "ABC",
        status: "granted",
        reason: "policy",
        createdAt: AT,
      },
    }),
  );
  await outcome(() => prisma.budget.create({ data: { period: "2026-11", limit: 1000.25, currency: "EUR" } }));
  await outcome(() => prisma.disruption.findUnique({ where: { id: "d1" }, include: { customer: true, grants: true } }));
  await outcome(() => prisma.customer.findMany({ where: { consentSms: true }, orderBy: { id: "asc" } }));
  await outcome(() => prisma.customer.count({ where: { createdAt: { gte: new Date(AT.getTime() - 1) } } }));
  await outcome(() => prisma.gestureGrant.aggregate({ _sum: { value: true }, _max: { createdAt: true } }));
  await outcome(() => prisma.customer.groupBy({ by: ["locale"], _count: { _all: true }, orderBy: { locale: "asc" } }));
  await outcome(() => prisma.budgetSpend.findUnique({ where: { period: "2026-11" } }));
  await outcome(() =>
    prisma.disruption.updateMany({ where: { id: "d1", firstMessageAt: null }, data: { firstMessageAt: AT } }),
  );
  await outcome(() => prisma.$queryRaw`SELECT count(*) AS n, max("signalAt") AS latest, 1.5 AS half FROM "Disruption"`);
  await outcome(() => prisma.$queryRaw`SELECT "value", "createdAt", "code" FROM "GestureGrant" WHERE "id" = ${"g1"}`);
  await outcome(
    () =>
      prisma.$executeRaw`UPDATE "Customer" SET "smsOptedOut" = ${true} WHERE "id" = ${"c1"} AND "createdAt" = ${AT}`,
  );
  await outcome(() => prisma.customer.findUnique({ where: { id: "c1" }, select: { smsOptedOut: true } }));
  await outcome(() => prisma.$queryRawUnsafe("SELECT 9007199254740993 AS big, NULL AS empty"));
  await outcome(() => prisma.$executeRawUnsafe('INSERT INTO "Customer" ("id") VALUES (?)', "c3")); // not null
  await outcome(() => prisma.$queryRawUnsafe('SELECT "nope" FROM "Customer"'));
  await outcome(() => prisma.$queryRawUnsafe('SELECT * FROM "NoSuchTable"'));
  // A batch that fails on its last statement keeps nothing.
  await outcome(() =>
    prisma.$transaction([
      prisma.customer.create({ data: customer("c4") }),
      prisma.customer.create({ data: customer("c1") }),
    ]),
  );
  await outcome(() => prisma.customer.findMany({ select: { id: true }, orderBy: { id: "asc" } }));
  await outcome(() =>
    prisma.$transaction([
      prisma.customer.update({ where: { id: "c2" }, data: { tier: "gold" } }),
      prisma.customer.delete({ where: { id: "c2" } }),
    ]),
  );
  await outcome(() => prisma.customer.findUnique({ where: { id: "c2" } }));
  return JSON.parse(
    JSON.stringify(out, (key, value) =>
      key === "updatedAt" ? "(now)" : typeof value === "bigint" ? `${value}n` : value,
    ),
  );
}

describe("makegood's SQLite adapter", () => {
  it("answers every query as @prisma/adapter-better-sqlite3 does", async () => {
    const shippedFile = join(dir, "shipped.db");
    openMigratedPrisma(shippedFile).prisma.$disconnect();
    const shipped = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${shippedFile}` }) });
    const ours = openMigratedPrisma(join(dir, "ours.db")).prisma;
    const expected = await script(shipped);
    const actual = await script(ours);
    expect(actual).toEqual(expected);
    // The script says something: values of each kind came back, and the failures failed as Prisma's codes.
    const text = JSON.stringify(actual);
    for (const seen of [
      '"P2002"',
      '"NullConstraintViolation"',
      '"9007199254740993n"',
      '"25.5"',
      "2026-11-30T10:15:30.123Z",
      '"ABC"',
      '"fr-FR"',
      '"smsOptedOut":true',
    ])
      expect(text).toContain(seen);
    await shipped.$disconnect();
    await ours.$disconnect();
  });

  it("keeps one prepared statement per SQL text and still binds each call's values", async () => {
    const prisma = createNodePrisma(openMigratedFile("reuse.db"));
    for (const id of ["a", "b", "c"])
      await prisma.customer.create({ data: { id, name: id, createdAt: AT, updatedAt: AT } });
    const names = await Promise.all(["c", "a", "b"].map((id) => prisma.customer.findUnique({ where: { id } })));
    expect(names.map((c) => c?.name)).toEqual(["c", "a", "b"]);
    await prisma.$disconnect();
  });
});

describe("waiting for SQLite's write lock", () => {
  it("leaves the thread free meanwhile, then writes", async () => {
    const file = openMigratedFile("locked.db");
    const prisma = createNodePrisma(file);
    await prisma.setting.findMany(); // connected before the other process takes the lock
    const other = holdWriteLock(
      file,
      400,
      `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('other', '1', '2026-01-01')`,
    );
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    await prisma.setting.create({ data: { key: "mine", value: "2" } });
    const waited = performance.now() - started;
    clearInterval(ticker);
    await other;
    // It waited for the other writer, and timers kept firing meanwhile (SQLite's own busy handler
    // would have held the thread asleep: no tick at all).
    expect(waited).toBeGreaterThan(200);
    expect(ticks).toBeGreaterThan(5);
    expect((await prisma.setting.findMany({ orderBy: { key: "asc" } })).map((s) => s.key)).toEqual(["mine", "other"]);
    await prisma.$disconnect();
  });
});

function openMigratedFile(name: string): string {
  const file = join(dir, name);
  openMigratedPrisma(file).prisma.$disconnect();
  return file;
}
