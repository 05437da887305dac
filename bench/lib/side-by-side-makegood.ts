/**
 * Mode (a), makegood's engine: the Node runtime as production builds it (file-backed SQLite,
 * the embedded engine on the system clock), signals posted to `POST /api/events` in batches,
 * timed until every recovery's apology was accepted by both fakes.
 */

import { join } from "node:path";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { loadConfig } from "../../src/config.ts";
import { silentLogger } from "../../src/engine/types.ts";
import { createNodeRuntime } from "../../src/node-runtime.ts";
import {
  accepted,
  lateEtaBatches,
  type ModeResult,
  recordedWork,
  recoverAll,
  recoveredCounter,
  seedCustomers,
  startFakes,
  tempDir,
  WARM_UP,
  warmPrefix,
  warmThenTime,
} from "./side-by-side-setup.ts";

export async function runMakegood(n: number, opts: { batch: number; capMs: number }): Promise<ModeResult> {
  const fakes = await startFakes();
  const dir = tempDir("makegood");
  const file = join(dir, "makegood.db");
  // As `npm start` runs it (BENCH_APP_THREADS=0 tries one thread).
  const config = loadConfig({
    DATABASE_FILE: file,
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    APP_THREADS: process.env.BENCH_APP_THREADS ?? "auto",
  });
  const runtime = createNodeRuntime(config, silentLogger, { env: fakes.env });
  const recovered = recoveredCounter(file);
  try {
    await runtime.start();
    await seedCustomers(runtime.services, warmPrefix("mg"), WARM_UP);
    await seedCustomers(runtime.services, "mg", n);
    const key = await createApiKey(prismaApiKeyStore(runtime.prisma), "bench", ["events:write"]);
    const post = async (events: unknown[]) => {
      const response = await runtime.app.request("/api/events", {
        method: "POST",
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        body: JSON.stringify({ events }),
      });
      if (response.status !== 202) throw new Error(`POST /api/events answered ${response.status}`);
    };
    /** Post `count` delays in batches and wait until they and every earlier one apologised; the seconds. */
    const recover = (prefix: string, count: number) =>
      recoverAll({ fakes, recovered, capMs: opts.capMs }, count, async () => {
        for (const events of lateEtaBatches(prefix, count, opts.batch)) {
          await post(events);
          // Requests reach a server as separate tasks, between which the engine hears from its
          // threads; in-process, an answer can come back without the loop ever taking a turn.
          await new Promise((resolve) => setImmediate(resolve));
        }
      });
    const { warm, seconds, firstSeconds, done } = await warmThenTime({ fakes, recovered }, recover, "mg", n);
    const work = await recordedWork(runtime.services);
    return {
      mode: "makegood (embedded engine)",
      n,
      done,
      seconds,
      finished: done === n,
      work,
      firstSeconds,
      detail: `POST /api/events in batches of ${opts.batch}; engine's default concurrency; warmed by ${warm} recoveries; ${work}; ${accepted(fakes)}`,
    };
  } finally {
    recovered.close();
    await runtime.stop();
    await fakes.close();
  }
}
