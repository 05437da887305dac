import Database from "better-sqlite3";
import { afterEach, describe, expect, test } from "vitest";
import { EngineStore } from "../../src/engine/store/store.ts";
import { type Harness, harness } from "./harness.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const orderOf = (event: unknown) => (event as { data: { orderId: string } }).data.orderId;
const ms = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

describe("cancelOn", () => {
  async function sleeper(afterSleep: string[]) {
    return harness((inngest) => [
      inngest.createFunction(
        {
          id: "sleeper",
          triggers: [{ event: "order/placed" }],
          cancelOn: [
            { event: "order/cancelled", match: "data.orderId" },
            { event: "order/voided", if: "async.data.ref == event.data.orderId && async.data.reason == 'fraud'" },
          ],
        },
        async ({ event, step }) => {
          await step.run("before", () => "before");
          await step.sleep("wait-a-day", "1d");
          await step.run("after", () => {
            afterSleep.push(event.data.orderId as string);
          });
          return "woke";
        },
      ),
      inngest.createFunction(
        { id: "on-cancel", triggers: [{ event: "inngest/function.cancelled" }] },
        async ({ event }) => {
          return event.data;
        },
      ),
    ]);
  }

  test("a matching cancel event cancels a sleeping run; nothing after the sleep runs", async () => {
    const afterSleep: string[] = [];
    h = await sleeper(afterSleep);
    await h.send({ name: "order/placed", data: { orderId: "o1" } });
    await h.send({ name: "order/placed", data: { orderId: "o2" } });
    await h.engine.advance(HOUR);
    await h.send({ name: "order/cancelled", data: { orderId: "o1" } });
    const [o1, o2] = h.runs("sleeper");
    expect(o1?.status).toBe("cancelled");
    expect(o2?.status).toBe("running");
    expect(h.run(o1?.id as string).scheduled).toEqual([]);
    await h.engine.advance(2 * DAY);
    expect(afterSleep).toEqual(["o2"]);
    expect(h.runs("sleeper").map((r) => r.status)).toEqual(["cancelled", "completed"]);
    const notices = h.runs("on-cancel");
    expect(notices).toHaveLength(1);
    expect(notices[0]?.output).toMatchObject({ run_id: o1?.id, function_id: "conformance-sleeper" });
  });

  test("a non-matching cancel event does nothing", async () => {
    const afterSleep: string[] = [];
    h = await sleeper(afterSleep);
    await h.send({ name: "order/placed", data: { orderId: "o1" } });
    await h.send({ name: "order/cancelled", data: { orderId: "other" } });
    await h.send({ name: "order/voided", data: { ref: "o1", reason: "customer" } });
    expect(h.runs("sleeper")[0]?.status).toBe("running");
    await h.engine.advance(DAY);
    expect(h.runs("sleeper")[0]?.status).toBe("completed");
    expect(afterSleep).toEqual(["o1"]);
    expect(h.runs("on-cancel")).toHaveLength(0);
  });

  test("a cancel `if` comparing event and async fields cancels only its run", async () => {
    const afterSleep: string[] = [];
    h = await sleeper(afterSleep);
    await h.send([
      { name: "order/placed", data: { orderId: "o1" } },
      { name: "order/placed", data: { orderId: "o2" } },
    ]);
    await h.send({ name: "order/voided", data: { ref: "o2", reason: "fraud" } });
    await h.engine.advance(DAY);
    const byOrder = Object.fromEntries(
      (h as Harness).runs("sleeper").map((r) => [orderOf((h as Harness).run(r.id).events[0]), r.status]),
    );
    expect(byOrder).toEqual({ o1: "completed", o2: "cancelled" });
    expect(afterSleep).toEqual(["o1"]);
  });
});

describe("cron", () => {
  test("*/5 fires inngest/scheduled.timer runs as virtual time advances", async () => {
    h = await harness((inngest) => [
      inngest.createFunction({ id: "every-5", triggers: [{ cron: "*/5 * * * *" }] }, async ({ event }) => event.name),
    ]);
    expect(h.runs("every-5")).toHaveLength(0);
    await h.engine.advance(16 * MIN);
    const runs = h.runs("every-5");
    expect(runs).toHaveLength(3);
    expect(runs.map((r) => r.createdAt)).toEqual([
      "2026-01-05T09:05:00.000Z",
      "2026-01-05T09:10:00.000Z",
      "2026-01-05T09:15:00.000Z",
    ]);
    expect(runs.every((r) => r.status === "completed" && r.output === "inngest/scheduled.timer")).toBe(true);
    await h.engine.advance(4 * MIN);
    expect(h.runs("every-5")).toHaveLength(4);
  });

  test("a TZ= prefix schedules in that time zone", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "paris-9am", triggers: [{ cron: "TZ=Europe/Paris 0 9 * * *" }] },
        async () => "bonjour",
      ),
    ]);
    // The clock starts at 09:00 UTC (10:00 in Paris, winter time): the next 09:00 Paris is tomorrow 08:00 UTC.
    await h.engine.advance(22 * HOUR + 59 * MIN);
    expect(h.runs("paris-9am")).toHaveLength(0);
    await h.engine.advance(MIN);
    const runs = h.runs("paris-9am");
    expect(runs).toHaveLength(1);
    expect(runs[0]?.createdAt).toBe("2026-01-06T08:00:00.000Z");
    expect(h.run(runs[0]?.id as string).events[0]).toMatchObject({ name: "inngest/scheduled.timer" });
  });
});

describe("batching", () => {
  function batcher(key?: string) {
    return harness((inngest) => [
      inngest.createFunction(
        { id: "batch", triggers: [{ event: "b/item" }], batchEvents: { maxSize: 3, timeout: "10s", key } },
        async ({ events }) => events.map((e: { data: Record<string, unknown> }) => e.data.n as number),
      ),
    ]);
  }

  test("maxSize events make one run with all of them", async () => {
    h = await batcher();
    await h.send({ name: "b/item", data: { n: 1 } });
    await h.send({ name: "b/item", data: { n: 2 } });
    expect(h.runs("batch")).toHaveLength(0);
    await h.send({ name: "b/item", data: { n: 3 } });
    const runs = h.runs("batch");
    expect(runs).toHaveLength(1);
    expect(runs[0]?.output).toEqual([1, 2, 3]);
  });

  test("a partial batch runs when the timeout elapses", async () => {
    h = await batcher();
    await h.send({ name: "b/item", data: { n: 7 } });
    await h.engine.advance(9_999);
    expect(h.runs("batch")).toHaveLength(0);
    await h.engine.advance(1);
    expect(h.runs("batch").map((r) => r.output)).toEqual([[7]]);
  });

  test("batches are kept per key", async () => {
    h = await batcher("event.data.user");
    await h.send([
      { name: "b/item", data: { user: "u1", n: 1 } },
      { name: "b/item", data: { user: "u2", n: 10 } },
      { name: "b/item", data: { user: "u1", n: 2 } },
      { name: "b/item", data: { user: "u1", n: 3 } },
    ]);
    expect(h.runs("batch").map((r) => r.output)).toEqual([[1, 2, 3]]);
    await h.engine.advance(10_000);
    expect(h.runs("batch").map((r) => r.output)).toEqual([[1, 2, 3], [10]]);
  });
});

describe("debounce", () => {
  function debouncer() {
    return harness((inngest) => [
      inngest.createFunction(
        { id: "debounced", triggers: [{ event: "d/ping" }], debounce: { period: "1m", timeout: "3m" } },
        async ({ event }) => event.data.n as number,
      ),
    ]);
  }

  test("runs once with the last event after the period of quiet", async () => {
    h = await debouncer();
    await h.send({ name: "d/ping", data: { n: 1 } });
    await h.engine.advance(30_000);
    await h.send({ name: "d/ping", data: { n: 2 } });
    await h.engine.advance(50_000);
    await h.send({ name: "d/ping", data: { n: 3 } });
    await h.engine.advance(59_999);
    expect(h.runs("debounced")).toHaveLength(0);
    await h.engine.advance(1);
    const runs = h.runs("debounced");
    expect(runs.map((r) => r.output)).toEqual([3]);
    expect(runs[0]?.createdAt).toBe("2026-01-05T09:02:20.000Z");
  });

  test("the timeout caps the wait under a steady stream of events", async () => {
    h = await debouncer();
    for (let n = 1; n <= 5; n++) {
      await h.send({ name: "d/ping", data: { n } });
      await h.engine.advance(50_000);
    }
    // Events at 0s, 50s, 100s, 150s, 200s: quiet never lasts 1m, but the 3m timeout fires at 180s with the latest.
    const runs = h.runs("debounced");
    expect(runs.map((r) => r.output)).toEqual([4]);
    expect(runs[0]?.createdAt).toBe("2026-01-05T09:03:00.000Z");
    await h.engine.advance(MIN);
    expect(h.runs("debounced").map((r) => r.output)).toEqual([4, 5]);
  });
});

describe("rate limit vs throttle", () => {
  test("rateLimit skips runs over the limit", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "limited", triggers: [{ event: "r/go" }], rateLimit: { limit: 1, period: "1m" } },
        async ({ event }) => event.data.n as number,
      ),
    ]);
    await h.send([1, 2, 3].map((n) => ({ name: "r/go", data: { n } })));
    await h.engine.advance(5 * MIN);
    expect(h.runs("limited").map((r) => r.output)).toEqual([1]);
    await h.send({ name: "r/go", data: { n: 4 } });
    expect(h.runs("limited").map((r) => r.output)).toEqual([1, 4]);
  });

  test("throttle delays runs over the limit: all run, spaced by the period", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "throttled", triggers: [{ event: "t/go" }], throttle: { limit: 1, period: "1m" } },
        async ({ event }) => event.data.n as number,
      ),
    ]);
    await h.send([1, 2, 3].map((n) => ({ name: "t/go", data: { n } })));
    expect(h.runs("throttled").map((r) => r.status)).toEqual(["completed", "queued", "queued"]);
    await h.engine.advance(3 * MIN);
    const runs = h.runs("throttled");
    expect(runs.map((r) => r.output)).toEqual([1, 2, 3]);
    const starts = runs.map((r) => ms(r.startedAt));
    expect(starts.slice(1).map((t, i) => t - (starts[i] as number))).toEqual([MIN, MIN]);
  });
});

describe("concurrency with a key", () => {
  test("runs with the same key never execute steps at once; other keys do", async () => {
    const active = new Map<string, number>();
    const maxPerKey = new Map<string, number>();
    let total = 0;
    let maxTotal = 0;
    const firstSteps: string[] = [];
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "keyed", triggers: [{ event: "c/go" }], concurrency: { limit: 1, key: "event.data.customer" } },
        async ({ event, step }) => {
          const customer = event.data.customer as string;
          const work = (label: string) =>
            step.run(label, async () => {
              if (label === "one") firstSteps.push(event.data.tag as string);
              active.set(customer, (active.get(customer) ?? 0) + 1);
              total++;
              maxPerKey.set(customer, Math.max(maxPerKey.get(customer) ?? 0, active.get(customer) ?? 0));
              maxTotal = Math.max(maxTotal, total);
              await new Promise((resolve) => setTimeout(resolve, 25));
              active.set(customer, (active.get(customer) ?? 1) - 1);
              total--;
            });
          await work("one");
          await work("two");
          return event.data.tag;
        },
      ),
    ]);
    await h.send([
      { name: "c/go", data: { customer: "acme", tag: "acme-1" } },
      { name: "c/go", data: { customer: "acme", tag: "acme-2" } },
      { name: "c/go", data: { customer: "zeta", tag: "zeta-1" } },
    ]);
    expect(h.runs("keyed").map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
    expect(maxPerKey.get("acme")).toBe(1);
    expect(maxPerKey.get("zeta")).toBe(1);
    expect(maxTotal).toBe(2);
    // FIFO within a key: the first event's run gets the slot first.
    expect(firstSteps.filter((t) => t.startsWith("acme"))).toEqual(["acme-1", "acme-2"]);
  });

  test("a long queue on one key does not hold up another key", async () => {
    const QUEUED = 100; // more than one page of due jobs
    const started: string[] = [];
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "queue", triggers: [{ event: "q/go" }], concurrency: { limit: 1, key: "event.data.customer" } },
        async ({ event, step }) => step.run("work", () => started.push(event.data.tag as string)),
      ),
    ]);
    await h.send([
      ...Array.from({ length: QUEUED }, (_, i) => ({ name: "q/go", data: { customer: "acme", tag: `acme-${i}` } })),
      { name: "q/go", data: { customer: "zeta", tag: "zeta" } },
    ]);
    expect(h.runs("queue").every((r) => r.status === "completed")).toBe(true);
    // zeta's run is last in line, but its key is free: it starts alongside acme's first run, not after all of them.
    expect(started.indexOf("zeta")).toBeLessThan(3);
    expect(started.filter((t) => t.startsWith("acme"))).toEqual(Array.from({ length: QUEUED }, (_, i) => `acme-${i}`));
  });

  test("a sleeping run holds no concurrency slot", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "sleepy", triggers: [{ event: "s/go" }], concurrency: { limit: 1, key: "event.data.customer" } },
        async ({ event, step }) => {
          await step.run("start", () => event.data.tag);
          if (event.data.tag === "first") await step.sleep("nap", "1h");
          return event.data.tag;
        },
      ),
    ]);
    await h.send({ name: "s/go", data: { customer: "acme", tag: "first" } });
    await h.send({ name: "s/go", data: { customer: "acme", tag: "second" } });
    expect(h.runs("sleepy").map((r) => r.status)).toEqual(["running", "completed"]);
    await h.engine.advance(HOUR);
    expect(h.runs("sleepy").map((r) => r.status)).toEqual(["completed", "completed"]);
  });
});

describe("idempotency key", () => {
  test("one run per key per 24 hours", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "once", triggers: [{ event: "i/order" }], idempotency: "event.data.orderId" },
        async ({ event }) => `${event.data.orderId}#${event.data.attempt}`,
      ),
    ]);
    await h.send({ name: "i/order", data: { orderId: "A", attempt: 1 } });
    await h.send({ name: "i/order", data: { orderId: "A", attempt: 2 } });
    await h.send({ name: "i/order", data: { orderId: "B", attempt: 1 } });
    expect(h.runs("once").map((r) => r.output)).toEqual(["A#1", "B#1"]);
    await h.engine.advance(23 * HOUR);
    await h.send({ name: "i/order", data: { orderId: "A", attempt: 3 } });
    expect(h.runs("once")).toHaveLength(2);
    await h.engine.advance(HOUR);
    await h.send({ name: "i/order", data: { orderId: "A", attempt: 4 } });
    expect(h.runs("once").map((r) => r.output)).toEqual(["A#1", "B#1", "A#4"]);
  });
});

describe("a queue per function", () => {
  test("a backlog in one function does not hold another back: their due jobs are taken in turn", async () => {
    const ran: string[] = [];
    h = await harness(
      (inngest) => [
        inngest.createFunction({ id: "signal", triggers: [{ event: "t/signal" }] }, async ({ event, step }) => {
          ran.push(`signal ${event.data.n}`);
          await step.sendEvent("start", { name: "t/follow", data: { n: event.data.n } });
        }),
        inngest.createFunction({ id: "follow", triggers: [{ event: "t/follow" }] }, async ({ event }) => {
          ran.push(`follow ${event.data.n}`);
        }),
      ],
      { engine: { maxInFlight: 1 } },
    );
    await h.send(Array.from({ length: 30 }, (_, n) => ({ name: "t/signal", data: { n } })));
    expect(ran.filter((r) => r.startsWith("follow"))).toHaveLength(30);
    // Oldest first would run all 30 signals before any follow-up; in turn, each follow-up comes
    // within a call or two of its signal.
    expect(ran.indexOf("follow 0")).toBeLessThan(ran.indexOf("signal 3"));
    expect(ran.indexOf("follow 10")).toBeLessThan(ran.indexOf("signal 15"));
  });

  test("an engine file from before queues existed gets its jobs' queues filled in", () => {
    const db = new Database(":memory:");
    db.exec(`CREATE TABLE engine_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      INSERT INTO engine_meta VALUES ('schema_version', '1');
      CREATE TABLE engine_runs (id TEXT PRIMARY KEY, function_id TEXT NOT NULL, status TEXT NOT NULL, events TEXT NOT NULL,
        created_at INTEGER NOT NULL, started_at INTEGER, ended_at INTEGER, output TEXT, error TEXT,
        parallel INTEGER NOT NULL DEFAULT 0, concurrency TEXT, correlation TEXT,
        step_count INTEGER NOT NULL DEFAULT 0, state_bytes INTEGER NOT NULL DEFAULT 0);
      CREATE TABLE engine_jobs (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, kind TEXT NOT NULL, step TEXT,
        attempt INTEGER NOT NULL DEFAULT 0, due_at INTEGER NOT NULL, payload TEXT);
      INSERT INTO engine_runs(id, function_id, status, events, created_at) VALUES ('r1', 'app-fn', 'queued', '[]', 0);
      INSERT INTO engine_jobs(run_id, kind, step, due_at) VALUES ('r1', 'call', 'step', 0);
      INSERT INTO engine_jobs(run_id, kind, due_at, payload) VALUES (NULL, 'debounce', 5, '{"fnId":"app-other","key":"k"}');`);
    const store = new EngineStore(db);
    expect(store.dueJobsIn("app-fn", 10, 10).map((j) => j.run_id)).toEqual(["r1"]);
    expect(store.dueJobsIn("app-other", 10, 10).map((j) => j.kind)).toEqual(["debounce"]);
    expect(store.meta("schema_version")).toBe("2");
  });
});

describe("headroom for the serving thread", () => {
  test("the engine keeps to a headroom limit below its maximum, and launches more once it is raised", async () => {
    let allowed = 2;
    let running = 0;
    let most = 0;
    h = await harness(
      (inngest) => [
        inngest.createFunction({ id: "slow", triggers: [{ event: "h/go" }] }, async () => {
          await new Promise((resolve) => setTimeout(resolve, 30));
        }),
      ],
      {
        engine: { maxInFlight: 32, headroom: { limit: () => allowed } },
        wrapTransport: (t) => async (request) => {
          running++;
          most = Math.max(most, running);
          try {
            return await t(request);
          } finally {
            running--;
          }
        },
      },
    );
    await h.send(Array.from({ length: 12 }, (_, n) => ({ name: "h/go", data: { n } })));
    expect(most).toBe(2);
    allowed = 5;
    most = 0;
    await h.send(Array.from({ length: 12 }, (_, n) => ({ name: "h/go", data: { n: 100 + n } })));
    expect(most).toBe(5);
    expect(h.runs("slow").filter((r) => r.status === "completed")).toHaveLength(24);
  });
});
