/**
 * The engine's history (src/engine/store/history.ts): finished runs and old events are purged past
 * a cutoff while runs in progress are kept whole; a customer's strings are redacted wherever the
 * engine stored them, and a run in progress still finishes after it.
 */
import { afterEach, expect, test } from "vitest";
import { type Harness, harness } from "./harness.ts";

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const count = (table: string) => (h?.db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number) ?? 0;

async function withRuns() {
  h = await harness((inngest) => [
    inngest.createFunction({ id: "done", triggers: [{ event: "t/done" }] }, async ({ event, step }) => {
      return step.run("greet", () => `Dear ${event.data.name}`);
    }),
    inngest.createFunction({ id: "waiting", triggers: [{ event: "t/wait" }] }, async ({ event, step }) => {
      const note = await step.run("note", () => `about ${event.data.name}`);
      await step.waitForEvent("resolution", { event: "t/resolved", timeout: "30d" });
      return note;
    }),
  ]);
  await h.send([
    { name: "t/done", data: { name: "Augusta Byron" } },
    { name: "t/done", data: { name: "Grace Hopper" } },
    { name: "t/wait", data: { name: "Augusta Byron" } },
  ]);
  return h;
}

test("finished runs, their steps and old events go past the cutoff; a run still waiting stays whole", async () => {
  const h = await withRuns();
  expect(h.runs("done").map((r) => r.status)).toEqual(["completed", "completed"]);
  expect(count("engine_runs")).toBe(3);
  const stepsBefore = count("engine_steps");

  // Nothing of the last day goes, whatever the cutoff (event ids deduplicate within 24 hours).
  expect(h.engine.purgeHistory(h.clock.now() + DAY)).toMatchObject({ runs: 0, events: 0 });

  await h.engine.advance(10 * DAY);
  const purged = h.engine.purgeHistory(h.clock.now() - 5 * DAY);
  expect(purged).toMatchObject({ runs: 2, events: 3, more: false });
  expect(count("engine_runs")).toBe(1);
  expect(count("engine_steps")).toBe(stepsBefore - purged.steps);
  expect(purged.steps).toBeGreaterThan(0);
  // The waiting run resumes and finishes with its memoized step intact.
  await h.send({ name: "t/resolved", data: {} });
  expect(h.runs("waiting").map((r) => [r.status, r.output])).toEqual([["completed", "about Augusta Byron"]]);
  expect(h.engine.purgeHistory(h.clock.now() - 5 * DAY)).toMatchObject({ runs: 0, events: 0 });
});

test("a batch at a time: `more` says when to call again", async () => {
  const h = await withRuns();
  await h.engine.advance(3 * DAY);
  const { purgeHistory } = await import("../../src/engine/store/history.ts");
  const first = purgeHistory(h.db, h.clock.now() - DAY, h.clock.now(), 1);
  expect(first).toMatchObject({ runs: 1, more: true });
  const second = purgeHistory(h.db, h.clock.now() - DAY, h.clock.now(), 1);
  expect(second).toMatchObject({ runs: 1, more: true });
  expect(purgeHistory(h.db, h.clock.now() - DAY, h.clock.now(), 10)).toMatchObject({ runs: 0, more: false });
});

test("redaction replaces a customer's strings in events, runs and steps; others and the run's mechanics are untouched", async () => {
  const h = await withRuns();
  const where = (needle: string) =>
    ["engine_events.payload", "engine_runs.events", "engine_runs.output", "engine_steps.result"].filter((tc) => {
      const [table, column] = tc.split(".");
      return (
        (h.db.prepare(`SELECT count(*) FROM ${table} WHERE instr(${column}, ?) > 0`).pluck().get(needle) as number) > 0
      );
    });
  expect(where("Augusta Byron")).toEqual([
    "engine_events.payload",
    "engine_runs.events",
    "engine_runs.output",
    "engine_steps.result",
  ]);
  const changed = h.engine.redact(["Augusta Byron"], "[erased]");
  expect(changed).toMatchObject({ engine_events: 2, engine_runs: 3, engine_steps: 2 });
  expect(where("Augusta Byron")).toEqual([]);
  expect(where("Grace Hopper").length).toBeGreaterThan(0);
  await h.send({ name: "t/resolved", data: {} });
  expect(h.runs("waiting").map((r) => [r.status, r.output])).toEqual([["completed", "about [erased]"]]);
  expect(h.engine.redact(["Augusta Byron"], "[erased]")).toEqual({});
});
