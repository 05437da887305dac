// Usage: npm run db:migration -- <name>
// Writes prisma/migrations/NNNN_<name>.sql with the SQL that brings the
// migrations up to prisma/schema.prisma (flat layout, as wrangler d1 expects).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { diffMigrationsToSchema, listMigrationFiles } from "../src/db/schema-diff.ts";

const migrationsDir = "prisma/migrations";
const schemaPath = "prisma/schema.prisma";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name>   (lowercase letters, digits, _)");
  process.exit(1);
}

const sql = await diffMigrationsToSchema({ migrationsDir, schemaPath });
if (sql === "") {
  console.log("schema and migrations agree; nothing written");
} else {
  const last = listMigrationFiles(migrationsDir)
    .map((f) => Number.parseInt(f.split("_")[0] ?? "", 10))
    .filter(Number.isFinite);
  const next = String(Math.max(0, ...last) + 1).padStart(4, "0");
  const file = join(migrationsDir, `${next}_${name}.sql`);
  mkdirSync(migrationsDir, { recursive: true });
  writeFileSync(file, sql.endsWith("\n") ? sql : `${sql}\n`);
  console.log(`wrote ${file}`);
}
