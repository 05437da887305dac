/**
 * Work per recovery (issue 7): `npm run bench` (or `BENCH_ONLY=per-recovery npm run bench`). Prints figures;
 * asserts nothing. The whole Node runtime — file-backed SQLite, the embedded engine, the real Resend SDK
 * against the local fake — runs shipment-delay recoveries end to end: ETA signal → apology → delivered
 * signal → follow-up.
 *
 * 1. Counting: BENCH_RECOVERIES (default 40) recoveries one after another, so every SQL statement (Prisma's
 *    query event) and every engine → SDK call (a request to /api/inngest) belongs to exactly one of them;
 *    statements are attributed to the call (and so the step) that ran them through AsyncLocalStorage.
 *    A transaction's BEGIN, which the better-sqlite3 adapter runs outside Prisma's log, is counted too.
 * 2. Cost: BENCH_CONCURRENT (default 200) recoveries at once, without the counting hooks; recoveries/s
 *    (wall: only meaningful on an idle machine) and CPU ms per recovery (this process: app, engine, fake).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createApiKey } from "../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../src/auth/prisma-key-store.ts";
import { loadConfig } from "../src/config.ts";
import { openSqlite } from "../src/db/sqlite.ts";
import { silentLogger } from "../src/engine/types.ts";
import { createNodeRuntime } from "../src/node-runtime.ts";
import { startFakeResend } from "../test/fakes/fake-resend.ts";
import { lateEta as threeDaysLate } from "./lib/late-eta.ts";

const SEQUENTIAL = Number(process.env.BENCH_RECOVERIES ?? 40);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 200);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const report = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

/** Who ran a statement: a bench request to the API, or an engine → SDK call. */
interface Scope {
  statements: number;
}
const scope = new AsyncLocalStorage<Scope>();

/** The runtime, counting (statements and calls, by step) or not (to measure cost without the observers' own). */
async function startSystem(counting: boolean) {
  const resend = await startFakeResend();
  const dir = mkdtempSync(join(tmpdir(), "makegood-bench-per-recovery-"));
  // One thread: the observers count the statements and calls of this thread only.
  const config = loadConfig({
    DATABASE_FILE: join(dir, "makegood.db"),
    ENGINE_DATABASE_FILE: join(dir, "engine.db"),
    APP_THREADS: "0",
  });
  const byLabel = new Map<string, number>();
  const add = (label: string, n: number) => byLabel.set(label, (byLabel.get(label) ?? 0) + n);
  let calls = 0;
  let outside = 0;
  const sqls: string[] = [];
  const runtime = createNodeRuntime(config, silentLogger, {
    env: { RESEND_API_KEY: resend.apiKey, RESEND_BASE_URL: resend.url },
    observe: counting
      ? {
          // The adapter runs a transaction's BEGIN itself, outside Prisma's log: count it with the COMMIT/ROLLBACK.
          query: (sql) => {
            sqls.push(sql);
            const n = /^(COMMIT|ROLLBACK)\b/.test(sql) ? 2 : 1;
            const s = scope.getStore();
            if (s) s.statements += n;
            else outside += n;
          },
          call: async (request, next) => {
            calls++;
            const s: Scope = { statements: 0 };
            const response = await scope.run(s, next);
            add(`${fnOf(request)} · ${await stepOf(response.clone())}`, s.statements);
            return response;
          },
        }
      : undefined,
  });
  await runtime.start();
  const engine = runtime.engine;
  if (!engine) throw new Error("the embedded engine should run");
  const key = await createApiKey(prismaApiKeyStore(runtime.prisma), "bench", ["events:write", "customers:write"]);
  const request = async (label: string, method: string, path: string, body: unknown) => {
    const s: Scope = { statements: 0 };
    const send = () =>
      runtime.app.request(path, {
        method,
        headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const response = await (counting ? scope.run(s, send) : send());
    add(label, s.statements);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}`);
  };
  return {
    engine,
    resend,
    request,
    file: config.DATABASE_FILE,
    counters: () => ({ calls, outside, statements: sqls.length, byLabel: new Map(byLabel) }),
    sqls,
    async stop() {
      await runtime.stop();
      await resend.close();
    },
  };
}
type System = Awaited<ReturnType<typeof startSystem>>;

const fnOf = (request: Request) => (new URL(request.url).searchParams.get("fnId") ?? "?").replace(/^makegood-/, "");

/** The step a call ran, from the SDK's reply: a StepRun op's name, a planned step, or the function's return. */
async function stepOf(response: Response): Promise<string> {
  if (response.status === 200) return "(returns)";
  try {
    const ops = (await response.json()) as Array<{ op: string; name?: string; displayName?: string }>;
    return ops.map((o) => `${o.op === "StepRun" ? "" : `${o.op} `}${o.displayName ?? o.name ?? "?"}`).join(" + ");
  } catch {
    return `(${response.status})`;
  }
}

const customer = (i: number) => ({
  name: `Bench Customer ${i}`,
  email: `pr-${i}@example.com`,
  locale: "en-GB",
  timeZone: "Europe/London",
  tier: "standard",
  preferredChannel: "email",
  consent: { email: true, sms: false },
});
const lateEta = (i: number) => threeDaysLate({ id: `pr-${i}-eta`, orderId: `PR-${i}`, customerId: `pr-${i}` });
const delivered = (i: number) => {
  const at = new Date().toISOString();
  return {
    id: `pr-${i}-delivered`,
    type: "shipment.delivered",
    occurredAt: at,
    data: { orderId: `PR-${i}`, deliveredAt: at },
  };
};

async function oneRecovery(sys: System, i: number) {
  await sys.request("POST /api/events (ETA)", "POST", "/api/events", lateEta(i));
  await sys.engine.drain(); // apology sent; the run waits for the delivery
  await sys.request("POST /api/events (delivered)", "POST", "/api/events", delivered(i));
  await sys.engine.drain(); // follow-up sent; the run completes
}

async function counting() {
  const sys = await startSystem(true);
  for (let i = 0; i < SEQUENTIAL + 5; i++) await sys.request("setup", "PUT", `/api/customers/pr-${i}`, customer(i));
  for (let i = 0; i < 5; i++) await oneRecovery(sys, i); // warm up
  const before = sys.counters();
  for (let i = 5; i < SEQUENTIAL + 5; i++) await oneRecovery(sys, i);
  const after = sys.counters();
  const mails = sys.resend.deliveries.filter((d) => d.to.some((to) => /^pr-(\d+)@/.test(to))).length;
  const per = (n: number) => fmt(n / SEQUENTIAL);
  let total = after.outside - before.outside;
  const rows: Array<[string, number]> = [];
  for (const [label, n] of after.byLabel) {
    const d = n - (before.byLabel.get(label) ?? 0);
    if (label === "setup") continue;
    total += d;
    if (d > 0) rows.push([label, d]);
  }
  console.log(`\n${SEQUENTIAL} shipment-delay recoveries, one at a time (${mails} emails in all, incl. warm-up)`);
  report("SQL statements per recovery (all, incl. the two signals)", per(total));
  report("SDK calls (engine → /api/inngest) per recovery", per(after.calls - before.calls));
  console.log("SQL statements per recovery, by request or step:");
  for (const [label, n] of rows.sort((a, b) => b[1] - a[1])) report(`  ${label}`, per(n));
  if (after.outside > before.outside) report("  (outside any request or call)", per(after.outside - before.outside));
  await sys.stop();
  prepareCost(sys.file, sys.sqls.slice(before.statements, after.statements));
}

/**
 * Prisma's shipped better-sqlite3 adapter prepares every statement afresh; makegood's adapter
 * (src/db/sqlite-adapter.ts) keeps one prepared statement per SQL text. What it saves: the
 * recoveries' own statements, prepared again on the same file.
 */
function prepareCost(file: string, sqls: string[]) {
  const texts = sqls.filter((q) => !/^(BEGIN|COMMIT|ROLLBACK)\b/.test(q));
  const db = openSqlite(file);
  const rounds = 20;
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++) for (const q of texts) db.prepare(q);
  const cpu = process.cpuUsage(cpu0);
  const each = (cpu.user + cpu.system) / 1000 / (rounds * texts.length);
  db.close();
  report("better-sqlite3 prepare, mean per statement (CPU µs)", fmt(each * 1000));
  report(
    "saved per recovery by kept statements (CPU ms; compare with CPU ms below)",
    fmt((each * texts.length) / SEQUENTIAL, 2),
  );
}

async function cost() {
  const sys = await startSystem(false);
  for (let i = 0; i < CONCURRENT; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, CONCURRENT - i) }, (_, j) =>
        sys.request("setup", "PUT", `/api/customers/pr-${i + j}`, customer(i + j)),
      ),
    );
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < CONCURRENT; i += 100)
    await sys.request("ETA", "POST", "/api/events", {
      events: Array.from({ length: Math.min(100, CONCURRENT - i) }, (_, j) => lateEta(i + j)),
    });
  await sys.engine.drain();
  for (let i = 0; i < CONCURRENT; i += 100)
    await sys.request("delivered", "POST", "/api/events", {
      events: Array.from({ length: Math.min(100, CONCURRENT - i) }, (_, j) => delivered(i + j)),
    });
  await sys.engine.drain();
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(`\n${CONCURRENT} shipment-delay recoveries at once (signals in batches of 100)`);
  report("recoveries per second (wall)", fmt(CONCURRENT / wall));
  report("CPU ms per recovery (user + system, this process)", fmt((cpu.user + cpu.system) / 1000 / CONCURRENT));
  await sys.stop();
}

const only = new Set((process.env.BENCH_ONLY ?? "per-recovery").split(","));
if (only.has("per-recovery")) {
  console.log(`makegood per-recovery bench — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, Node ${process.version}`);
  await counting();
  await cost();
}
