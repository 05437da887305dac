import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { PrismaClient } from "../../src/db/generated/node/client.ts";
import { openMigratedPrisma } from "../../src/db/sqlite.ts";

// Counts the statements SQLite compiles, whoever asks (the adapter goes through the cache).
const prepared: string[] = [];
const realPrepare = Database.prototype.prepare;
let prisma: PrismaClient;
beforeAll(() => {
  Database.prototype.prepare = function (this: Database.Database, sql: string) {
    prepared.push(sql);
    return realPrepare.call(this, sql);
  } as typeof realPrepare;
  prisma = openMigratedPrisma(join(mkdtempSync(join(tmpdir(), "makegood-stmt-")), "db.sqlite")).prisma;
});
afterAll(async () => {
  Database.prototype.prepare = realPrepare;
  await prisma.$disconnect();
});

test("Prisma's repeated queries compile once and still answer each call's own arguments", async () => {
  prepared.length = 0;
  await prisma.customer.create({ data: { id: "c-1", name: "Ada" } });
  await prisma.customer.create({ data: { id: "c-2", name: "Grace" } });
  const names: string[] = [];
  for (const id of ["c-1", "c-2", "c-1", "c-2", "nobody"]) {
    names.push((await prisma.customer.findUnique({ where: { id } }))?.name ?? "—");
  }
  expect(names).toEqual(["Ada", "Grace", "Ada", "Grace", "—"]);
  expect(prepared.filter((sql) => sql.includes("FROM `main`.`Customer`"))).toHaveLength(1);
  // Writes too, and raw SQL with its own parameters.
  for (let i = 3; i < 8; i++) await prisma.customer.create({ data: { id: `c-${i}`, name: `N${i}` } });
  expect(prepared.filter((sql) => sql.startsWith("INSERT INTO `main`.`Customer`"))).toHaveLength(1);
  expect(await prisma.customer.count()).toBe(7);
  const raw = async (n: string) =>
    prisma.$queryRawUnsafe<Array<{ name: string }>>(`SELECT "name" FROM "Customer" WHERE "id" = ?`, n);
  expect([(await raw("c-3"))[0]?.name, (await raw("c-7"))[0]?.name]).toEqual(["N3", "N7"]);
});

test("batches and rollbacks behave as before on kept statements", async () => {
  await prisma.$transaction([
    prisma.customer.update({ where: { id: "c-1" }, data: { name: "Ada L." } }),
    prisma.customer.update({ where: { id: "c-2" }, data: { name: "Grace H." } }),
  ]);
  await expect(
    prisma.$transaction([
      prisma.customer.update({ where: { id: "c-1" }, data: { name: "changed" } }),
      prisma.customer.create({ data: { id: "c-2", name: "duplicate id" } }),
    ]),
  ).rejects.toThrow();
  const rows = await prisma.customer.findMany({ where: { id: { in: ["c-1", "c-2"] } }, orderBy: { id: "asc" } });
  expect(rows.map((r) => r.name)).toEqual(["Ada L.", "Grace H."]);
});
