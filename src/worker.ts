/**
 * Workers entry (scale-out): D1 for data, Inngest Cloud or a self-hosted
 * Inngest server as the engine. Only assembles dependencies, per request env.
 */
import { PrismaD1 } from "@prisma/adapter-d1";
import type { Hono } from "hono";
import { createFunctions } from "../functions/index.ts";
import { createApp } from "./app.ts";
import { prismaApiKeyStore } from "./auth/prisma-key-store.ts";
import { loadConfig } from "./config.ts";
import type { PrismaClient as NodePrismaClient } from "./db/generated/node/client.ts";
import { PrismaClient } from "./db/generated/workers/client.ts";
import { createInngest } from "./inngest/client.ts";
import { createLogger } from "./logger.ts";
import { loadMessagingConfig } from "./messaging/config.ts";
import { emailSenderFrom, smsSenderFrom } from "./messaging/index.ts";
import { prismaOutboxStore } from "./messaging/outbox-prisma.ts";
import { uncachedReferenceData } from "./recovery/reference-data.ts";
import { DEFAULT_SETTINGS } from "./recovery/services.ts";

export interface WorkerEnv {
  DB: ConstructorParameters<typeof PrismaD1>[0];
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
  // Both generated clients have the same models; only the engine wiring differs.
  const prisma = new PrismaClient({ adapter: new PrismaD1(env.DB) }) as unknown as NodePrismaClient;
  const messaging = loadMessagingConfig(strings);
  const outbox = prismaOutboxStore(prisma);
  // Isolates share D1, not memory: a change made through one is unseen by another's cache, so read each time.
  const reference = uncachedReferenceData(prisma);
  const ready = async () => {
    const database = await prisma.$queryRaw`SELECT 1`.then(
      () => ({ ok: true }),
      (error: unknown) => ({ ok: false, detail: String(error) }),
    );
    return { ok: database.ok, checks: { database } };
  };
  const app = createApp({
    inngest,
    functions: createFunctions(inngest, {
      prisma,
      reference,
      email: emailSenderFrom(messaging, outbox),
      sms: smsSenderFrom(messaging, outbox),
      now: () => new Date(),
      settings: {
        ...DEFAULT_SETTINGS,
        emailFrom: messaging.emailFrom,
        unknownCustomerHoldHours: config.UNKNOWN_CUSTOMER_HOLD_HOURS,
      },
      logger,
    }),
    ready,
    logger,
    prisma,
    reference,
    apiKeys: prismaApiKeyStore(prisma),
    now: () => new Date(),
    twilioAuthToken: messaging.twilio?.authToken,
    resendWebhookSecret: messaging.resendWebhookSecret,
    publicUrl: config.APP_URL,
    clientIp: (c) => c.req.header("cf-connecting-ip"),
  });
  cached = { app, env };
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    return appFor(env).fetch(request, env, ctx as never);
  },
};
