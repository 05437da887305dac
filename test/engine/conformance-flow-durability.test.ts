import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, test } from "vitest";
import { VirtualClock } from "../../src/engine/index.ts";
import { type Client, type Harness, harness } from "./harness.ts";

const HOUR = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), "engine-crash-"));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A SQLite file holding exactly the committed state of `db` now: what a kill -9 at this instant leaves on disk. */
function crashImage(db: Database.Database): string {
  const path = join(dir, `image-${files++}.db`);
  writeFileSync(path, db.serialize());
  return path;
}

function stepIdOf(request: Request): string | null {
  return new URL(request.url).searchParams.get("stepId");
}

function memoized(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM engine_steps ORDER BY seq").pluck().all() as string[];
}

/** Runs that are active but have nothing that would ever move them on. */
function stranded(db: Database.Database): string[] {
  return db
    .prepare(
      `SELECT id FROM engine_runs r WHERE status IN ('queued','running')
       AND NOT EXISTS (SELECT 1 FROM engine_jobs j WHERE j.run_id = r.id)
       AND NOT EXISTS (SELECT 1 FROM engine_waits w WHERE w.run_id = r.id)`,
    )
    .pluck()
    .all() as string[];
}

describe("crash and restart", () => {
  const STEPS = ["a", "b", "c"] as const;
  let executions: Record<string, number> = {};
  const define = (inngest: Client) => [
    inngest.createFunction({ id: "durable", triggers: [{ event: "d/go" }] }, async ({ event, step }) => {
      const out: string[] = [];
      for (const name of STEPS) {
        out.push(
          await step.run(name, () => {
            executions[name] = (executions[name] ?? 0) + 1;
            return `${name}:${event.data.v}`;
          }),
        );
      }
      return out;
    }),
  ];

  test("a crash at any call boundary resumes on restart; memoized steps never run again", async () => {
    const db = new Database(join(dir, "live.db"));
    const images: Array<{ at: string; path: string }> = [];
    executions = {};
    const h1 = await harness(define, {
      db,
      wrapTransport: (inner) => async (request) => {
        if (stepIdOf(request) === null) return inner(request); // the sync
        // Before the call: the previous result and this call's job are committed together.
        images.push({ at: `before ${stepIdOf(request)}`, path: crashImage(db) });
        const response = await inner(request);
        // The SDK ran the step, but the engine dies before committing its result.
        images.push({ at: `after ${stepIdOf(request)}`, path: crashImage(db) });
        return response;
      },
    });
    await h1.send({ name: "d/go", data: { v: 7 } });
    expect(h1.runs("durable")[0]?.output).toEqual(["a:7", "b:7", "c:7"]);
    expect(executions).toEqual({ a: 1, b: 1, c: 1 });
    await h1.stop();
    db.close();
    // Four calls (a, b, c, the final return), each with a crash before and after: eight crash points.
    expect(images.filter((i) => i.at.endsWith("step"))).toHaveLength(8);

    for (const image of images) {
      const restored = new Database(image.path);
      const saved = memoized(restored);
      expect(stranded(restored), image.at).toEqual([]);
      executions = {};
      const h2 = await harness(define, { db: restored });
      await h2.engine.drain();
      const [run] = h2.runs("durable");
      expect(run?.status, image.at).toBe("completed");
      expect(run?.output, image.at).toEqual(["a:7", "b:7", "c:7"]);
      for (const name of STEPS) {
        // A saved step is replayed from state; an unsaved one runs again exactly once (at-least-once).
        expect(executions[name] ?? 0, `${image.at}: step ${name}`).toBe(saved.includes(name) ? 0 : 1);
      }
      await h2.stop();
      restored.close();
    }
  });

  test("a new engine on the same file resumes sleeps and parked waits", async () => {
    const path = join(dir, "restart.db");
    const counts = { before: 0, after: 0 };
    const defineSleeper = (inngest: Client) => [
      inngest.createFunction({ id: "sleeper", triggers: [{ event: "s/go" }] }, async ({ step }) => {
        await step.run("before", () => counts.before++);
        await step.sleep("nap", "1h");
        const confirm = await step.waitForEvent("confirm", {
          event: "s/confirm",
          timeout: "1d",
          match: "data.orderId",
        });
        await step.run("after", () => counts.after++);
        return confirm?.data.note ?? null;
      }),
    ];
    const db1 = new Database(path);
    const clock = new VirtualClock();
    const h1 = await harness(defineSleeper, { db: db1, engine: { clock } });
    await h1.send([
      { name: "s/go", data: { orderId: "o1" } },
      { name: "s/go", data: { orderId: "o2" } },
    ]);
    await h1.engine.advance(HOUR / 2);
    const [first] = h1.runs("sleeper");
    expect(h1.run(first?.id as string).scheduled.map((j) => j.kind)).toEqual(["resume"]);
    await h1.stop();
    db1.close();

    // Restart 1: the sleep's timer is in the file; the new engine fires it and parks the waits.
    const db2 = new Database(path);
    const h2 = await harness(defineSleeper, { db: db2, engine: { clock } });
    await h2.engine.advance(HOUR / 2);
    expect(h2.runs("sleeper").map((r) => h2.run(r.id).waits.length)).toEqual([1, 1]);
    await h2.stop();
    db2.close();

    // Restart 2: the wait index is rebuilt from the table; an event matches only its own run.
    const db3 = new Database(path);
    const h3 = await harness(defineSleeper, { db: db3, engine: { clock } });
    await h3.send({ name: "s/confirm", data: { orderId: "o2", note: "yes" } });
    expect(h3.runs("sleeper").map((r) => [r.status, r.output])).toEqual([
      ["running", null],
      ["completed", "yes"],
    ]);
    await h3.engine.advance(1.5 * HOUR);
    expect(h3.runs("sleeper").map((r) => r.status)).toEqual(["running", "completed"]);
    await h3.engine.advance(HOUR * 23);
    expect(h3.runs("sleeper").map((r) => [r.status, r.output])).toEqual([
      ["completed", null],
      ["completed", "yes"],
    ]);
    expect(counts).toEqual({ before: 2, after: 2 });
    await h3.stop();
    db3.close();
  });
});

describe("flow-control state across a restart", () => {
  test("a pending batch, a pending debounce and a missed cron fire after a restart", async () => {
    const path = join(dir, "flow.db");
    const defineFlow = (inngest: Client) => [
      inngest.createFunction(
        { id: "batched", triggers: [{ event: "f/item" }], batchEvents: { maxSize: 10, timeout: "60s" } },
        async ({ events }) => events.map((e: { data: Record<string, unknown> }) => e.data.n as number),
      ),
      inngest.createFunction(
        { id: "debounced", triggers: [{ event: "f/ping" }], debounce: { period: "5m" } },
        async ({ event }) => event.data.n as number,
      ),
      inngest.createFunction({ id: "ticker", triggers: [{ cron: "*/5 * * * *" }] }, async () => "tick"),
    ];
    const db1 = new Database(path);
    const clock = new VirtualClock();
    const h1 = await harness(defineFlow, { db: db1, engine: { clock } });
    await h1.send([
      { name: "f/item", data: { n: 1 } },
      { name: "f/item", data: { n: 2 } },
      { name: "f/ping", data: { n: 1 } },
      { name: "f/ping", data: { n: 2 } },
    ]);
    await h1.stop();
    db1.close();

    // Down for 16 minutes: the batch timeout, the debounce period and three cron ticks all pass.
    clock.advance(16 * 60_000);
    const db2 = new Database(path);
    const h2 = await harness(defineFlow, { db: db2, engine: { clock } });
    await h2.engine.drain();
    expect(h2.runs("batched").map((r) => r.output)).toEqual([[1, 2]]);
    expect(h2.runs("debounced").map((r) => r.output)).toEqual([2]);
    // A schedule missed while stopped fires once, then the schedule carries on.
    expect(h2.runs("ticker")).toHaveLength(1);
    await h2.engine.advance(4 * 60_000);
    expect(h2.runs("ticker").map((r) => r.createdAt)).toEqual(["2026-01-05T09:16:00.000Z", "2026-01-05T09:20:00.000Z"]);
    await h2.stop();
    db2.close();
  });
});

describe("waitForEvent with many parked waits", () => {
  const RUNS = 2_000;

  test("one matching event resumes exactly its own run among 2,000", async () => {
    const h: Harness = await harness(
      (inngest) => [
        inngest.createFunction({ id: "by-match", triggers: [{ event: "w/order" }] }, async ({ step }) => {
          const paid = await step.waitForEvent("paid", { event: "w/paid", timeout: "7d", match: "data.orderId" });
          return paid?.data ?? null;
        }),
        inngest.createFunction({ id: "by-if", triggers: [{ event: "w/order-if" }] }, async ({ step }) => {
          const paid = await step.waitForEvent("paid", {
            event: "w/paid",
            timeout: "7d",
            if: "async.data.status == 'paid' && async.data.orderId == event.data.orderId",
          });
          return paid?.data ?? null;
        }),
      ],
      { engine: { maxInFlight: 64 } },
    );
    const orderId = (i: number) => `o-${i}`;
    await h.send(Array.from({ length: RUNS }, (_, i) => ({ name: "w/order", data: { orderId: orderId(i) } })));
    await h.send(Array.from({ length: 20 }, (_, i) => ({ name: "w/order-if", data: { orderId: orderId(i) } })));
    const count = (fn: string, status: string) =>
      h.db
        .prepare("SELECT count(*) FROM engine_runs WHERE function_id = ? AND status = ?")
        .pluck()
        .get(`conformance-${fn}`, status) as number;
    const waits = () => h.db.prepare("SELECT count(*) FROM engine_waits").pluck().get() as number;
    expect(waits()).toBe(RUNS + 20);
    const outputFor = (fn: string, id: string): unknown => {
      const output = h.db
        .prepare(
          `SELECT output FROM engine_runs WHERE function_id = ? AND status = 'completed'
           AND json_extract(events, '$[0].data.orderId') = ?`,
        )
        .pluck()
        .get(`conformance-${fn}`, id) as string | undefined;
      return output === undefined ? undefined : JSON.parse(output);
    };

    let callsBefore = h.calls.length;
    await h.send({ name: "w/paid", data: { orderId: "o-1234", status: "pending" } });
    expect(h.calls.length - callsBefore).toBe(1);
    expect(count("by-match", "completed")).toBe(1);
    expect(outputFor("by-match", "o-1234")).toEqual({ orderId: "o-1234", status: "pending" });
    expect(count("by-if", "completed")).toBe(0);

    // A literal comparison in `if`: "pending" does not satisfy it, "paid" does, and only for the same order.
    callsBefore = h.calls.length;
    await h.send({ name: "w/paid", data: { orderId: "o-7", status: "pending" } });
    await h.send({ name: "w/paid", data: { orderId: "o-99", status: "paid" } });
    await h.send({ name: "w/paid", data: { orderId: "o-7", status: "paid" } });
    expect(count("by-if", "completed")).toBe(1);
    expect(outputFor("by-if", "o-7")).toEqual({ orderId: "o-7", status: "paid" });
    // by-match resumed o-7 (first event) and o-99; by-if resumed o-7: three calls.
    expect(h.calls.length - callsBefore).toBe(3);
    expect(count("by-match", "completed")).toBe(3);
    expect(outputFor("by-match", "o-7")).toEqual({ orderId: "o-7", status: "pending" });
    expect(count("by-match", "running")).toBe(RUNS - 3);
    expect(count("by-if", "running")).toBe(19);
    expect(waits()).toBe(RUNS - 3 + 19);

    // An event for an order nobody waits on, or without the field, resumes nothing.
    callsBefore = h.calls.length;
    await h.send({ name: "w/paid", data: { orderId: "o-unknown", status: "paid" } });
    await h.send({ name: "w/paid", data: { status: "paid" } });
    expect(h.calls.length - callsBefore).toBe(0);
    expect(waits()).toBe(RUNS - 3 + 19);
    await h.stop();
  });
});
