import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { createNodePrisma, openSqlite } from "../../src/db/sqlite.ts";
import { Engine, VirtualClock } from "../../src/engine/index.ts";
import { generateEventKey, generateSigningKey } from "../../src/engine/signing.ts";
import { CLOCK_HEADER } from "../../src/workers/runtime.ts";
import { startFakeResend } from "../fakes/fake-resend.ts";
import { startFakeTwilio } from "../fakes/fake-twilio.ts";
import { providerEnv } from "../fakes/provider-env.ts";
import { applyLocalMigrations, freePort, localD1File, startWranglerDev } from "./wrangler-dev.ts";

/**
 * makegood as it runs on Cloudflare Workers: `src/worker.ts` under `wrangler dev --local` on local
 * D1 (migrations applied with `wrangler d1 migrations apply --local`, defaults seeded by the first
 * request), driven over HTTP by the standalone engine (here in the test process, so its clock is
 * virtual), sending through the real Resend SDK and Twilio client to local fake providers.
 * The worker takes each request's time from the engine's virtual clock (`ALLOW_CLOCK_HEADER`,
 * a test-only switch). `prisma` reads the same D1 file from Node, as the stories' assertions do.
 */
export async function startWorkersWorld(startAt: string, extraEnv: Record<string, string> = {}) {
  const resend = await startFakeResend();
  const twilio = await startFakeTwilio();
  const dir = mkdtempSync(join(tmpdir(), "makegood-workers-"));
  const state = join(dir, "wrangler-state");
  applyLocalMigrations(state);
  const clock = new VirtualClock(Date.parse(startAt));
  const signingKey = generateSigningKey("test");
  const eventKey = generateEventKey();
  const stamp = (request: Request) => {
    const stamped = new Request(request);
    stamped.headers.set(CLOCK_HEADER, String(clock.now()));
    return stamped;
  };
  const engine = new Engine({
    db: openSqlite(join(dir, "engine.db")),
    transport: (request) => fetch(stamp(request)),
    clock,
    signingKey,
    eventKey,
  });
  const enginePort = await freePort();
  // The engine as the worker reaches it; `engineUnreachable` makes it answer 503 to everything.
  let unreachable = false;
  const engineFetch = (request: Request) =>
    unreachable ? new Response("engine down (test)", { status: 503 }) : engine.api.fetch(request);
  const engineServer = serve({ fetch: engineFetch, port: enginePort, hostname: "127.0.0.1" });
  const worker = await startWranglerDev(state, {
    INNGEST_SIGNING_KEY: signingKey,
    INNGEST_EVENT_KEY: eventKey,
    INNGEST_BASE_URL: `http://127.0.0.1:${enginePort}`,
    ALLOW_CLOCK_HEADER: "true",
    LOG_LEVEL: "warn",
    ...providerEnv(resend, twilio),
    ...extraEnv,
  });
  engine.start();
  await engine.syncApp(`${worker.url}/api/inngest`);
  const prisma = createNodePrisma(localD1File(state));
  const key = await createApiKey(prismaApiKeyStore(prisma), "ops", [
    "events:write",
    "customers:write",
    "read",
    "approve",
  ]);
  /** The worker over HTTP at the engine's time (redirects are not followed), as `app.request` is in-process. */
  const app = {
    request(path: string, init: RequestInit = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set(CLOCK_HEADER, String(clock.now()));
      return fetch(`${worker.url}${path}`, { ...init, headers, redirect: "manual" });
    },
  };
  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${worker.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key.secret}`,
        [CLOCK_HEADER]: String(clock.now()),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  return {
    kind: "workers" as const,
    /** The worker's origin, and wrangler's local state directory (its D1). */
    url: worker.url,
    state,
    runtime: {
      app,
      prisma,
      /** The origin a browser would send (the dashboard's CSRF check compares it). */
      origin: worker.url,
      /** Workers read reference data on every request: there is no cache to tell. */
      services: { reference: { changed: (_part: string) => {} } },
    },
    engine,
    clock,
    resend,
    twilio,
    prisma,
    request,
    worker,
    /** From now on the engine answers 503 to the worker (`false`: it answers again). */
    engineUnreachable(down: boolean) {
      unreachable = down;
    },
    /**
     * Fires the worker's Cron Trigger at the engine's time, as Cloudflare does
     * (`/cdn-cgi/handler/scheduled`, which `wrangler dev` serves); resolves to the handler's outcome.
     */
    async scheduled(cron = "* * * * *") {
      const query = new URLSearchParams({ cron, time: String(clock.now()) });
      const response = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?${query}`);
      return { status: response.status, outcome: await response.text() };
    },
    settle: () => engine.drain(),
    advance: (ms: number) => engine.advance(ms),
    async stop() {
      await engine.stop();
      engineServer.close();
      await worker.stop();
      await prisma.$disconnect();
      await resend.close();
      await twilio.close();
    },
  };
}
