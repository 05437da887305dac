/**
 * "Time to the customer" benchmarks (issue 7), through the public API of a running server process:
 * `npm run bench` (or `BENCH_ONLY=wave npm run bench`, or `npx tsx bench/wave.ts`). Prints figures; asserts nothing.
 *
 * 1. Flight waves: one cancellation with BENCH_WAVES bookings each (default "300,1000"), each on a fresh
 *    server warmed by a smaller flight (BENCH_WAVE_WARM passengers, default 100; 1 is a cold server);
 *    202 → each passenger's apology accepted by the (fake) provider, email and SMS.
 * 2. Time to notify a shipment delay (bench/lib/shipment-notify.ts): one at a time, sustained, and a ramp.
 *
 * BENCH_ONLY=flight,single,sustained,ramp picks parts ("wave" is all of them). Other knobs:
 * BENCH_WAVE_CAP (s, default 30 + 0.09 × passengers), BENCH_SINGLE (30), BENCH_NOTIFY_RATE (50/s),
 * BENCH_NOTIFY_SECONDS (60), BENCH_NOTIFY_WARMUP (300 events at 30/s before it), BENCH_RAMP ("2,5,10,25,50,100,200": below 10/s too, so a busy machine
 * still gets a figure), BENCH_RAMP_SECONDS (15).
 * Every wait has a cap, so an overloaded machine still finishes (about 8 minutes at most).
 */
import { setTimeout as sleep } from "node:timers/promises";
import {
  ascending,
  type BenchCustomer,
  benchCustomers,
  daytimeZone,
  emailsReceived,
  putCustomers,
  reached,
  smsReceived,
  timesToNotify,
} from "./lib/customers.ts";
import { duration, header, note, pct, row, section } from "./lib/report.ts";
import { BENCH_BUDGET, type ServerProcess, startServerProcess } from "./lib/server-process.ts";
import { ramp, singleEvents, sustained } from "./lib/shipment-notify.ts";

const HOUR = 3_600_000;
const only = new Set((process.env.BENCH_ONLY ?? "wave").split(","));
const wants = (part: string) => only.has("wave") || only.has(part);
const WAVES = (process.env.BENCH_WAVES ?? "300,1000").split(",").map(Number);
const WARM_PASSENGERS = Number(process.env.BENCH_WAVE_WARM ?? 100);
/** Aims from issue 7: passengers → [first told, all told] in ms. */
const WAVE_AIMS: Record<number, [number | undefined, number]> = { 300: [300, 3000], 1000: [undefined, 10_000] };

/** One cancellation, every passenger rebooked (severity high: the voucher policy, no approval). */
function cancellation(label: string, passengers: readonly BenchCustomer[]) {
  const now = Date.now();
  return {
    id: `bench-${label}-${now}`,
    type: "flight.status_changed",
    occurredAt: new Date(now).toISOString(),
    data: {
      flightNumber: `MG${String(passengers.length).slice(0, 4)}`,
      date: new Date(now).toISOString().slice(0, 10),
      status: "cancelled",
      reason: "a crew shortage",
      origin: "London Gatwick",
      destination: "Lyon",
      departsAt: new Date(now + 3 * HOUR).toISOString(),
      bookings: passengers.map((p, i) => ({
        bookingRef: `${label.toUpperCase()}${i}`,
        customerId: p.id,
        rebookedFlight: { flightNumber: "MG2002", departsAt: new Date(now + 8 * HOUR).toISOString() },
      })),
    },
  };
}

/** Wait until every passenger has an email and an SMS, or the cap; true if everyone was reached. */
async function untilEveryoneReached(server: ServerProcess, passengers: readonly BenchCustomer[], capMs: number) {
  const until = performance.now() + capMs;
  const all = () => {
    const mail = emailsReceived(server.resend).first;
    const sms = smsReceived(server.twilio).first;
    return passengers.every((p) => mail.has(p.email) && sms.has(p.phone));
  };
  while (performance.now() < until) {
    if (all()) return true;
    await sleep(50);
  }
  return all();
}

async function flightWave(size: number, timeZone: string): Promise<void> {
  const server = await startServerProcess(`wave${size}`);
  try {
    // Warm up (JIT, Prisma, templates) with a smaller flight, as a server that has served before,
    // then let those recoveries finish. A cold server's 300 wave took ~10% longer.
    const warm = benchCustomers(`warm${size}`, WARM_PASSENGERS);
    await putCustomers(server, warm, timeZone);
    await server.request("POST", "/api/events", cancellation(`warm${size}`, warm));
    await untilEveryoneReached(server, warm, 60_000);
    await server.settle(15_000);

    const passengers = benchCustomers(`wave${size}`, size);
    await putCustomers(server, passengers, timeZone);
    const capMs = Number(process.env.BENCH_WAVE_CAP ?? 30 + 0.09 * size) * 1000;
    const posted = performance.now();
    await server.request("POST", "/api/events", cancellation(`w${size}x`, passengers));
    const accepted = performance.now();
    const everyone = await untilEveryoneReached(server, passengers, capMs);
    if (everyone) await sleep(1000); // a late second copy would show as a duplicate
    const t = timesToNotify(passengers, () => accepted, server.resend, server.twilio);
    const [firstAim, allAim] = WAVE_AIMS[size] ?? [undefined, undefined];

    section(`Flight wave: 1 cancellation, ${size} passengers (email + SMS each)`);
    note(`after a warm-up flight of ${WARM_PASSENGERS} passenger(s), not counted; BENCH_WAVE_WARM=1 for a cold server`);
    row("POST /api/events → 202", duration(accepted - posted));
    for (const [label, values] of [
      ["told (the first message, either channel)", t.told],
      ["email apology accepted", t.email],
      ["SMS apology accepted", t.sms],
    ] as const) {
      const sorted = ascending(values);
      const first = sorted[0] ?? Number.NaN;
      const last = sorted.at(-1) ?? Number.NaN;
      const aimed = label.startsWith("told");
      row(label, "");
      const firstAimed = aimed && firstAim !== undefined;
      row(
        "  first",
        duration(first),
        firstAimed ? { text: `< ${duration(firstAim)}`, met: first < firstAim } : undefined,
      );
      row("  p50 / p95", `${duration(pct(sorted, 50))} / ${duration(pct(sorted, 95))}`);
      const lastAimed = allAim !== undefined;
      row("  last", duration(last), lastAimed ? { text: `< ${duration(allAim)}`, met: last < allAim } : undefined);
      row(`  reached within the ${duration(capMs)} cap`, `${reached(values)} of ${size}`);
    }
    row("duplicates (same channel, same recipient)", `email ${t.duplicates.email}, SMS ${t.duplicates.sms}`, {
      text: "0",
      met: t.duplicates.email + t.duplicates.sms === 0,
    });
    reportProblems(server);
  } finally {
    await server.stop();
  }
}

function reportProblems(server: ServerProcess): void {
  const { count, last } = server.problems();
  if (count === 0) return;
  note(`the server logged ${count} warning/error line(s); the last:`);
  for (const line of last) console.log(`    ${line}`);
}

if (!["flight", "single", "sustained", "ramp"].some(wants)) process.exit(0);
header("makegood time-to-the-customer bench (bench/wave.ts)");
const timeZone = daytimeZone();
console.log(`  customers: time zone ${timeZone} (daytime now, so SMS goes at once), consent email + SMS, "both"`);
console.log(
  `  gesture budget this month raised to ${BENCH_BUDGET.toLocaleString("en")} EUR so every customer gets one`,
);
console.log("  times: from the bench receiving 202 to the local fake provider accepting the message");
const started = performance.now();
if (wants("flight")) for (const size of WAVES) await flightWave(size, timeZone);
if (wants("single") || wants("sustained")) {
  const server = await startServerProcess("notify");
  try {
    if (wants("single")) await singleEvents(server, timeZone);
    if (wants("sustained")) await sustained(server, timeZone);
    reportProblems(server);
  } finally {
    await server.stop();
  }
}
if (wants("ramp")) await ramp(timeZone);
console.log(
  `\n  bench took ${duration(performance.now() - started)}; peak RSS of the bench process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
