import { type Context, Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { InngestFunction } from "inngest";
import { serve } from "inngest/hono";
import type { ApiKeyStore } from "./auth/api-keys.ts";
import { dashboardRoutes } from "./dashboard/index.ts";
import type { PrismaClient } from "./db/generated/node/client.ts";
import type { Logger } from "./engine/types.ts";
import { eventsRoutes } from "./events/routes.ts";
import { AppError, errorResponse } from "./http/errors.ts";
import type { MakegoodInngest } from "./inngest/client.ts";
import { webhookRoutes } from "./messaging/webhook-routes.ts";
import type { ErasableStore } from "./privacy/erase.ts";
import { recoveryRoutes } from "./recovery/api.ts";
import type { ReferenceData } from "./recovery/reference-data.ts";
import { replayRoutes } from "./replay/api.ts";

export interface ReadyReport {
  ok: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}

export interface AppDeps {
  inngest: MakegoodInngest;
  functions: InngestFunction.Any[];
  ready: () => Promise<ReadyReport>;
  logger: Logger;
  prisma: PrismaClient;
  /** The recovery's reference data, told here when the dashboard changes it. */
  reference: ReferenceData;
  apiKeys: ApiKeyStore;
  now: () => Date;
  /** Twilio's auth token, to verify inbound SMS webhooks; unset → /webhooks/twilio/* answers 404. */
  twilioAuthToken?: string;
  /** The app's public URL (APP_URL), when a proxy changes the origin providers sign. */
  publicUrl?: string;
  /** Resend's webhook signing secret (RESEND_WEBHOOK_SECRET); unset → /webhooks/resend answers 404. */
  resendWebhookSecret?: string;
  /** The embedded engine's run history (Node), so erasing a customer reaches the engine's copies too. */
  engineStore?: ErasableStore;
  /** The client's IP (Node: the socket; Workers: cf-connecting-ip), for sign-in rate limits; unset → per email only. */
  clientIp?: (c: Context) => string | undefined;
}

/** Builds the whole HTTP surface. Runtime entries (src/server.ts, src/worker.ts) only assemble deps. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  app.use(requestId());
  app.use(secureHeaders());

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const report = await deps.ready();
    return c.json(report, report.ok ? 200 : 503);
  });

  // The Inngest serve endpoint: the SDK runs in cloud mode and rejects any call without a valid signature.
  app.on(["GET", "PUT", "POST"], "/api/inngest", serve({ client: deps.inngest, functions: deps.functions }));

  app.route("/api", eventsRoutes(deps));
  app.route("/api", recoveryRoutes(deps));
  app.route("/api", replayRoutes(deps));
  app.route("/webhooks", webhookRoutes(deps));
  app.route("/dashboard", dashboardRoutes(deps));

  app.notFound((c) => errorResponse(c, new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    if (error instanceof AppError) return errorResponse(c, error);
    deps.logger.error("unhandled error", { path: c.req.path, error: String(error), stack: (error as Error).stack });
    return errorResponse(
      c,
      new AppError("internal", "something went wrong on our side; the request id helps us find it"),
    );
  });
  return app;
}
