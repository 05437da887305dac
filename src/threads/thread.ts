/**
 * A function thread: the Inngest serve endpoint with makegood's functions, its own Prisma client
 * on the same SQLite file and its own reference-data cache. The engine (main thread) sends it
 * call requests; the SDK's event sends and checkpoints go back to the engine over the same port.
 */
import { parentPort, workerData } from "node:worker_threads";
import { Hono } from "hono";
import { serve } from "inngest/hono";
import { createFunctions } from "../../functions/index.ts";
import { createNodePrisma } from "../db/sqlite.ts";
import { createInngest } from "../inngest/client.ts";
import { threadLogger } from "../logger.ts";
import { buildRecoveryServices } from "../recovery/build-services.ts";
import { cachedReferenceData, warmReferenceData } from "../recovery/reference-data.ts";
import type { ThreadData } from "./pool.ts";
import { threadEnvironment } from "./thread-env.ts";
import { fetchToWire, fromWire, link, portOf, readyMessage, responseFromWire, responseToWire } from "./wire.ts";

// Only what code in a thread reads: the SDK scans the environment on every call (thread-env.ts).
process.env = threadEnvironment(process.env);

const data = workerData as ThreadData;
const port = parentPort;
if (!port) throw new Error("src/threads/thread.ts runs as a worker thread");

const prisma = createNodePrisma(data.databaseFile);
const reference = cachedReferenceData(prisma);
const app = new Hono();
const toMain = link(portOf(port), {
  request: async (req) => responseToWire(await app.fetch(fromWire(req))),
  changed: (part) => reference.changed(part),
});
// Lines go to the main thread's logger: one sink, whichever thread ran the step.
const logger = threadLogger(data.logLevel, toMain);
const inngest = createInngest({
  signingKey: data.signingKey,
  eventKey: data.eventKey,
  baseUrl: "http://embedded-engine.internal",
  fetch: async (input, init) => responseFromWire(await toMain.send(await fetchToWire(input, init))),
});
const services = buildRecoveryServices({
  prisma,
  reference,
  env: data.env,
  unknownCustomerHoldHours: data.unknownCustomerHoldHours,
  logger,
  now: () => new Date(),
});
app.on(
  ["GET", "PUT", "POST"],
  "/api/inngest",
  serve({ client: inngest, functions: createFunctions(inngest, services) }),
);
// A cold thread kept the first passengers of a wave waiting ~80 ms; it warms before it says ready.
await warmReferenceData(reference);
port.postMessage(readyMessage);
