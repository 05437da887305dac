import { Hono } from "hono";
import type { ApiKeyStore } from "../auth/api-keys.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { MakegoodInngest } from "../inngest/client.ts";

export interface EventsApiDeps {
  prisma: PrismaClient;
  inngest: MakegoodInngest;
  apiKeys: ApiKeyStore;
  now: () => Date;
}

/** `/api/events` and `/api/customers` (API.md). Mounted at `/api` by createApp. */
export function eventsRoutes(_deps: EventsApiDeps): Hono {
  return new Hono();
}
