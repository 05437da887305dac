import { availableParallelism } from "node:os";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, Hono } from "hono";
import { createFunctions } from "../functions/index.ts";
import { createApp, type ReadyReport } from "./app.ts";
import { prismaApiKeyStore } from "./auth/prisma-key-store.ts";
import { ensureDemoAdmin } from "./auth/users.ts";
import type { Config } from "./config.ts";
import { openMigratedPrisma, openSqlite, type QueryObserver } from "./db/sqlite.ts";
import { LoopHeadroom } from "./engine/headroom.ts";
import { type Clock, Engine, inProcessTransport } from "./engine/index.ts";
import type { Logger } from "./engine/types.ts";
import { REDISPATCH_EVERY_MS, REDISPATCH_GRACE_MS, redispatchStranded } from "./events/redispatch.ts";
import { createInngest } from "./inngest/client.ts";
import { loadMessagingConfig } from "./messaging/config.ts";
import { buildRecoveryServices } from "./recovery/build-services.ts";
import { seedDefaults } from "./recovery/defaults.ts";
import { seedDemoCustomers } from "./recovery/demo-data.ts";
import { cachedReferenceData } from "./recovery/reference-data.ts";
import { FunctionThreads } from "./threads/pool.ts";

/** The socket's peer address; none in-process (tests) or for loopback (a local proxy would make everyone one IP). */
function socketIp(c: Context): string | undefined {
  try {
    const address = getConnInfo(c).remote.address;
    return address && !/^(127\.|::1$|::ffff:127\.)/.test(address) ? address : undefined;
  } catch {
    return undefined;
  }
}

/** Hooks for benchmarks: every SQL statement Prisma runs, and every engine → SDK call (wraps it). */
export interface RuntimeObserver {
  query?: QueryObserver;
  call?: (request: Request, next: () => Promise<Response>) => Promise<Response>;
}

/**
 * Everything the Node process runs, assembled but not listening: migrated
 * SQLite + Prisma, the embedded engine (unless ENGINE=inngest), the Inngest
 * client and the app. Tests build exactly what production builds.
 */
export function createNodeRuntime(
  config: Config,
  logger: Logger,
  opts: { clock?: Clock; env?: Record<string, string | undefined>; observe?: RuntimeObserver } = {},
) {
  const { prisma, applied } = openMigratedPrisma(config.DATABASE_FILE, opts.observe?.query);
  if (applied.length) logger.info("database migrated", { file: config.DATABASE_FILE, applied });

  let app: Hono | undefined;
  const headroom = engineHeadroom(config, opts.clock);
  const engine =
    config.ENGINE === "embedded"
      ? new Engine({
          db: openSqlite(config.ENGINE_DATABASE_FILE),
          transport: inProcessTransport((request) => {
            const call = (): Promise<Response> =>
              threads ? threads.transport(request) : Promise.resolve((app as Hono).fetch(request));
            return opts.observe?.call ? opts.observe.call(request, call) : call();
          }),
          signingKey: config.INNGEST_SIGNING_KEY,
          eventKey: config.INNGEST_EVENT_KEY,
          clock: opts.clock,
          logger,
          maxInFlight: config.ENGINE_CONCURRENCY,
          headroom,
        })
      : undefined;
  if (headroom && engine) headroom.onGrow = () => engine.wake();
  const inngest = createInngest(
    engine
      ? {
          signingKey: engine.signingKey,
          eventKey: engine.eventKey,
          baseUrl: "http://embedded-engine.internal",
          fetch: engine.fetch,
        }
      : {
          signingKey: config.INNGEST_SIGNING_KEY as string,
          signingKeyFallback: config.INNGEST_SIGNING_KEY_FALLBACK,
          eventKey: config.INNGEST_EVENT_KEY as string,
          baseUrl: config.INNGEST_BASE_URL,
          logger,
        },
  );

  const serveUrl = config.APP_URL ?? `http://${config.HOST}:${config.PORT}/api/inngest`;
  let synced: { ok: boolean; detail?: string } = { ok: false, detail: "not synced yet" };
  const ready = async (): Promise<ReadyReport> => {
    const database = await prisma.$queryRaw`SELECT 1`.then(
      () => ({ ok: true }),
      (error: unknown) => ({ ok: false, detail: String(error) }),
    );
    return { ok: database.ok && synced.ok, checks: { database, engine: synced } };
  };
  const now = () => new Date(opts.clock?.now() ?? Date.now());
  const messaging = loadMessagingConfig(opts.env ?? {});
  // Function threads (APP_THREADS) run the recoveries on more cores, beside the engine and the API here.
  const threadCount = functionThreads(config, opts.clock);
  const threads: FunctionThreads | undefined =
    engine && threadCount > 0
      ? new FunctionThreads(
          threadCount,
          {
            databaseFile: config.DATABASE_FILE,
            signingKey: engine.signingKey,
            eventKey: engine.eventKey,
            env: { ...opts.env },
            unknownCustomerHoldHours: config.UNKNOWN_CUSTOMER_HOLD_HOURS,
            logLevel: config.LOG_LEVEL,
          },
          (request) => engine.fetch(request),
          logger,
        )
      : undefined;
  // One process owns this database: every writer of reference data in it calls reference.changed
  // (which also empties the function threads' caches).
  const cached = cachedReferenceData(prisma);
  const reference = threads ? threads.broadcasting(cached) : cached;
  const services = buildRecoveryServices({
    prisma,
    reference,
    env: opts.env ?? {},
    unknownCustomerHoldHours: config.UNKNOWN_CUSTOMER_HOLD_HOURS,
    logger,
    now,
  });

  let redispatcher: ReturnType<typeof setInterval> | undefined;
  let historyPurger: ReturnType<typeof setInterval> | undefined;
  // RETENTION_DAYS covers the embedded engine's copies too: finished runs' payloads and step results.
  const purgeEngineHistory = async () => {
    if (!engine || !config.RETENTION_DAYS) return;
    const cutoff = now().getTime() - config.RETENTION_DAYS * 86_400_000;
    try {
      for (let batch = engine.purgeHistory(cutoff); batch.more; batch = engine.purgeHistory(cutoff))
        await new Promise((resolve) => setImmediate(resolve)); // a batch at a time: requests go in between
    } catch (error) {
      logger.error("purging the engine's history failed; will try again in an hour", { error: String(error) });
    }
  };
  const redispatch = (graceMs: number) =>
    redispatchStranded({ prisma, inngest, now, logger }, graceMs).catch((error: unknown) =>
      logger.error("handing stranded events to the engine failed; will try again", { error: String(error) }),
    );
  const builtApp = createApp({
    inngest,
    functions: createFunctions(inngest, services),
    ready,
    logger,
    prisma,
    reference,
    apiKeys: prismaApiKeyStore(prisma),
    now,
    twilioAuthToken: messaging.twilio?.authToken,
    resendWebhookSecret: messaging.resendWebhookSecret,
    publicUrl: config.APP_URL,
    clientIp: socketIp,
    engineStore: engine,
  });
  app = builtApp;

  return {
    app: builtApp,
    threads,
    engine,
    prisma,
    inngest,
    services,
    /** What the hourly timer does: the engine's history past RETENTION_DAYS purged (tests call it at once). */
    purgeEngineHistory,
    /**
     * Start the engine and register the functions with whichever engine the client points at.
     * On a demo's first start (DEMO_DATA, no users yet) returns the demo admin's password, to print once.
     */
    async start(): Promise<{ demoAdmin?: { email: string; password: string } }> {
      const seeded = await seedDefaults(prisma, reference, now());
      if (config.DEMO_DATA && (await seedDemoCustomers(prisma)) > 0) seeded.push("demo customers");
      const demoAdmin = config.DEMO_DATA ? await ensureDemoAdmin(prisma, now()) : undefined;
      if (demoAdmin) seeded.push(`demo admin ${demoAdmin.email}`);
      if (seeded.length) logger.info("seeded defaults", { seeded });
      await threads?.start();
      engine?.start();
      try {
        if (engine) await engine.syncApp(serveUrl);
        else {
          const response = await builtApp.fetch(new Request(serveUrl, { method: "PUT" }));
          if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
        }
        synced = {
          ok: true,
          detail: engine ? "embedded engine" : `inngest at ${config.INNGEST_BASE_URL ?? "Inngest Cloud"}`,
        };
        // Hand over what an earlier process accepted but never handed over, now and every minute
        // (events older than half a minute, so requests in progress are left alone).
        await redispatch(0);
        redispatcher = setInterval(() => void redispatch(REDISPATCH_GRACE_MS), REDISPATCH_EVERY_MS);
        redispatcher.unref();
        await purgeEngineHistory();
        historyPurger = setInterval(() => void purgeEngineHistory(), 3_600_000);
        historyPurger.unref();
      } catch (error) {
        synced = { ok: false, detail: `sync failed: ${(error as Error).message}` };
        logger.error("sync with the engine failed", { error: String(error) });
      }
      return { demoAdmin };
    },
    async stop(): Promise<void> {
      clearInterval(redispatcher);
      clearInterval(historyPurger);
      headroom?.stop();
      await engine?.stop();
      await threads?.stop();
      await prisma.$disconnect();
    },
  };
}

export type NodeRuntime = ReturnType<typeof createNodeRuntime>;

/**
 * The engine's headroom for the API and dashboard under any backlog (./engine/headroom.ts), unless
 * ENGINE_HEADROOM=off; a virtual clock (tests) keeps the engine's fixed limit, so runs stay deterministic.
 */
export function engineHeadroom(
  config: Pick<Config, "ENGINE" | "ENGINE_HEADROOM" | "ENGINE_CONCURRENCY">,
  clock: Clock | undefined,
): LoopHeadroom | undefined {
  if (config.ENGINE !== "embedded" || config.ENGINE_HEADROOM === "off" || clock) return undefined;
  return new LoopHeadroom({ max: config.ENGINE_CONCURRENCY });
}

/**
 * How many function threads to start: `auto` is one per core (the engine and the API in the main
 * thread are light beside the recoveries: on two cores, two threads told a 300-passenger wave
 * faster than one or none), none on one core. A virtual clock (tests) lives in this thread only, so
 * it runs the functions here; asking for threads as well is a configuration error.
 */
export function functionThreads(config: Pick<Config, "APP_THREADS">, clock: Clock | undefined): number {
  if (config.APP_THREADS === "auto")
    return clock || availableParallelism() < 2 ? 0 : Math.min(8, availableParallelism());
  if (clock && config.APP_THREADS > 0)
    throw new Error("APP_THREADS must be 0 (or auto) with a virtual clock: the function threads keep real time");
  return config.APP_THREADS;
}
