/**
 * makegood as production runs it, for the benchmarks: `node --import tsx src/server.ts` as a child
 * process on a free loopback port, with its own temp SQLite files, the real Resend SDK and Twilio
 * client pointed at the recording fakes, which run in the bench process (so their acceptance times
 * and the bench's 202 times share one clock: `performance.now()`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { createApiKey } from "../../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../../src/auth/prisma-key-store.ts";
import { openMigratedPrisma } from "../../src/db/sqlite.ts";
import { freePort } from "../../test/crash/process.ts";
import { type FakeResend, startFakeResend } from "../../test/fakes/fake-resend.ts";
import { type FakeTwilio, startFakeTwilio } from "../../test/fakes/fake-twilio.ts";
import { providerEnv } from "../../test/fakes/provider-env.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** This month's gesture budget in the bench's databases: high, so every customer gets the same gesture. */
export const BENCH_BUDGET = 100_000_000;

export interface ServerProcess {
  url: string;
  resend: FakeResend;
  twilio: FakeTwilio;
  /** An authorised JSON request; throws on any answer but 2xx. */
  request(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Engine jobs due now (calls to make): 0 once the server has caught up; undefined if it cannot tell. */
  backlog(): number | undefined;
  /** Wait until the backlog is empty, at most `capMs`; true if it emptied. */
  settle(capMs: number): Promise<boolean>;
  /** Warnings and errors the server logged, and the last few lines. */
  problems(): { count: number; last: string[] };
  stop(): Promise<void>;
}

export interface ServerProcessOptions {
  /** Fills the migrated database before the server starts (bench/year.ts seeds a year of data). */
  seed?: (databaseFile: string) => Promise<void>;
  /** Extra environment for the server. */
  env?: Record<string, string>;
  /** Extra Node options for the server (e.g. `--cpu-prof`, to see where its time goes). */
  nodeArgs?: string[];
}

export async function startServerProcess(name: string, opts: ServerProcessOptions = {}): Promise<ServerProcess> {
  const [resend, twilio] = await Promise.all([startFakeResend(), startFakeTwilio()]);
  const dir = mkdtempSync(join(tmpdir(), `makegood-bench-${name}-`));
  const databaseFile = join(dir, "makegood.db");
  const engineFile = join(dir, "engine.db");

  // Before the server starts: migrate, create the bench's API key, raise this month's budget
  // (the server seeds a budget only when the month has none).
  // A seed (which may replace the file) comes first.
  if (opts.seed) {
    await openMigratedPrisma(databaseFile).prisma.$disconnect();
    await opts.seed(databaseFile);
  }
  const { prisma } = openMigratedPrisma(databaseFile);
  const key = await createApiKey(prismaApiKeyStore(prisma), "bench", ["events:write", "customers:write", "read"]);
  const period = new Date().toISOString().slice(0, 7);
  const budget = { limit: BENCH_BUDGET, currency: "EUR" };
  await prisma.budget.upsert({ where: { period }, create: { period, ...budget }, update: budget });
  await prisma.$disconnect();

  const port = await freePort();
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/p" profiles every server a bench starts.
  const nodeArgs = opts.nodeArgs ?? process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "src/server.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_FILE: databaseFile,
      ENGINE_DATABASE_FILE: engineFile,
      DEMO_DATA: "false",
      LOG_LEVEL: "warn",
      ...providerEnv(resend, twilio),
      ...opts.env,
    },
  });
  const logged = watchOutput(child);
  const url = `http://127.0.0.1:${port}`;
  await waitUntilReady(url, child, logged.last);

  const engineDb = new Database(engineFile, { readonly: true, fileMustExist: true });
  let dueJobs: Database.Statement | undefined;
  try {
    dueJobs = engineDb.prepare("SELECT count(*) AS n FROM engine_jobs WHERE due_at <= ?");
  } catch {
    dueJobs = undefined; // the engine's schema changed: settle() falls back to a fixed pause
  }
  const backlog = () => (dueJobs ? (dueJobs.get(Date.now() + 1000) as { n: number }).n : undefined);

  return {
    url,
    resend,
    twilio,
    async request(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        signal: AbortSignal.timeout(60_000), // a cap even for a server that stopped answering
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    backlog,
    async settle(capMs) {
      const until = performance.now() + capMs;
      if (backlog() === undefined) {
        await sleep(Math.min(capMs, 3000));
        return false;
      }
      while (performance.now() < until) {
        if (backlog() === 0) return true;
        await sleep(100);
      }
      return false;
    },
    problems: () => ({ count: logged.count(), last: logged.last() }),
    async stop() {
      engineDb.close();
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await Promise.all([resend.close(), twilio.close()]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Counts the log lines at warn or error (JSON, or an uncaught error's first line) and keeps the last few. */
function watchOutput(child: ChildProcess) {
  const last: string[] = [];
  let problems = 0;
  const onLine = (line: string) => {
    if (!/"level":"(warn|error)"|^\S.*Error/.test(line)) return;
    problems++;
    last.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
    if (last.length > 3) last.shift();
  };
  for (const stream of [child.stdout, child.stderr]) {
    let pending = "";
    stream?.on("data", (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
  }
  return { count: () => problems, last: () => [...last] };
}

async function waitUntilReady(url: string, child: ChildProcess, last: () => string[]): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${last().join("\n")}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  child.kill("SIGKILL");
  throw new Error(`the server was not ready within 60 s:\n${last().join("\n")}`);
}
