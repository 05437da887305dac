/**
 * Engine benchmarks: `npm run bench`. Prints figures; asserts nothing.
 * BENCH_PARKED sets how many runs park on waitForEvent (default 100000); BENCH_ONLY picks parts (below).
 */
import { mkdtempSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openSqlite } from "../src/db/sqlite.ts";
import { Engine } from "../src/engine/index.ts";
import { harness } from "../test/engine/harness.ts";

const PARKED = Number(process.env.BENCH_PARKED ?? 100_000);
// BENCH_ONLY=events,steps,stub,waits runs a subset ("engine": all four); naming none of them skips this file.
const PARTS = ["events", "steps", "stub", "waits"];
const asked = new Set((process.env.BENCH_ONLY ?? "engine").split(","));
const only = new Set(asked.has("engine") ? PARTS : PARTS.filter((part) => asked.has(part)));
if (only.size === 0) process.exit(0);
const dir = mkdtempSync(join(tmpdir(), "makegood-bench-"));
const db = (name: string) => openSqlite(join(dir, `${name}.db`));

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const fmt = (n: number, digits = 2) => n.toFixed(digits);
const results: Array<[string, string]> = [];
const report = (name: string, value: string) => {
  results.push([name, value]);
  console.log(`${name.padEnd(58)} ${value}`);
};

async function eventApi() {
  const h = await harness(
    (inngest) => [inngest.createFunction({ id: "noop", triggers: [{ event: "bench/event" }] }, async () => "ok")],
    { db: db("events") },
  );
  await h.engine.stop(); // measure acceptance (event stored, run created, all committed), not execution
  const post = (body: unknown) =>
    h.engine.api.request(`/e/${h.engine.eventKey}`, { method: "POST", body: JSON.stringify(body) });
  const single = 5000;
  let t = performance.now();
  for (let i = 0; i < single; i++) await post({ name: "bench/event", data: { i } });
  report("event API, one event per request (events/s)", fmt(single / ((performance.now() - t) / 1000), 0));
  const batches = 200;
  const size = 50;
  t = performance.now();
  for (let b = 0; b < batches; b++)
    await post(Array.from({ length: size }, (_, i) => ({ name: "bench/event", data: { b, i } })));
  report("event API, batches of 50 (events/s)", fmt((batches * size) / ((performance.now() - t) / 1000), 0));
}

/**
 * A 10-step function through the real SDK, with checkpointing (the SDK's default: the steps run
 * inline in one call, each committed through a checkpoint) and without (one call per step).
 */
async function tenSteps(checkpointing: boolean) {
  const mode = checkpointing ? "checkpointing" : "plain";
  const h = await harness(
    (inngest) => [
      inngest.createFunction({ id: "ten", triggers: [{ event: "bench/ten" }] }, async ({ step }) => {
        let sum = 0;
        for (let i = 0; i < 10; i++) sum += await step.run(`step-${i}`, () => i);
        return sum;
      }),
    ],
    { db: db(`steps-${mode}`), checkpointing },
  );
  for (let i = 0; i < 20; i++) await h.send({ name: "bench/ten", data: {} }); // warm up
  const runs = 300;
  const perStep: number[] = [];
  const firstCall = h.calls.length;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await h.send({ name: "bench/ten", data: {} });
    perStep.push((performance.now() - t) / 10);
  }
  const sequential = performance.now() - t0;
  const calls = h.calls.length - firstCall;
  perStep.sort((a, b) => a - b);
  report(`10-step function, ${mode}: calls per run`, fmt(calls / runs, 1));
  report(`10-step function, ${mode}: sequential runs (steps/s)`, fmt((runs * 10) / (sequential / 1000), 0));
  report(
    `10-step function, ${mode}: per step, median / p95 (ms)`,
    `${fmt(pct(perStep, 50), 3)} / ${fmt(pct(perStep, 95), 3)}`,
  );
  const concurrent = 500;
  const t1 = performance.now();
  await h.inngest.send(Array.from({ length: concurrent }, () => ({ name: "bench/ten", data: {} })));
  await h.engine.drain();
  report(
    `10-step function, ${mode}: 500 runs at once (steps/s)`,
    fmt((concurrent * 10) / ((performance.now() - t1) / 1000), 0),
  );
  await h.stop();
}

/**
 * The engine alone: a stand-in app answers each call at once with the next StepRun, so the
 * figure is the engine's own cost per step (build, sign, apply, commit, schedule), without the SDK.
 */
async function engineAlone() {
  let parseMs = 0;
  const headers = { "x-inngest-sdk": "bench-stub", "content-type": "application/json" };
  const engine = new Engine({
    db: db("stub"),
    transport: async (request) => {
      const t = performance.now();
      const body = JSON.parse(await request.text()) as { steps: Record<string, unknown> };
      const n = Object.keys(body.steps).length;
      parseMs += performance.now() - t;
      if (n >= 10) return new Response("10", { status: 200, headers });
      return new Response(JSON.stringify([{ op: "StepRun", id: `h${n}`, name: `s${n}`, data: n }]), {
        status: 206,
        headers,
      });
    },
  });
  const url = "http://stub.internal/api/inngest";
  engine.register({
    url,
    appName: "stub",
    functions: [
      {
        id: "stub-ten",
        name: "ten",
        triggers: [{ event: "e" }],
        steps: { step: { runtime: { url: `${url}?fnId=stub-ten&stepId=step` } } },
      },
    ],
  });
  engine.start();
  const run = async (n: number) => {
    for (let i = 0; i < n; i++) {
      engine.send([{ name: "e", data: {} }]);
      await engine.drain();
    }
  };
  await run(50);
  parseMs = 0;
  const runs = 500;
  const t = performance.now();
  await run(runs);
  const perCall = (performance.now() - t - parseMs) / (runs * 11);
  report("engine alone (stub app), per step (ms)", fmt(perCall, 3));
  await engine.stop();
}

async function parkedWaits() {
  const h = await harness(
    (inngest) => [
      inngest.createFunction({ id: "park", triggers: [{ event: "bench/park" }] }, async ({ step }) => {
        const resumed = await step.waitForEvent("until-delivered", {
          event: "bench/delivered",
          match: "data.orderId",
          timeout: "7d",
        });
        return resumed?.data.orderId ?? null;
      }),
    ],
    { db: db("waits"), engine: { maxInFlight: 64 }, recordBodies: false },
  );
  const t0 = performance.now();
  for (let sent = 0; sent < PARKED; sent += 1000) {
    const n = Math.min(1000, PARKED - sent);
    h.engine.send(
      Array.from({ length: n }, (_, i) => ({ name: "bench/park", data: { orderId: `order-${sent + i}` } })),
    );
    await h.engine.drain();
  }
  const parked = h.engine.inspect.counts().running;
  report(`runs parked on waitForEvent (created in ${fmt((performance.now() - t0) / 1000, 1)} s)`, String(parked));
  // Pause execution so each sample measures the resume itself (match, memoize, schedule, commit)
  // rather than queueing behind the calls of runs resumed earlier.
  await h.engine.stop();
  const samples: number[] = [];
  for (let i = 0; i < 300; i++) {
    const orderId = `order-${Math.floor(Math.random() * PARKED)}`;
    const t = performance.now();
    const res = await h.engine.api.request(`/e/${h.engine.eventKey}`, {
      method: "POST",
      body: JSON.stringify({ name: "bench/delivered", data: { orderId } }),
    });
    samples.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`event API answered ${res.status}`);
  }
  h.engine.start();
  await h.engine.drain();
  samples.sort((a, b) => a - b);
  report(`event resumes 1 of ${parked} parked runs, p50 (ms)`, fmt(pct(samples, 50), 3));
  report(`event resumes 1 of ${parked} parked runs, p99 (ms)`, fmt(pct(samples, 99), 3));
  report("runs completed by those events", String(h.engine.inspect.counts().completed));
  await h.stop();
}

console.log(
  `makegood engine bench — ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}\n`,
);
if (only.has("events")) await eventApi();
if (only.has("steps")) {
  await tenSteps(true);
  await tenSteps(false);
}
if (only.has("stub")) await engineAlone();
if (only.has("waits")) await parkedWaits();
report("peak RSS (MiB)", fmt(process.resourceUsage().maxRSS / 1024, 0));
