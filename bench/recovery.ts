/**
 * Recovery benchmarks (issue "recovery stories"): `npm run bench`. Prints figures; asserts nothing.
 * The whole Node runtime as production runs it — file-backed SQLite, the embedded engine on the
 * system clock, the real Resend SDK pointed at a local fake — driven through `POST /api/events`.
 *
 * BENCH_RATE (signals/s, default 100), BENCH_SECONDS (default 20), BENCH_BURST (orders, default 400) and
 * BENCH_BURST_CAP (s, default 100) change the load. Each part stops waiting after a cap, so an overloaded
 * machine still finishes in ~3 min. The burst is 400 by default: when this bench was written, runs
 * advanced in lockstep at ~4 recoveries/s on 2 cores; on 1 Dec 2026 it completed ~59/s.
 */
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { createApiKey } from "../src/auth/api-keys.ts";
import { prismaApiKeyStore } from "../src/auth/prisma-key-store.ts";
import { loadConfig } from "../src/config.ts";
import { openSqlite } from "../src/db/sqlite.ts";
import { silentLogger } from "../src/engine/types.ts";
import { createNodeRuntime } from "../src/node-runtime.ts";
import { type FakeResend, startFakeResend } from "../test/fakes/fake-resend.ts";
import { startFakeTwilio } from "../test/fakes/fake-twilio.ts";
import { providerEnv } from "../test/fakes/provider-env.ts";
import { lateEta as threeDaysLate } from "./lib/late-eta.ts";

const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BURST = Number(process.env.BENCH_BURST ?? 400);
/** After the last signal, how long stragglers may still be notified before the figures are taken. */
const GRACE_MS = 30_000;
/** The burst is measured for at most this long. */
const BURST_CAP_MS = Number(process.env.BENCH_BURST_CAP ?? 100) * 1000;

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const report = (name: string, value: string) => console.log(`${name.padEnd(58)} ${value}`);

/** A runtime with its own temp directory, fakes and API key, started. */
async function startSystem(name: string) {
  const resend = await startFakeResend();
  const twilio = await startFakeTwilio();
  const dir = mkdtempSync(join(tmpdir(), `makegood-bench-${name}-`));
  const appFile = join(dir, "makegood.db");
  const config = loadConfig({ DATABASE_FILE: appFile, ENGINE_DATABASE_FILE: join(dir, "engine.db") });
  const runtime = createNodeRuntime(config, silentLogger, {
    env: providerEnv(resend, twilio),
  });
  await runtime.start();
  const engine = runtime.engine;
  if (!engine) throw new Error("the embedded engine should run");
  const key = await createApiKey(prismaApiKeyStore(runtime.prisma), "bench", ["events:write", "customers:write"]);
  const request = async (method: string, path: string, body: unknown): Promise<number> => {
    const response = await runtime.app.request(path, {
      method,
      headers: { authorization: `Bearer ${key.secret}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const status = response.status;
    if (status >= 300) throw new Error(`${method} ${path} answered ${status}: ${await response.text()}`);
    return status;
  };
  // A second connection to the app's file: a recovery is complete when its thank-you went out (its
  // run then sleeps until the promised time, to send an update only if still unresolved).
  const appDb = openSqlite(appFile);
  const followedUp = appDb.prepare(`SELECT count(*) FROM "Disruption" WHERE "followUpSentAt" IS NOT NULL`).pluck();
  const completed = () => followedUp.get() as number;
  return {
    runtime,
    engine,
    resend,
    request,
    completed,
    async stop() {
      await runtime.stop();
      appDb.close();
      await resend.close();
      await twilio.close();
    },
  };
}
type System = Awaited<ReturnType<typeof startSystem>>;

/** Email-only standard customers (email has no quiet hours; standard tier needs no approval). */
async function createCustomers(sys: System, prefix: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        sys.request("PUT", `/api/customers/${prefix}-${i + j}`, {
          name: `Bench Customer ${i + j}`,
          email: `${prefix}-${i + j}@example.com`,
          locale: "en-GB",
          timeZone: "Europe/London",
          tier: "standard",
          preferredChannel: "email",
          consent: { email: true, sms: false },
        }),
      ),
    );
  }
}

/** A three-days-late ETA for customer i. */
const lateEta = (prefix: string, i: number) =>
  threeDaysLate({
    id: `bench-${prefix}-${i}-eta`,
    orderId: `${prefix.toUpperCase()}-${i}`,
    customerId: `${prefix}-${i}`,
  });
const delivered = (prefix: string, i: number) => {
  const at = new Date().toISOString();
  return {
    id: `bench-${prefix}-${i}-delivered`,
    type: "shipment.delivered",
    occurredAt: at,
    data: { orderId: `${prefix.toUpperCase()}-${i}`, deliveredAt: at },
  };
};

/** The first email each recipient got (the apology), by address, when the fake accepted it. */
function firstMailAt(resend: FakeResend): Map<string, number> {
  const first = new Map<string, number>();
  for (const d of resend.deliveries) for (const to of d.to) if (!first.has(to)) first.set(to, d.receivedAt);
  return first;
}

async function timeToNotify() {
  const sys = await startSystem("notify");
  const n = Math.round(RATE * SECONDS);
  await createCustomers(sys, "tn", n);
  const accepted: number[] = new Array(n).fill(Number.NaN);
  const answered: number[] = [];
  const pending: Promise<void>[] = [];
  const intervalMs = 1000 / RATE;
  let maxLag = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const due = t0 + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const posted = performance.now();
    maxLag = Math.max(maxLag, posted - due);
    pending.push(
      sys.request("POST", "/api/events", lateEta("tn", i)).then(() => {
        const at = performance.now();
        accepted[i] = at;
        answered.push(at - posted);
      }),
    );
  }
  await Promise.all(pending);
  const sendEnd = performance.now();
  const notifiedBy = (deadline: number) =>
    [...firstMailAt(sys.resend).values()].filter((receivedAt) => receivedAt <= deadline).length;
  const atSendEnd = notifiedBy(sendEnd);
  while (firstMailAt(sys.resend).size < n && performance.now() - sendEnd < GRACE_MS) await sleep(100);
  const waited = performance.now() - sendEnd;

  const first = firstMailAt(sys.resend);
  const latencies: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = first.get(`tn-${i}@example.com`);
    if (at !== undefined) latencies.push(at - (accepted[i] as number));
  }
  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  const sent = (sendEnd - t0) / 1000;
  report(`signals sent (target ${RATE}/s for ${SECONDS} s)`, `${n} in ${fmt(sent, 1)} s (${fmt(n / sent, 0)}/s)`);
  report("pacer lag behind schedule, max (ms)", fmt(maxLag, 1));
  report("POST /api/events → 202, p50 / p99 (ms)", `${fmt(pct(answered, 50), 1)} / ${fmt(pct(answered, 99), 1)}`);
  report("202 → apology at Resend, p50 (ms)", fmt(pct(latencies, 50), 1));
  report("202 → apology at Resend, p95 (ms)", fmt(pct(latencies, 95), 1));
  report("202 → apology at Resend, p99 (ms)", fmt(pct(latencies, 99), 1));
  report("202 → apology at Resend, max (ms)", fmt(latencies.at(-1) ?? Number.NaN, 1));
  report("notified when the last signal was accepted", `${atSendEnd} of ${n}`);
  report("apologies sent per second while signals arrived", fmt(atSendEnd / sent, 1));
  report(`notified within the run window (+${fmt(waited / 1000, 1)} s after)`, `${first.size} of ${n}`);
  report("apologies sent per second over the whole window", fmt(first.size / ((sendEnd + waited - t0) / 1000), 1));
  await sys.stop();
}

async function completedRecoveries() {
  const sys = await startSystem("burst");
  await createCustomers(sys, "rb", BURST);
  const t0 = performance.now();
  const posting = (async () => {
    for (let i = 0; i < BURST; i += 100) {
      const size = Math.min(100, BURST - i);
      await sys.request("POST", "/api/events", {
        events: Array.from({ length: size }, (_, j) => lateEta("rb", i + j)),
      });
    }
  })();
  // Each order is delivered once its apology has gone out: batches of up to 100 as apologies arrive.
  const resolved = new Set<number>();
  let seen = 0;
  while (sys.completed() < BURST && performance.now() - t0 < BURST_CAP_MS) {
    const fresh: number[] = [];
    for (; seen < sys.resend.deliveries.length; seen++) {
      for (const to of sys.resend.deliveries[seen]?.to ?? []) {
        const i = Number(/^rb-(\d+)@/.exec(to)?.[1]);
        if (Number.isInteger(i) && !resolved.has(i)) {
          resolved.add(i);
          fresh.push(i);
        }
      }
    }
    for (let k = 0; k < fresh.length; k += 100)
      await sys.request("POST", "/api/events", { events: fresh.slice(k, k + 100).map((i) => delivered("rb", i)) });
    if (fresh.length === 0) await sleep(20);
  }
  const total = (performance.now() - t0) / 1000;
  const done = sys.completed();
  const mails = sys.resend.deliveries.length;
  await posting;
  const capped = done < BURST ? ` (stopped at the ${BURST_CAP_MS / 1000} s cap)` : "";
  report(`recoveries completed (burst of ${BURST} orders, batches of 100)`, `${done} of ${BURST}${capped}`);
  report("completed recoveries per second, sustained", fmt(done / total, 1));
  report("burst time, first ETA batch to last follow-up or cap (s)", fmt(total, 1));
  report("emails delivered (apology + follow-up)", String(mails));
  await sys.stop();
}

// BENCH_ONLY=notify or burst runs one part ("recovery": both); naming neither skips this file.
const asked = new Set((process.env.BENCH_ONLY ?? "recovery").split(","));
const wants = (part: string) => asked.has("recovery") || asked.has(part);
if (!wants("notify") && !wants("burst")) process.exit(0);
console.log(
  `makegood recovery bench — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`,
);
if (wants("notify")) await timeToNotify();
if (wants("burst")) await completedRecoveries();
report("peak RSS (MiB)", fmt(process.resourceUsage().maxRSS / 1024, 0));
