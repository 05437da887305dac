import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createFunctions } from "../../functions/index.ts";
import { ConfigSchema, loadConfig } from "../../src/config.ts";
import { hashedSigningKey } from "../../src/engine/signing.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { REDISPATCH_EVERY_MS } from "../../src/events/redispatch.ts";
import { createNodeRuntime, type NodeRuntime } from "../../src/node-runtime.ts";
import { NODE_ONLY_SETTINGS } from "../../src/workers/node-only.ts";
import { startWorkersWorld } from "./world.ts";

/** What exists on Node exists on Workers, or a list says why it is Node-only. */
let w: Awaited<ReturnType<typeof startWorkersWorld>>;
let node: NodeRuntime;
beforeAll(async () => {
  w = await startWorkersWorld("2026-01-05T10:00:00Z");
  const dir = mkdtempSync(join(tmpdir(), "makegood-parity-"));
  node = createNodeRuntime(
    loadConfig({ DATABASE_FILE: join(dir, "a.db"), ENGINE_DATABASE_FILE: join(dir, "e.db"), APP_THREADS: "0" }),
    silentLogger,
  );
});
afterAll(async () => {
  await node?.stop();
  await w?.stop();
});

test("every route of the Node app answers on Workers (none is missing there)", async () => {
  const routes = new Map<string, { method: string; path: string }>();
  for (const r of node.app.routes) {
    if (r.method === "ALL" || r.path.includes("*")) continue;
    routes.set(`${r.method} ${r.path}`, r);
  }
  expect(routes.size).toBeGreaterThan(40);
  const missing: string[] = [];
  for (const { method, path } of routes.values()) {
    const concrete = path.replace(/:[A-Za-z]+/g, "x");
    const response = await fetch(`${w.worker.url}${concrete}`, { method, redirect: "manual" });
    const body = await response.text();
    // A route may answer 404 by design (a webhook whose secret is unset): then Node does the same.
    const onNode = await (await node.app.request(concrete, { method })).text();
    if (response.status === 404 && body.includes("no route for") && !onNode.includes("no route for"))
      missing.push(`${method} ${path}`);
  }
  expect(missing).toEqual([]);
});

test("every function of the Node app is synced from Workers", async () => {
  const nodeIds = createFunctions(node.inngest, node.services)
    .map((f) => f.id("makegood"))
    .sort();
  const response = await w.engine.api.fetch(
    new Request("http://engine/v0/functions", {
      headers: { authorization: `Bearer ${hashedSigningKey(w.engine.signingKey)}` },
    }),
  );
  const listed = JSON.stringify(await response.json());
  for (const id of nodeIds) expect(listed, id).toContain(id);
});

test("what the Node process does on a timer, the Worker does from its Cron Trigger", async () => {
  // Node hands stranded accepted events over every minute (src/node-runtime.ts); Workers every minute
  // from wrangler.toml's trigger (src/workers/scheduled.ts; test/workers/scheduled.test.ts shows it).
  // The Inngest cron functions (sweep, purge) are synced above: the engine fires them on both.
  expect(REDISPATCH_EVERY_MS).toBe(60_000);
  expect(readFileSync("wrangler.toml", "utf8")).toMatch(/^\[triggers\]\ncrons = \["\* \* \* \* \*"\]$/m);
  expect(await w.scheduled()).toEqual({ status: 200, outcome: "ok" });
});

test("every setting is read on Workers, or the Node-only list says why not", () => {
  const settings = Object.keys(ConfigSchema.shape);
  for (const name of Object.keys(NODE_ONLY_SETTINGS)) expect(settings, `stale Node-only entry ${name}`).toContain(name);
  // The rest are read by the same loadConfig from the worker's vars and secrets (src/workers/runtime.ts).
  expect(settings.filter((s) => !(s in NODE_ONLY_SETTINGS)).length).toBeGreaterThan(0);
});

test("/readyz on Workers reports the sync with the engine", async () => {
  const ready = await fetch(`${w.worker.url}/readyz`);
  const body = (await ready.json()) as { ok: boolean; checks: { engine: { ok: boolean; detail: string } } };
  expect(ready.status).toBe(200);
  expect(body.checks.engine).toEqual({ ok: true, detail: expect.stringMatching(/^synced /) });
});
