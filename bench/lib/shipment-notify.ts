/**
 * Time to notify a shipment delay (issue 7, part 2): `shipment.eta_updated` with the new ETA three days
 * past the promise, one order per customer, the customer embedded in the event (so nothing is created
 * beforehand and the 202 already includes the upsert). Figures: 202 → first provider acceptance.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { ascending, type BenchCustomer, benchCustomers, customerBody, reached, timesToNotify } from "./customers.ts";
import { lateEta as threeDaysLate } from "./late-eta.ts";
import { duration, note, pct, row, section } from "./report.ts";
import { type ServerProcess, startServerProcess } from "./server-process.ts";

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const SINGLE = env("BENCH_SINGLE", 30);
const RATE = env("BENCH_NOTIFY_RATE", 50);
const SECONDS = env("BENCH_NOTIFY_SECONDS", 60);
/** Events offered at 30/s before the sustained run (not counted): a server that has been up a while. */
const WARM_EVENTS = env("BENCH_NOTIFY_WARMUP", 300);
const RAMP = (process.env.BENCH_RAMP ?? "2,5,10,25,50,100,200").split(",").map(Number);
const RAMP_SECONDS = env("BENCH_RAMP_SECONDS", 15);
/** After the last event of a paced run, how long stragglers may still be notified. */
const GRACE_MS = 20_000;
const RAMP_GRACE_MS = 5_000;

function lateEta(c: BenchCustomer, timeZone: string) {
  return {
    ...threeDaysLate({ id: `bench-eta-${c.id}`, orderId: `ORD-${c.id}`, customerId: c.id }),
    customer: customerBody(c, timeZone),
  };
}

/** An error and its cause ("fetch failed" alone says little): "fetch failed: UND_ERR_CONNECT_TIMEOUT …". */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const why = cause ? `: ${[cause.code, cause.message].filter(Boolean).join(" ")}` : "";
  return `${error.name === "Error" ? "" : `${error.name}: `}${error.message}${why}`.slice(0, 160);
}

/** A few recoveries one after another, so the first measured one does not pay for JIT and cold caches. */
async function warmUp(server: ServerProcess, group: string, timeZone: string): Promise<void> {
  for (const c of benchCustomers(group, 5)) {
    await server.request("POST", "/api/events", lateEta(c, timeZone));
    await server.settle(10_000);
  }
}

const notified = (server: ServerProcess, customers: readonly BenchCustomer[], at: (i: number) => number) =>
  timesToNotify(customers, at, server.resend, server.twilio).told;

/** (a) One event at a time on a warm server, each after the previous recovery has settled. */
export async function singleEvents(server: ServerProcess, timeZone: string): Promise<void> {
  await warmUp(server, "warm-single", timeZone);
  const customers = benchCustomers("single", SINGLE);
  const accepted: number[] = [];
  const answered: number[] = [];
  const capMs = 10_000;
  const until = performance.now() + 60_000; // the whole part
  for (const [i, c] of customers.entries()) {
    if (performance.now() > until) break;
    const posted = performance.now();
    const ok = await server.request("POST", "/api/events", lateEta(c, timeZone)).then(
      () => true,
      () => false,
    );
    const at = performance.now();
    accepted[i] = ok ? at : Number.NaN;
    if (!ok) continue;
    answered.push(at - posted);
    const deadline = at + capMs;
    while (!Number.isFinite(notified(server, [c], () => at)[0]) && performance.now() < deadline) await sleep(2);
    await server.settle(5_000);
  }
  const sent = customers.slice(0, accepted.length);
  const told = ascending(notified(server, sent, (i) => accepted[i] as number));
  section(`Time to notify, one shipment delay at a time on a warm server (${sent.length} events)`);
  row("POST /api/events → 202, p50", duration(pct(ascending(answered), 50)));
  row("202 → first provider acceptance, p50", duration(pct(told, 50)), {
    text: "< 50 ms",
    met: pct(told, 50) < 50,
  });
  row("202 → first provider acceptance, p95 / max", `${duration(pct(told, 95))} / ${duration(told.at(-1) ?? NaN)}`);
  if (reached(told) < sent.length) row("not all notified within the cap (10 s)", `${reached(told)} of ${sent.length}`);
  if (sent.length < SINGLE) note(`stopped at the part's 60 s cap after ${sent.length} of ${SINGLE} events`);
}

interface PacedRun {
  sent: number;
  /** From the first POST to the last one (the pacer does not wait for answers). */
  offeredSeconds: number;
  /** POSTs still without an answer when the cap ran out, and those answered with an error. */
  unanswered: number;
  failed: number;
  /** Why POSTs failed (error message → count). */
  reasons: Map<string, number>;
  maxLagMs: number;
  answered: number[];
  told: number[];
  /** p95 of 202 → told for the events offered in each 10 s of the run (a growing backlog, or spikes). */
  windows: number[];
}

/** Offers `rate` events/s for `seconds`, then waits for stragglers up to `graceMs`. */
async function paced(
  server: ServerProcess,
  group: string,
  rate: number,
  seconds: number,
  graceMs: number,
  timeZone: string,
): Promise<PacedRun> {
  const customers = benchCustomers(group, Math.round(rate * seconds));
  const accepted: number[] = new Array(customers.length).fill(Number.NaN);
  const answered: number[] = [];
  const pending: Promise<void>[] = [];
  let maxLagMs = 0;
  let failed = 0;
  const reasons = new Map<string, number>();
  const t0 = performance.now();
  for (const [i, c] of customers.entries()) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const posted = performance.now();
    maxLagMs = Math.max(maxLagMs, posted - due);
    pending.push(
      server.request("POST", "/api/events", lateEta(c, timeZone)).then(
        () => {
          const at = performance.now();
          accepted[i] = at;
          answered.push(at - posted);
        },
        (error: unknown) => {
          failed++;
          const reason = describe(error);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        },
      ),
    );
  }
  const offeredSeconds = (performance.now() - t0) / 1000;
  // Every wait is capped: unanswered POSTs and unnotified customers count as not notified.
  const sendEnd = performance.now();
  await Promise.race([Promise.all(pending), sleep(graceMs)]);
  const told = () => notified(server, customers, (i) => accepted[i] as number);
  while (reached(told()) < customers.length && performance.now() - sendEnd < graceMs) await sleep(100);
  const final = told();
  return {
    sent: customers.length,
    offeredSeconds,
    unanswered: customers.length - answered.length - failed,
    failed,
    reasons,
    maxLagMs,
    answered: ascending(answered),
    told: ascending(final),
    windows: windowed(final, rate, 10),
  };
}

/** The p95 of each `seconds`-long slice of `told` (in the order the events were offered, `rate` a second). */
function windowed(told: number[], rate: number, seconds: number): number[] {
  const size = Math.max(1, Math.round(rate * seconds));
  const out: number[] = [];
  for (let i = 0; i < told.length; i += size) out.push(pct(ascending(told.slice(i, i + size)), 95));
  return out;
}

function reportAnswers(run: PacedRun, indent = ""): void {
  row(
    `${indent}POST /api/events → 202, p50 / p95`,
    `${duration(pct(run.answered, 50))} / ${duration(pct(run.answered, 95))}`,
  );
  if (run.failed || run.unanswered)
    row(`${indent}POSTs refused / unanswered within the cap`, `${run.failed} / ${run.unanswered} of ${run.sent}`);
  const [reason, count] = [...run.reasons].sort((a, b) => b[1] - a[1])[0] ?? [];
  if (reason) note(`most common refusal (${count}×): ${reason}`);
}

/**
 * (b) A sustained rate, on the server of (a), warmed again in case (a) was skipped, then at a lower
 * rate: five events one at a time leave most of the function threads' code unoptimised, and the
 * first seconds at 50/s then built a backlog (p95 ~1 s in the first 10 s, ~50 ms after).
 */
export async function sustained(server: ServerProcess, timeZone: string): Promise<void> {
  await warmUp(server, "warm-sustained", timeZone);
  if (WARM_EVENTS > 0) {
    await paced(server, "warm-paced", 30, WARM_EVENTS / 30, GRACE_MS, timeZone);
    await server.settle(30_000);
  }
  const run = await paced(server, "sustained", RATE, SECONDS, GRACE_MS, timeZone);
  section(`Time to notify, sustained ${RATE} shipment delays/s for ${SECONDS} s`);
  if (WARM_EVENTS > 0)
    note(`after a warm-up of ${WARM_EVENTS} events at 30/s, not counted; BENCH_NOTIFY_WARMUP=0 skips it`);
  const offered = (run.sent / run.offeredSeconds).toFixed(0);
  row("events offered", `${run.sent} in ${run.offeredSeconds.toFixed(1)} s (${offered}/s)`);
  row("pacer lag behind schedule, max", duration(run.maxLagMs));
  reportAnswers(run);
  row("202 → first provider acceptance, p50", duration(pct(run.told, 50)));
  row("202 → first provider acceptance, p95", duration(pct(run.told, 95)), {
    text: "< 250 ms",
    met: pct(run.told, 95) < 250,
  });
  row("  p95 in each 10 s, in order", run.windows.map((ms) => duration(ms)).join(", "));
  if (reached(run.told) < run.sent) {
    row(`not all notified within the cap (+${GRACE_MS / 1000} s)`, `${reached(run.told)} of ${run.sent}`);
    const some = run.told.filter(Number.isFinite);
    row("  of those notified: p50 / p95", `${duration(pct(some, 50))} / ${duration(pct(some, 95))}`);
  }
}

/** (c) Rising rates on a fresh server, until a step's p95 is 1 s or more. */
export async function ramp(timeZone: string): Promise<void> {
  section(`Time to notify, ramp: ${RAMP.join(", ")} events/s for ${RAMP_SECONDS} s each, stop at p95 ≥ 1 s`);
  const server = await startServerProcess("ramp");
  let best: number | undefined;
  try {
    await warmUp(server, "warm-ramp", timeZone);
    for (const rate of RAMP) {
      const settled = await server.settle(10_000);
      if (!settled) note("the previous step's backlog had not drained after 10 s");
      const run = await paced(server, `ramp${rate}`, rate, RAMP_SECONDS, RAMP_GRACE_MS, timeZone);
      const p95 = pct(run.told, 95);
      const offered = (run.sent / run.offeredSeconds).toFixed(0);
      row(
        `${rate}/s (${offered}/s offered): 202 → told, p50 / p95`,
        `${duration(pct(run.told, 50))} / ${duration(p95)}`,
        {
          text: "p95 < 1 s",
          met: p95 < 1000,
        },
      );
      if (reached(run.told) < run.sent)
        row("  not all notified within the cap", `${reached(run.told)} of ${run.sent} (+${RAMP_GRACE_MS / 1000} s)`);
      reportAnswers(run, "  ");
      if (!(p95 < 1000)) break;
      best = rate;
    }
  } finally {
    await server.stop();
  }
  row("highest rate with p95 < 1 s", best === undefined ? `none (lowest tried ${RAMP[0]}/s)` : `${best}/s`);
}
