/**
 * Node entry (the embedded default): one process, SQLite files under ./data,
 * makegood's own durable engine in-process. With ENGINE=inngest the same app
 * is driven by Inngest Cloud or a self-hosted Inngest server instead.
 */
import { fileURLToPath } from "node:url";
import { serve as serveNode } from "@hono/node-server";
import type { Hono } from "hono";
import { createFunctions } from "../functions/index.ts";
import { createApp, type ReadyReport } from "./app.ts";
import { loadConfig } from "./config.ts";
import { applyMigrations, loadMigrationFiles } from "./db/migrate.ts";
import { createNodePrisma, openSqlite } from "./db/sqlite.ts";
import { Engine, inProcessTransport } from "./engine/index.ts";
import { createInngest } from "./inngest/client.ts";
import { createLogger } from "./logger.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/migrations", import.meta.url));

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);

  const raw = openSqlite(config.DATABASE_FILE);
  const applied = applyMigrations(raw, loadMigrationFiles(MIGRATIONS_DIR));
  raw.close();
  if (applied.length) logger.info("database migrated", { file: config.DATABASE_FILE, applied });
  const prisma = createNodePrisma(config.DATABASE_FILE);

  let app: Hono | undefined;
  const engine =
    config.ENGINE === "embedded"
      ? new Engine({
          db: openSqlite(config.ENGINE_DATABASE_FILE),
          transport: inProcessTransport((request) => (app as Hono).fetch(request)),
          signingKey: config.INNGEST_SIGNING_KEY,
          eventKey: config.INNGEST_EVENT_KEY,
          logger,
        })
      : undefined;
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
  app = createApp({ inngest, functions: createFunctions(inngest), ready, logger });

  const server = serveNode({ fetch: app.fetch, port: config.PORT, hostname: config.HOST });
  engine?.start();
  // Out-of-band sync: the SDK registers the functions with whichever engine its client points at.
  try {
    if (engine) await engine.syncApp(serveUrl);
    else await assertOk(await app.fetch(new Request(serveUrl, { method: "PUT" })));
    synced = {
      ok: true,
      detail: engine ? "embedded engine" : `inngest at ${config.INNGEST_BASE_URL ?? "Inngest Cloud"}`,
    };
  } catch (error) {
    synced = { ok: false, detail: `sync failed: ${(error as Error).message}` };
    logger.error("sync with the engine failed", { error: String(error) });
  }
  logger.info("makegood is running", {
    url: `http://${config.HOST}:${config.PORT}`,
    engine: config.ENGINE,
    health: "/healthz",
    ready: "/readyz",
  });

  const shutdown = async () => {
    server.close();
    await engine?.stop();
    await prisma.$disconnect();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

async function assertOk(response: Response): Promise<void> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
