import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffMigrationsToSchema } from "../../src/db/schema-diff.ts";

const root = join(import.meta.dirname, "../..");
const migrationsDir = join(root, "prisma/migrations");
const schemaPath = join(root, "prisma/schema.prisma");

describe("prisma migrations", () => {
  it("the schema and the migrations agree", async () => {
    const sql = await diffMigrationsToSchema({ migrationsDir, schemaPath });
    expect(
      sql,
      "prisma/schema.prisma differs from prisma/migrations: run `npm run db:migration -- <name>` and commit the new file",
    ).toBe("");
  });

  describe("with a temp copy", () => {
    const dir = mkdtempSync(join(tmpdir(), "makegood-drift-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const extraModels = `
model Widget {
  id   Int    @id @default(autoincrement())
  name String @unique
}

model Gadget {
  id Int @id
}
`;

    it("detects a model missing from the migrations", async () => {
      const schema = join(dir, "schema.prisma");
      writeFileSync(schema, readFileSync(schemaPath, "utf8") + extraModels);
      const sql = await diffMigrationsToSchema({
        migrationsDir,
        schemaPath: schema,
      });
      expect(sql).toMatch(/CREATE TABLE "Widget"/);
      expect(sql).toMatch(/CREATE TABLE "Gadget"/);
    });

    it("replays multi-statement migration files", async () => {
      // The extra models need several statements (two tables and an index), which
      // exercises the shadow connection's executeScript fallback.
      const schema = join(dir, "schema.prisma");
      writeFileSync(schema, readFileSync(schemaPath, "utf8") + extraModels);
      const migs = join(dir, "migrations");
      mkdirSync(migs);
      copyFileSync(join(migrationsDir, "0001_init.sql"), join(migs, "0001_init.sql"));
      const next = await diffMigrationsToSchema({
        migrationsDir: migs,
        schemaPath: schema,
      });
      writeFileSync(join(migs, "0002_extra.sql"), next);
      expect(
        await diffMigrationsToSchema({
          migrationsDir: migs,
          schemaPath: schema,
        }),
      ).toBe("");
    });
  });
});
