import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Hono } from "hono";
import { afterAll, expect, test } from "vitest";
import { createApiKey, verifyApiKey } from "../../src/auth/api-keys.ts";
import { requireScope } from "../../src/auth/middleware.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { openMigratedPrisma } from "../../src/db/sqlite.ts";
import { AppError, errorResponse } from "../../src/http/errors.ts";

const file = join(mkdtempSync(join(tmpdir(), "makegood-keys-")), "db.sqlite");
const { prisma } = openMigratedPrisma(file);
const store = prismaApiKeyStore(prisma);
afterAll(() => prisma.$disconnect());

test("a created key is stored only as a hash and verifies; a revoked one does not", async () => {
  const key = await createApiKey(store, "carrier-feed", ["events:write"]);
  const row = await prisma.apiKey.findUniqueOrThrow({ where: { prefix: key.prefix } });
  expect(row.hash).not.toContain(key.secret.split("_")[2]);
  expect(JSON.stringify(row)).not.toContain(key.secret);
  expect(await verifyApiKey(store, key.secret)).toMatchObject({
    ok: true,
    key: { name: "carrier-feed", scopes: ["events:write"] },
  });
  const tampered = `${key.secret.slice(0, -1)}${key.secret.endsWith("0") ? "1" : "0"}`;
  expect(await verifyApiKey(store, tampered)).toEqual({ ok: false, reason: "unknown" });
  expect(await verifyApiKey(store, "Bearer nonsense")).toEqual({ ok: false, reason: "malformed" });
  expect(await store.revoke(key.prefix, new Date())).toBe(true);
  expect(await verifyApiKey(store, key.secret)).toEqual({ ok: false, reason: "revoked" });
});

test("routes behind requireScope answer 401 without a valid key and 403 without the scope", async () => {
  const app = new Hono();
  app.onError((error, c) => (error instanceof AppError ? errorResponse(c, error) : c.text("boom", 500)));
  app.get("/guarded", requireScope(store, "read"), (c) => c.json({ name: c.get("apiKey").name }));
  const reader = await createApiKey(store, "dashboard-reader", ["read"]);
  const writer = await createApiKey(store, "writer", ["events:write"]);
  const call = (auth?: string) => app.request("/guarded", { headers: auth ? { authorization: auth } : {} });

  const missing = await call();
  expect(missing.status).toBe(401);
  expect(missing.headers.get("www-authenticate")).toBe("Bearer");
  expect(await missing.json()).toMatchObject({ error: { code: "unauthenticated" } });
  expect((await call("Bearer mg_000000000000_000000000000000000000000000000000000000000000000")).status).toBe(401);
  const forbidden = await call(`Bearer ${writer.secret}`);
  expect(forbidden.status).toBe(403);
  expect(await forbidden.json()).toMatchObject({
    error: { code: "forbidden", message: expect.stringContaining('"read"') },
  });
  const ok = await call(`Bearer ${reader.secret}`);
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ name: "dashboard-reader" });
});
