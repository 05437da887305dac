/**
 * Assembles makegood for one Workers request: a Prisma client over this request's D1 binding,
 * the Inngest client, the functions and the app. Nothing that holds I/O (a client, a promise, a
 * connection) outlives the request: Workers cancel a request that waits on I/O begun by another
 * ("a promise resolved from a different request context"). What is kept across requests is plain
 * data: the parsed config and whether this isolate has checked the defaults are seeded.
 */
import { PrismaD1 } from "@prisma/adapter-d1";
import type { Context, Hono } from "hono";
import { createFunctions } from "../../functions/index.ts";
import { createApp, type ReadyReport } from "../app.ts";
import { prismaApiKeyStore } from "../auth/prisma-key-store.ts";
import { type Config, loadConfig } from "../config.ts";
import type { PrismaClient as NodePrismaClient } from "../db/generated/node/client.ts";
import { PrismaClient } from "../db/generated/workers/client.ts";
import { ERROR_FORMAT } from "../db/prisma-options.ts";
import type { Logger } from "../engine/types.ts";
import { createInngest, type MakegoodInngest } from "../inngest/client.ts";
import { createLogger } from "../logger.ts";
import { loadMessagingConfig } from "../messaging/config.ts";
import { buildRecoveryServices } from "../recovery/build-services.ts";
import { seedDefaults } from "../recovery/defaults.ts";
import { uncachedReferenceData } from "../recovery/reference-data.ts";
import { recordSync, syncCheck } from "./sync-record.ts";

export interface WorkerEnv {
  DB: ConstructorParameters<typeof PrismaD1>[0];
  [name: string]: unknown;
}

/** Tests only (`ALLOW_CLOCK_HEADER=true` under `wrangler dev`): the request's time, in ms, from this header. */
export const CLOCK_HEADER = "x-makegood-clock";

let settled: { env: WorkerEnv; config: Config; strings: Record<string, string> } | undefined;
/** Month (YYYY-MM) this isolate last made sure the defaults exist for. Plain data, not a promise. */
let seededFor: string | undefined;

function configFor(env: WorkerEnv) {
  if (settled?.env === env) return settled;
  const strings = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  settled = { env, config: loadConfig({ ...strings, ENGINE: "inngest" }), strings };
  return settled;
}

export interface RequestRuntime {
  app: Hono;
  prisma: NodePrismaClient;
  inngest: MakegoodInngest;
  logger: Logger;
  functionIds: string[];
  now: () => Date;
  /** Seeds the catalog, policies, this month's budget and templates when missing (idempotent, race-safe). */
  ensureSeeded(): Promise<void>;
}

/** The runtime for one request; its time is the clock header's when the test switch allows it. */
export function requestRuntime(env: WorkerEnv, request: Request): RequestRuntime {
  const clockHeader = configFor(env).strings.ALLOW_CLOCK_HEADER === "true" ? request.headers.get(CLOCK_HEADER) : null;
  const fixed = clockHeader ? Number(clockHeader) : undefined;
  return runtimeFor(env, () => new Date(fixed ?? Date.now()));
}

/** Everything one invocation (a request or a scheduled event) needs, built from its env, on its clock. */
export function runtimeFor(env: WorkerEnv, now: () => Date): RequestRuntime {
  const { config, strings } = configFor(env);
  const logger = createLogger(config.LOG_LEVEL);
  const inngest = createInngest({
    signingKey: config.INNGEST_SIGNING_KEY as string,
    signingKeyFallback: config.INNGEST_SIGNING_KEY_FALLBACK,
    eventKey: config.INNGEST_EVENT_KEY as string,
    baseUrl: config.INNGEST_BASE_URL,
    logger,
  });
  // Both generated clients have the same models; only the engine wiring differs.
  const prisma = new PrismaClient({
    adapter: new PrismaD1(env.DB),
    errorFormat: ERROR_FORMAT,
  }) as unknown as NodePrismaClient;
  // Isolates share D1, not memory: a change made through one is unseen by another's cache, so read each time.
  const reference = uncachedReferenceData(prisma);
  const services = buildRecoveryServices({
    prisma,
    reference,
    env: strings,
    unknownCustomerHoldHours: config.UNKNOWN_CUSTOMER_HOLD_HOURS,
    logger,
    now,
  });
  const functions = createFunctions(inngest, services);
  const functionIds = functions.map((f) => f.id("makegood"));
  const ready = async (): Promise<ReadyReport> => {
    const database = await prisma.$queryRaw`SELECT 1`.then(
      () => ({ ok: true }),
      (error: unknown) => ({ ok: false, detail: String(error) }),
    );
    const engine = database.ok ? await syncCheck(prisma, functionIds) : { ok: false, detail: "database unreachable" };
    return { ok: database.ok && engine.ok, checks: { database, engine } };
  };
  const messaging = loadMessagingConfig(strings);
  const app = createApp({
    inngest,
    functions,
    ready,
    logger,
    prisma,
    reference,
    apiKeys: prismaApiKeyStore(prisma),
    now,
    twilioAuthToken: messaging.twilio?.authToken,
    resendWebhookSecret: messaging.resendWebhookSecret,
    publicUrl: config.APP_URL,
    clientIp: (c: Context) => c.req.header("cf-connecting-ip"),
  });
  return {
    app,
    prisma,
    inngest,
    logger,
    functionIds,
    now,
    async ensureSeeded() {
      const month = now().toISOString().slice(0, 7);
      if (seededFor === month) return;
      try {
        const seeded = await seedDefaults(prisma, reference, now());
        if (seeded.length) logger.info("seeded defaults", { seeded });
      } catch (error) {
        // Two isolates seeding an empty database at once: the loser's insert hits a unique key; the
        // winner's rows are there. Anything else is a real failure.
        if ((error as { code?: unknown }).code !== "P2002") throw error;
      }
      seededFor = month;
    },
  };
}

/** One request: seed if this isolate has not yet, serve, and remember a successful sync. */
export async function handle(request: Request, env: WorkerEnv, ctx: unknown): Promise<Response> {
  const url = new URL(request.url);
  const rt = requestRuntime(env, request);
  // /healthz says the isolate is up and touches no database.
  if (url.pathname !== "/healthz") await rt.ensureSeeded();
  const response = await rt.app.fetch(request, env, ctx as never);
  if (request.method === "PUT" && url.pathname === "/api/inngest" && response.ok)
    await recordSync(rt.prisma, rt.functionIds, rt.now());
  return response;
}
