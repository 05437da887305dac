/**
 * Node entry (the embedded default): one process, SQLite files under ./data,
 * makegood's own durable engine in-process. With ENGINE=inngest the same app
 * is driven by Inngest Cloud or a self-hosted Inngest server instead.
 */
import { serve } from "@hono/node-server";
import { loadConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { createNodeRuntime } from "./node-runtime.ts";
import { refreshRollups } from "./recovery/metrics-refresh.ts";
import { recordServerAddress } from "./server-address.ts";

async function main(): Promise<void> {
  // Read the environment once, here. The Inngest SDK reads the whole of process.env on every call
  // and every checkpoint (several times: each checks every variable against its list); Node's
  // process.env is a live view of the C environment, and with the ~100 variables `npm start` adds,
  // each read costs ~0.35 ms (a plain copy: ~0.02 ms), which showed as 15% of a step's CPU. The
  // copy leaves out npm's own variables (`npm_*`: the script npm is running, its config), which
  // nothing here reads and which still made a step ~15% dearer. Later writes stay in this process.
  process.env = withoutNpmVariables(process.env);
  const config = loadConfig(process.env);
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = createNodeRuntime(config, logger, { env: process.env });
  const server = serve({ fetch: runtime.app.fetch, port: config.PORT, hostname: config.HOST });
  const { demoAdmin } = await runtime.start();
  const origin = `http://${config.HOST}:${config.PORT}`;
  const forgetAddress = recordServerAddress(config.DATABASE_FILE, origin);
  // The metrics rollups of the days marked out of date (every day, once migration 0014 has run on
  // an existing database) are computed now, in the background, instead of by the first reads.
  const refreshing = performance.now();
  refreshRollups(runtime.prisma, new Date()).then(
    (days) => days && logger.info("metrics rollups computed", { days, ms: Math.round(performance.now() - refreshing) }),
    (error: unknown) => logger.warn("metrics rollups not computed (the reads will)", { error: String(error) }),
  );
  logger.info("makegood is running", { url: origin, engine: config.ENGINE, health: "/healthz", ready: "/readyz" });
  if (config.LOG_LEVEL !== "silent") {
    console.log(
      [
        "",
        `  makegood is running at ${origin}  (engine: ${config.ENGINE})`,
        `  API docs:        ${origin}/api/docs`,
        "  play the stories: npm run demo   (in another terminal)",
        "  API keys:         npm run keys -- create <name> --scope read",
        `  dashboard:        ${origin}/dashboard   (accounts: npm run users -- create <email> --name … --role …)`,
        ...(demoAdmin
          ? [
              `  demo admin:       ${demoAdmin.email}  password: ${demoAdmin.password}`,
              "                    (shown once, now: store it or create your own admin and disable this one)",
            ]
          : []),
        `  messages go to the local outbox unless RESEND_API_KEY / TWILIO_* are set (GET ${origin}/api/messages)`,
        "",
      ].join("\n"),
    );
  }
  const shutdown = async () => {
    server.close();
    forgetAddress();
    await runtime.stop();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

/** A plain copy of the environment without npm's own `npm_*` variables. */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("npm_")));
}
