import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { canonicalJson, signBody } from "../../src/engine/index.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { createNodeRuntime, type NodeRuntime } from "../../src/node-runtime.ts";

let runtime: NodeRuntime;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-app-"));
  const config = loadConfig({ DATABASE_FILE: join(dir, "makegood.db"), ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  runtime = createNodeRuntime(config, silentLogger);
  await runtime.start();
});
afterAll(() => runtime.stop());

test("/healthz answers and /readyz reports the database and the engine", async () => {
  expect(await (await runtime.app.request("/healthz")).json()).toEqual({ status: "ok" });
  const ready = await runtime.app.request("/readyz");
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({ ok: true, checks: { database: { ok: true }, engine: { ok: true } } });
});

test("the embedded engine generated a signing key on first start and the SDK runs in cloud mode with it", () => {
  expect(runtime.engine?.signingKey).toMatch(/^signkey-prod-[0-9a-f]{64}$/);
});

const callBody = canonicalJson({
  event: { name: "x", data: {}, id: "1", ts: 1 },
  events: [{ name: "x", data: {}, id: "1", ts: 1 }],
  steps: {},
  version: 2,
  ctx: {
    run_id: "r",
    attempt: 0,
    max_attempts: 1,
    disable_immediate_execution: false,
    use_api: false,
    stack: { stack: [], current: 0 },
  },
});
const call = (headers: Record<string, string>, body = callBody) =>
  runtime.app.request("/api/inngest?fnId=makegood-anything&stepId=step", {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

test("the serve endpoint rejects an unsigned call", async () => {
  expect((await call({})).status).toBe(401);
});

test("the serve endpoint rejects a call signed with another key", async () => {
  const other = `signkey-prod-${"00".repeat(32)}`;
  expect((await call({ "x-inngest-signature": signBody(callBody, other) })).status).toBe(401);
});

test("the serve endpoint rejects a body tampered with after signing", async () => {
  const signature = signBody(callBody, runtime.engine?.signingKey as string);
  expect(
    (await call({ "x-inngest-signature": signature }, callBody.replace('"attempt":0', '"attempt":1'))).status,
  ).toBe(401);
});

test("a correctly signed call gets past signature checks", async () => {
  const response = await call({ "x-inngest-signature": signBody(callBody, runtime.engine?.signingKey as string) });
  expect(response.status).not.toBe(401);
});

test("unknown routes answer 404 in the error vocabulary", async () => {
  const response = await runtime.app.request("/nope");
  expect(response.status).toBe(404);
  expect(await response.json()).toMatchObject({ error: { code: "not_found", requestId: expect.any(String) } });
});
