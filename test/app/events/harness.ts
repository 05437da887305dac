import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApiKey, type Scope } from "../../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../../src/auth/prisma-key-store.ts";
import { loadConfig } from "../../../src/config.ts";
import { silentLogger } from "../../../src/engine/types.ts";
import { createNodeRuntime, type NodeRuntime } from "../../../src/node-runtime.ts";

/** The whole Node runtime (migrated SQLite, embedded engine) in a temp dir, and API keys per scope. */
export async function startRuntime(): Promise<{
  runtime: NodeRuntime;
  keys: Record<Scope, string>;
  stop: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "makegood-events-"));
  const config = loadConfig({ DATABASE_FILE: join(dir, "makegood.db"), ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  const runtime = createNodeRuntime(config, silentLogger);
  await runtime.start();
  const store = prismaApiKeyStore(runtime.prisma);
  const keys = {} as Record<Scope, string>;
  for (const scope of ["events:write", "customers:write", "read", "approve"] as const) {
    keys[scope] = (await createApiKey(store, `test ${scope}`, [scope])).secret;
  }
  return { runtime, keys, stop: () => runtime.stop() };
}

export interface CallOptions {
  key?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** A request through the app, in-process; objects are sent as JSON, strings as they are. */
export function call(runtime: NodeRuntime, method: string, path: string, body?: unknown, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key) headers.authorization = `Bearer ${opts.key}`;
  if (body !== undefined && opts.contentType !== null) headers["content-type"] = opts.contentType ?? "application/json";
  return runtime.app.request(path, {
    method,
    headers,
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

let counter = 0;
/** A unique id per call, so tests sharing one database never collide. */
export const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++counter}`;

export const customer = () => ({
  name: "Ada Lovelace",
  email: "ada@example.com",
  phone: "+447911123456",
  locale: "en-GB",
  timeZone: "Europe/London",
  tier: "valued",
  preferredChannel: "both",
  consent: { email: true, sms: true },
  accountLead: { name: "Sarah Chen", email: "sarah@firm.example" },
});

export const etaUpdated = (id = uniqueId("evt-eta"), customerId = uniqueId("cus")) => ({
  id,
  type: "shipment.eta_updated",
  occurredAt: "2025-03-01T09:30:00+01:00",
  data: {
    orderId: `ord-${id}`,
    customerId,
    promisedBy: "2025-03-02T18:00:00Z",
    newEta: "2025-03-04T18:00:00Z",
    carrier: "Parcelco",
    reason: "Sorting hub closed by snow",
  },
});

export const delivered = (id = uniqueId("evt-dlv")) => ({
  id,
  type: "shipment.delivered",
  occurredAt: "2025-03-01T11:00:00Z",
  data: { orderId: `ord-${id}`, deliveredAt: "2025-03-01T10:59:00Z" },
});

export const flightChanged = (id = uniqueId("evt-flt"), customerId = uniqueId("cus")) => ({
  id,
  type: "flight.status_changed",
  occurredAt: "2025-03-01T11:00:00Z",
  data: {
    flightNumber: "BA123",
    date: "2025-03-01",
    status: "cancelled",
    bookings: [{ bookingRef: "ABC123", customerId, customer: { ...customer(), name: "Grace Hopper" } }],
  },
});
