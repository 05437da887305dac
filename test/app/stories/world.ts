import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { createApiKey } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { loadConfig } from "../../../src/config.ts";
import { VirtualClock } from "../../../src/engine/index.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { createNodeRuntime } from "../../../src/node-runtime.ts";
import { startFakeResend } from "../../fakes/fake-resend.ts";
import { startFakeTwilio } from "../../fakes/fake-twilio.ts";
import { providerEnv } from "../../fakes/provider-env.ts";
import { startWorkersWorld } from "../../workers/world.ts";

/**
 * Which runtime the stories run on: `node` (the default) or `workers` (the `workers` test project
 * sets MAKEGOOD_RUNTIME=workers: the same story files against `wrangler dev` on local D1).
 */
export const RUNTIME = process.env.MAKEGOOD_RUNTIME === "workers" ? "workers" : "node";

/** The world a story runs in, on the runtime the test project chose. */
export async function startWorld(startAt = "2026-01-05T10:00:00Z", extraEnv: Record<string, string> = {}) {
  return RUNTIME === "workers" ? startWorkersWorld(startAt, extraEnv) : startNodeWorld(startAt, extraEnv);
}

/**
 * makegood as it runs in production on one machine — real SQLite files, the
 * embedded engine, the real Resend SDK and the Twilio REST client — pointed at
 * local fake providers that record what each customer received. Time is virtual.
 */
export async function startNodeWorld(startAt = "2026-01-05T10:00:00Z", extraEnv: Record<string, string> = {}) {
  const resend = await startFakeResend();
  const twilio = await startFakeTwilio();
  const dir = mkdtempSync(join(tmpdir(), "makegood-story-"));
  const clock = new VirtualClock(Date.parse(startAt));
  const config = loadConfig({
    DATABASE_FILE: join(dir, "makegood.db"),
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    ...extraEnv,
  });
  const env = { ...providerEnv(resend, twilio), ...extraEnv };
  const runtime = createNodeRuntime(config, silentLogger, { clock, env });
  await runtime.start();
  const engine = runtime.engine;
  if (!engine) throw new Error("the embedded engine should run");
  const key = await createApiKey(prismaApiKeyStore(runtime.prisma), "ops", [
    "events:write",
    "customers:write",
    "read",
    "approve",
  ]);
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await runtime.app.request(path, {
      method,
      headers: {
        authorization: `Bearer ${key.secret}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    kind: "node" as const,
    runtime,
    engine,
    clock,
    resend,
    twilio,
    prisma: runtime.prisma,
    /** The app's SQLite file. */
    databaseFile: config.DATABASE_FILE,
    /** The embedded engine's SQLite file (its run history). */
    engineFile: config.ENGINE_DATABASE_FILE,
    request,
    /** Let every workflow run until it waits (for time, an event or a manager). */
    settle: () => engine.drain(),
    advance: (ms: number) => engine.advance(ms),
    async stop() {
      await runtime.stop();
      await resend.close();
      await twilio.close();
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;
/** The Node world: for tests of what only a Node process has (its app in-process, function threads, the sweep called directly). */
export type NodeWorld = Awaited<ReturnType<typeof startNodeWorld>>;

export const HOUR = 3_600_000;

/**
 * PUT a customer through the API: a standard-tier UK customer, Ada Lovelace, reachable by email
 * and SMS unless `over` says otherwise. Fails the test unless the API answers 200.
 */
export async function putCustomer(w: Pick<World, "request">, id: string, over: Record<string, unknown> = {}) {
  const put = await w.request("PUT", `/api/customers/${id}`, {
    name: "Ada Lovelace",
    email: `${id}@example.com`,
    phone: "+447911123456",
    locale: "en-GB",
    timeZone: "Europe/London",
    tier: "standard",
    preferredChannel: "both",
    consent: { email: true, sms: true },
    ...over,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
}
