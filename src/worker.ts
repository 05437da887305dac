/**
 * Workers entry (scale-out): D1 for data, Inngest Cloud or a self-hosted
 * Inngest server as the engine. Only assembles dependencies, per request env.
 */
import type { Hono } from "hono";
import { createFunctions } from "../functions/index.ts";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { createInngest } from "./inngest/client.ts";
import { createLogger } from "./logger.ts";

interface D1Like {
  prepare(sql: string): { first(): Promise<unknown> };
}

export interface WorkerEnv {
  DB: D1Like;
  [name: string]: unknown;
}

let cached: { app: Hono; env: WorkerEnv } | undefined;

function appFor(env: WorkerEnv): Hono {
  if (cached?.env === env) return cached.app;
  const strings = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  const config = loadConfig({ ...strings, ENGINE: "inngest" });
  const logger = createLogger(config.LOG_LEVEL);
  const inngest = createInngest({
    signingKey: config.INNGEST_SIGNING_KEY as string,
    signingKeyFallback: config.INNGEST_SIGNING_KEY_FALLBACK,
    eventKey: config.INNGEST_EVENT_KEY as string,
    baseUrl: config.INNGEST_BASE_URL,
  });
  const ready = async () => {
    const database = await env.DB.prepare("SELECT 1")
      .first()
      .then(
        () => ({ ok: true }),
        (error: unknown) => ({ ok: false, detail: String(error) }),
      );
    return { ok: database.ok, checks: { database } };
  };
  const app = createApp({ inngest, functions: createFunctions(inngest), ready, logger });
  cached = { app, env };
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    return appFor(env).fetch(request, env, ctx as never);
  },
};
