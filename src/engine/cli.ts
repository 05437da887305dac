/**
 * Run the embedded engine on its own, driving any Inngest app over HTTP:
 *
 *   npm run engine -- --app http://127.0.0.1:8787/api/inngest --port 8288
 *
 * Keys come from INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY when set (configure the
 * app with the same keys and INNGEST_BASE_URL=http://127.0.0.1:<port>); otherwise
 * they are generated once and kept in the engine's database, and printed.
 */
import { parseArgs } from "node:util";
import { serve } from "@hono/node-server";
import { openSqlite } from "../db/sqlite.ts";
import { createLogger } from "../logger.ts";
import { Engine } from "./engine.ts";
import { httpTransport } from "./transport.ts";

const USAGE =
  "usage: npm run engine -- --app <serve url> --port <port> [--host 127.0.0.1] [--db ./data/engine-standalone.db]";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: "string" },
      port: { type: "string", default: "8288" },
      host: { type: "string", default: "127.0.0.1" },
      db: { type: "string", default: "./data/engine-standalone.db" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help || !values.app) {
    console.log(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const appUrl = new URL(values.app).toString();
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be 1-65535, got ${values.port}`);

  const logger = createLogger((process.env.LOG_LEVEL as "info" | undefined) ?? "info");
  const engine = new Engine({
    db: openSqlite(values.db),
    transport: httpTransport(),
    signingKey: process.env.INNGEST_SIGNING_KEY || undefined,
    eventKey: process.env.INNGEST_EVENT_KEY || undefined,
    logger,
  });
  const server = serve({ fetch: engine.api.fetch, port, hostname: values.host });
  engine.start();
  const origin = `http://${values.host}:${port}`;
  console.log(`makegood engine listening on ${origin}, driving ${appUrl}`);
  if (!process.env.INNGEST_SIGNING_KEY) console.log(`INNGEST_SIGNING_KEY=${engine.signingKey}`);
  if (!process.env.INNGEST_EVENT_KEY) console.log(`INNGEST_EVENT_KEY=${engine.eventKey}`);
  console.log(`configure the app with INNGEST_BASE_URL=${origin} and the same keys`);

  await syncWithRetry(engine, appUrl, logger);
  const shutdown = async () => {
    server.close();
    await engine.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

/** The app may start after the engine: keep asking it to sync until it answers. */
async function syncWithRetry(engine: Engine, appUrl: string, logger: ReturnType<typeof createLogger>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await engine.syncApp(appUrl);
      console.log(`synced ${appUrl}`);
      return;
    } catch (error) {
      if (attempt % 10 === 1) logger.warn("app not reachable yet; retrying", { app: appUrl, error: String(error) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(500 * attempt, 5000)));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
