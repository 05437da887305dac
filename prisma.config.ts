// Prisma's CLI wants a schema-engine binary it cannot download here; `generate`
// never uses it, so point it at a harmless stub (migrations use the wasm engine).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
