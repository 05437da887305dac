import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { loadConfig } from "../../../src/config.ts";
import type { Logger } from "../../../src/engine/types.ts";
import { createNodeRuntime, type NodeRuntime } from "../../../src/node-runtime.ts";
import { call, customer, uniqueId } from "./harness.ts";

/** GET /api/events/{id}: the outcome a sender can read, and the log line of each part not acted on. */

const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
const recording: Logger = {
  info: (message, fields) => void lines.push({ level: "info", message, fields }),
  warn: (message, fields) => void lines.push({ level: "warn", message, fields }),
  error: (message, fields) => void lines.push({ level: "error", message, fields }),
};
let runtime: NodeRuntime;
let write: string;
let read: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-outcome-"));
  const config = loadConfig({ DATABASE_FILE: join(dir, "makegood.db"), ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  runtime = createNodeRuntime(config, recording);
  await runtime.start();
  const store = prismaApiKeyStore(runtime.prisma);
  write = (await createApiKey(store, "w", ["events:write", "customers:write"])).secret;
  read = (await createApiKey(store, "r", ["read"])).secret;
});
afterAll(() => runtime.stop());

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const get = async (id: string, key = read) => {
  const response = await call(runtime, "GET", `/api/events/${encodeURIComponent(id)}`, undefined, { key });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test("an ETA within the promise is processed with `not_late`, and logged once as one structured line", async () => {
  const id = uniqueId("eta");
  const event = {
    id,
    type: "shipment.eta_updated",
    occurredAt: ago(60_000),
    customer: customer(),
    data: { orderId: uniqueId("ord"), customerId: uniqueId("c"), promisedBy: ago(-86_400_000), newEta: ago(0) },
  };
  expect((await call(runtime, "POST", "/api/events", event, { key: write })).status).toBe(202);
  await runtime.engine?.drain();
  const { status, body } = await get(id);
  expect(status).toBe(200);
  expect(body).toMatchObject({
    id,
    type: "shipment.eta_updated",
    status: "processed",
    outcome: {
      opened: [],
      updated: [],
      resolved: [],
      superseded: [],
      ignored: [{ reason: "not_late", orderId: event.data.orderId, customerId: event.data.customerId }],
    },
  });
  const logged = lines.filter((l) => l.message === "event part not acted on" && l.fields?.eventId === id);
  expect(logged).toEqual([
    { level: "info", message: "event part not acted on", fields: expect.objectContaining({ reason: "not_late" }) },
  ]);
});

test("an event accepted but not decided yet is pending, with no outcome", async () => {
  const id = uniqueId("stored");
  await runtime.prisma.inboundEvent.create({
    data: { id, type: "shipment.delivered", bodyHash: "x", body: "{}", occurredAt: new Date() },
  });
  expect((await get(id)).body).toMatchObject({ id, status: "pending", outcome: null });
});

test("an unknown id is 404, a key without `read` is 403, a blank id is 400", async () => {
  expect((await get("never-sent")).status).toBe(404);
  expect((await get("never-sent", write)).status).toBe(403);
  expect((await get(" ")).status).toBe(400);
});
