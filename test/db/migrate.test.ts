import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyMigrations, loadMigrationFiles } from "../../src/db/migrate.ts";
import { createNodePrisma, openSqlite } from "../../src/db/sqlite.ts";

const migrationsDir = join(import.meta.dirname, "../../prisma/migrations");

describe("applyMigrations", () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-migrate-"));
  // A nested path also checks that openSqlite creates the parent directory.
  const file = join(dir, "nested", "app.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the tables on a fresh file, then applies nothing the second time", () => {
    const migrations = loadMigrationFiles(migrationsDir);
    expect(migrations.map((m) => m.name)).toContain("0001_init.sql");

    const db = openSqlite(file);
    try {
      expect(applyMigrations(db, migrations)).toEqual(migrations.map((m) => m.name));
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toContain("Setting");
      expect(tables).toContain("d1_migrations");
      expect(applyMigrations(db, migrations)).toEqual([]);
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("rolls back a failing migration and keeps the earlier ones", () => {
    const db = openSqlite(join(dir, "fail.db"));
    try {
      const good = { name: "0001_a.sql", sql: "CREATE TABLE a (x);" };
      const bad = {
        name: "0002_b.sql",
        sql: "CREATE TABLE b (x); INSERT INTO nope VALUES (1);",
      };
      expect(() => applyMigrations(db, [good, bad])).toThrow(/nope/);
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
      expect(tables).toContain("a");
      expect(tables).not.toContain("b");
      expect(db.prepare("SELECT name FROM d1_migrations").pluck().all()).toEqual(["0001_a.sql"]);
    } finally {
      db.close();
    }
  });

  it("lets a PrismaClient write and read a Setting", async () => {
    const prisma = createNodePrisma(file);
    try {
      await prisma.setting.create({
        data: { key: "greeting", value: "hello" },
      });
      const row = await prisma.setting.findUnique({
        where: { key: "greeting" },
      });
      expect(row?.value).toBe("hello");
      expect(row?.updatedAt).toBeInstanceOf(Date);
    } finally {
      await prisma.$disconnect();
    }
  });
});
