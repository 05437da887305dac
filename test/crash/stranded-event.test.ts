/**
 * An accepted event whose hand-off to the engine is interrupted is handed over by the server
 * itself on its next start, and handled once. The server is killed (SIGKILL) after the event is
 * stored and while the hand-off is still under way: its engine answers nothing.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "vitest";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { openMigratedPrisma } from "../../src/db/sqlite.ts";
import { generateEventKey, generateSigningKey } from "../../src/engine/index.ts";
import { freePort, kill, startProcess } from "./process.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

test("SIGKILL between storing an event and handing it to the engine: the next start hands it over, once", async () => {
  const dir = mkdtempSync(join(tmpdir(), "makegood-stranded-"));
  const databaseFile = join(dir, "makegood.db");
  const { prisma } = openMigratedPrisma(databaseFile);
  const key = await createApiKey(prismaApiKeyStore(prisma), "ops", ["events:write"]);
  await prisma.customer.create({
    data: {
      id: "c-stranded",
      name: "Ada Lovelace",
      email: "ada@example.com",
      locale: "en-GB",
      timeZone: "Europe/London",
    },
  });
  await prisma.$disconnect();

  // An "engine" that accepts connections and never answers: the hand-off hangs.
  const held: Socket[] = [];
  const blackHole = createServer((socket) => held.push(socket)).listen(0, "127.0.0.1");
  await once(blackHole, "listening");
  const holePort = (blackHole.address() as { port: number }).port;

  const port = await freePort();
  const base = { PORT: String(port), DATABASE_FILE: databaseFile, DEMO_DATA: "false", LOG_LEVEL: "info" };
  const first = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    env: {
      ...process.env,
      ...base,
      ENGINE: "inngest",
      INNGEST_BASE_URL: `http://127.0.0.1:${holePort}`,
      INNGEST_SIGNING_KEY: generateSigningKey(),
      INNGEST_EVENT_KEY: generateEventKey(),
    },
    stdio: "ignore",
  });
  const db = new Database(databaseFile, { readonly: true });
  // It cannot say it is ready (its engine never answers the sync), so wait for its port.
  await (async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return;
      await sleep(100);
    }
    throw new Error("the first server did not listen");
  })();

  const now = Date.now();
  const posting = fetch(`http://127.0.0.1:${port}/api/events`, {
    method: "POST",
    headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
    body: JSON.stringify({
      id: "carrier-stranded-1",
      type: "shipment.eta_updated",
      occurredAt: new Date(now - 60_000).toISOString(),
      data: {
        orderId: "A-STRANDED",
        customerId: "c-stranded",
        promisedBy: new Date(now + 86_400_000).toISOString(),
        newEta: new Date(now + 4 * 86_400_000).toISOString(),
      },
    }),
  }).catch(() => "no answer");
  const stored = db.prepare("SELECT dispatchedAt FROM InboundEvent WHERE id = ?");
  await until("the event to be stored", () => (stored.get("carrier-stranded-1") ? true : undefined));
  expect(stored.get("carrier-stranded-1")).toEqual({ dispatchedAt: null });
  await kill(first);
  expect(await posting).toBe("no answer"); // the client never heard it was accepted
  for (const socket of held) socket.destroy();
  blackHole.close();

  // Restart on the embedded engine (a fresh engine file: it has never seen the event).
  const apologies = db.prepare(
    "SELECT count(*) AS n FROM Message WHERE customerId = 'c-stranded' AND purpose = 'apology' AND channel = 'email'",
  );
  const restart = (engineFile: string) =>
    startProcess("src/server.ts", [], { ...base, ENGINE_DATABASE_FILE: join(dir, engineFile) }, "makegood is running");
  let second = await restart("engine-2.db");
  try {
    await until("the apology", () => ((apologies.get() as { n: number }).n > 0 ? true : undefined));
    expect(stored.get("carrier-stranded-1")).not.toEqual({ dispatchedAt: null });
    // Another restart (same engine file) hands nothing over again.
    await kill(second, "SIGTERM");
    second = await restart("engine-2.db");
    await sleep(2000);
    expect((apologies.get() as { n: number }).n).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM Disruption WHERE customerId = 'c-stranded'").get()).toEqual({ n: 1 });
  } finally {
    await kill(second, "SIGTERM");
    db.close();
  }
}, 120_000);
