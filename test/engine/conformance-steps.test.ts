import type { InngestFunction } from "inngest";
import { NonRetriableError, RetryAfterError } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { callsTo, ctxOf, DAY, HOUR, iso, MINUTE, onlyRun, record, SECOND, sha1 } from "./conformance-helpers.ts";
import { type Client, type Harness, harness } from "./harness.ts";

const open: Harness[] = [];

async function start(define: (inngest: Client) => InngestFunction.Any[]): Promise<Harness> {
  const h = await harness(define);
  open.push(h);
  return h;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.stop()));
});

/** Due times of a run's scheduled jobs, as offsets from `t0`. */
function dueOffsets(h: Harness, runId: string, t0: number): number[] {
  return h.run(runId).scheduled.map((j) => Date.parse(String(j.dueAt)) - t0);
}

/** When the run's earliest scheduled job falls due. */
function nextDue(h: Harness, runId: string): number {
  const [job] = h.run(runId).scheduled;
  if (!job) throw new Error(`run ${runId} has nothing scheduled`);
  return Date.parse(String(job.dueAt));
}

async function advanceTo(h: Harness, at: number): Promise<void> {
  await h.engine.advance(at - h.clock.now());
}

describe("sleep", () => {
  test("step.sleep('2d') completes only after two days of virtual time", async () => {
    let after = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "napper", triggers: [{ event: "t/nap" }] }, async ({ step }) => {
        await step.sleep("nap", "2d");
        return step.run("after", () => ++after);
      }),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/nap", data: {} });
    const { id } = onlyRun(h, "napper");
    expect(h.run(id).status).toBe("running");
    expect(h.run(id).scheduled).toEqual([{ kind: "resume", step: sha1("nap"), attempt: 0, dueAt: iso(t0 + 2 * DAY) }]);

    await h.engine.advance(2 * DAY - 1);
    expect(h.run(id).status).toBe("running");
    expect(after).toBe(0);

    await h.engine.advance(1);
    const run = h.run(id);
    expect(run.status).toBe("completed");
    expect(run.output).toBe(1);
    expect(after).toBe(1);
    expect(run.steps.map((s) => [s.name, s.op, s.output])).toEqual([
      ["nap", "Sleep", null],
      ["after", "StepRun", 1],
    ]);
    expect(Date.parse(String(run.endedAt))).toBe(t0 + 2 * DAY);
  });

  test("sleepUntil a time in the past completes at once", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "late", triggers: [{ event: "t/late" }] }, async ({ step }) => {
        await step.sleepUntil("long-ago", new Date("2020-01-01T00:00:00Z"));
        return "awake";
      }),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/late", data: {} });
    const run = onlyRun(h, "late");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("awake");
    expect(h.clock.now()).toBe(t0);
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([["long-ago", "Sleep"]]);
  });

  test("sleepUntil a future date wakes exactly at that date", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "alarm", triggers: [{ event: "t/alarm" }] }, async ({ event, step }) => {
        await step.sleepUntil("alarm", new Date(Number(event.data.at)));
        return "ring";
      }),
    ]);
    const at = h.clock.now() + 5 * HOUR + 30 * MINUTE;
    await h.send({ name: "t/alarm", data: { at } });
    const { id } = onlyRun(h, "alarm");
    expect(h.run(id).scheduled.map((j) => j.dueAt)).toEqual([iso(at)]);
    await h.engine.advance(5 * HOUR + 30 * MINUTE - 1);
    expect(h.run(id).status).toBe("running");
    await h.engine.advance(1);
    expect(h.run(id).status).toBe("completed");
  });
});

describe("waitForEvent", () => {
  const approval = (inngest: Client, opts: { match?: string; if?: string; timeout?: string } = {}) =>
    inngest.createFunction({ id: "approval", triggers: [{ event: "t/request" }] }, async ({ step }) => {
      const approved = await step.waitForEvent("approved", {
        event: "t/approved",
        timeout: opts.timeout ?? "1h",
        ...(opts.if ? { if: opts.if } : { match: opts.match ?? "data.id" }),
      });
      return approved ? { name: approved.name, data: approved.data } : null;
    });

  test("a matching event resolves the wait with that event", async () => {
    const h = await start((inngest) => [approval(inngest)]);
    await h.send({ name: "t/request", data: { id: "r-1" } });
    const { id } = onlyRun(h, "approval");
    expect(h.run(id).waits).toMatchObject([
      { step: sha1("approved"), event: "t/approved", if: "event.data.id == async.data.id" },
    ]);
    await h.send({ name: "t/approved", data: { id: "r-1", by: "ops" } });
    const run = h.run(id);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ name: "t/approved", data: { id: "r-1", by: "ops" } });
    expect(run.waits).toEqual([]);
    expect(run.scheduled).toEqual([]);
  });

  test("a non-matching event leaves the wait in place", async () => {
    const h = await start((inngest) => [approval(inngest)]);
    await h.send({ name: "t/request", data: { id: "r-1" } });
    await h.send({ name: "t/approved", data: { id: "r-2" } });
    await h.send({ name: "t/other", data: { id: "r-1" } });
    const { id } = onlyRun(h, "approval");
    expect(h.run(id).status).toBe("running");
    expect(h.run(id).waits).toHaveLength(1);
    expect(callsTo(h, "approval")).toHaveLength(1);
    await h.send({ name: "t/approved", data: { id: "r-1" } });
    expect(h.run(id).output).toEqual({ name: "t/approved", data: { id: "r-1" } });
  });

  test("a wait that times out resolves to null after the timeout, not before", async () => {
    const h = await start((inngest) => [approval(inngest, { timeout: "3d" })]);
    const t0 = h.clock.now();
    await h.send({ name: "t/request", data: { id: "r-1" } });
    const { id } = onlyRun(h, "approval");
    expect(dueOffsets(h, id, t0)).toEqual([3 * DAY]);
    await h.engine.advance(3 * DAY - 1);
    expect(h.run(id).status).toBe("running");
    await h.engine.advance(1);
    const run = h.run(id);
    expect(run.status).toBe("completed");
    expect(run.output).toBeNull();
    expect(run.steps.map((s) => [s.op, s.output])).toEqual([["WaitForEvent", null]]);
    expect(run.waits).toEqual([]);
    // A matching event after the timeout changes nothing.
    await h.send({ name: "t/approved", data: { id: "r-1" } });
    expect(h.run(id).output).toBeNull();
  });

  test("an event sent before the wait exists does not satisfy it", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "late-waiter", triggers: [{ event: "t/request" }] }, async ({ step }) => {
        await step.sleep("first", "10m");
        const approved = await step.waitForEvent("approved", { event: "t/approved", timeout: "1h", match: "data.id" });
        return approved?.data ?? null;
      }),
    ]);
    await h.send({ name: "t/approved", data: { id: "r-1", early: "before the run" } });
    await h.send({ name: "t/request", data: { id: "r-1" } });
    await h.send({ name: "t/approved", data: { id: "r-1", early: "during the sleep" } });
    const { id } = onlyRun(h, "late-waiter");
    await h.engine.advance(10 * MINUTE);
    expect(h.run(id).status).toBe("running");
    expect(h.run(id).waits).toHaveLength(1);
    await h.send({ name: "t/approved", data: { id: "r-1", early: "no, on time" } });
    expect(h.run(id).status).toBe("completed");
    expect(h.run(id).output).toEqual({ id: "r-1", early: "no, on time" });
  });

  test("a CEL `if` can compare the trigger `event` with the candidate `async`", async () => {
    const h = await start((inngest) => [
      approval(inngest, { if: "async.data.order == event.data.order && async.data.amount >= event.data.min" }),
    ]);
    await h.send({ name: "t/request", data: { order: "o-1", min: 100 } });
    await h.send({ name: "t/request", data: { order: "o-2", min: 10 } });
    const [first, second] = h.runs("approval").map((r) => r.id) as [string, string];
    await h.send({ name: "t/approved", data: { order: "o-1", amount: 50 } });
    await h.send({ name: "t/approved", data: { amount: 500 } });
    expect(h.run(first).status).toBe("running");
    expect(h.run(second).status).toBe("running");
    await h.send({ name: "t/approved", data: { order: "o-1", amount: 150 } });
    expect(h.run(first).output).toEqual({ name: "t/approved", data: { order: "o-1", amount: 150 } });
    expect(h.run(second).status).toBe("running");
    await h.send({ name: "t/approved", data: { order: "o-2", amount: 10 } });
    expect(h.run(second).output).toEqual({ name: "t/approved", data: { order: "o-2", amount: 10 } });
  });
});

describe("step retries and failures", () => {
  test("a step that throws is retried with backoff and then succeeds", async () => {
    const attempts: number[] = [];
    const h = await start((inngest) => [
      inngest.createFunction({ id: "flaky", triggers: [{ event: "t/flaky" }] }, async ({ step, attempt }) => {
        const value = await step.run("charge", () => {
          attempts.push(attempt);
          if (attempts.length < 3) throw new Error(`transient ${attempts.length}`);
          return "charged";
        });
        return value;
      }),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/flaky", data: {} });
    const { id } = onlyRun(h, "flaky");
    expect(attempts).toEqual([0]);
    expect(h.run(id).scheduled).toMatchObject([{ kind: "call", step: sha1("charge"), attempt: 1 }]);
    // Backoff: 15 s plus up to 10 % jitter, then 30 s plus jitter counted from the failed retry.
    const first = nextDue(h, id);
    expect(first - t0).toBeGreaterThanOrEqual(15 * SECOND);
    expect(first - t0).toBeLessThanOrEqual(16.5 * SECOND);
    await advanceTo(h, first - 1);
    expect(attempts).toEqual([0]);
    await advanceTo(h, first);
    expect(attempts).toEqual([0, 1]);
    const second = nextDue(h, id);
    expect(second - first).toBeGreaterThanOrEqual(30 * SECOND);
    expect(second - first).toBeLessThanOrEqual(33 * SECOND);
    await advanceTo(h, second - 1);
    expect(attempts).toEqual([0, 1]);
    await advanceTo(h, second);
    const run = h.run(id);
    expect(attempts).toEqual([0, 1, 2]);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("charged");
    expect(run.steps).toMatchObject([{ name: "charge", op: "StepRun", attempts: 3, output: "charged" }]);
    const retryCall = callsTo(h, "flaky").find((c) => new URL(c.url).searchParams.get("stepId") === sha1("charge"));
    expect(ctxOf(retryCall).attempt).toBe(1);
  });

  test("a step that keeps failing fails the run when the error is not caught", async () => {
    let executions = 0;
    let after = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "doomed", triggers: [{ event: "t/doomed" }], retries: 1 }, async ({ step }) => {
        await step.run("always-fails", () => {
          executions++;
          throw new Error("card declined");
        });
        after++;
        return "unreachable";
      }),
    ]);
    await h.send({ name: "t/doomed", data: {} });
    await h.engine.advance(HOUR);
    const run = onlyRun(h, "doomed");
    expect(executions).toBe(2);
    expect(after).toBe(0);
    expect(run.status).toBe("failed");
    expect(run.output).toBeNull();
    expect(JSON.stringify(run.error)).toContain("card declined");
    expect(run.steps).toMatchObject([{ name: "always-fails", op: "StepFailed", attempts: 2 }]);
    expect(record(run.steps[0]?.error).message).toBe("card declined");
    expect(run.scheduled).toEqual([]);
  });

  test("a step's final failure caught by user code lets the run continue and complete", async () => {
    let executions = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "resilient", triggers: [{ event: "t/res" }], retries: 1 }, async ({ step }) => {
        let outcome: string;
        try {
          outcome = await step.run("risky", () => {
            executions++;
            throw new Error("provider down");
          });
        } catch (error) {
          outcome = `fallback after: ${(error as Error).message}`;
        }
        const next = await step.run("next", () => "next ran");
        return { outcome, next };
      }),
    ]);
    await h.send({ name: "t/res", data: {} });
    await h.engine.advance(HOUR);
    const run = onlyRun(h, "resilient");
    expect(executions).toBe(2);
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ outcome: "fallback after: provider down", next: "next ran" });
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([
      ["risky", "StepFailed"],
      ["next", "StepRun"],
    ]);
  });

  test("a NonRetriableError in a step is not retried and fails the run at once", async () => {
    let executions = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "refused", triggers: [{ event: "t/refused" }] }, async ({ step }) => {
        await step.run("validate", () => {
          executions++;
          throw new NonRetriableError("invalid address");
        });
        return "unreachable";
      }),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/refused", data: {} });
    const run = onlyRun(h, "refused");
    expect(executions).toBe(1);
    expect(run.status).toBe("failed");
    expect(Date.parse(String(run.endedAt))).toBe(t0);
    expect(JSON.stringify(run.error)).toContain("invalid address");
    expect(run.scheduled).toEqual([]);
    await h.engine.advance(DAY);
    expect(executions).toBe(1);
  });

  test("a NonRetriableError thrown by the function body is not retried", async () => {
    let executions = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "refused-body", triggers: [{ event: "t/rb" }] }, async () => {
        executions++;
        throw new NonRetriableError("bad input");
      }),
    ]);
    await h.send({ name: "t/rb", data: {} });
    await h.engine.advance(DAY);
    const run = onlyRun(h, "refused-body");
    expect(executions).toBe(1);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "NonRetriableError", message: "bad input" });
    expect(callsTo(h, "refused-body").map((c) => c.status)).toEqual([400]);
  });

  test("a function error outside steps is retried `retries` times, then fails, emits function.failed and runs onFailure", async () => {
    const seen: number[] = [];
    const failures: Array<{ event: Record<string, unknown>; error: { name: string; message: string } }> = [];
    const h = await start((inngest) => [
      inngest.createFunction(
        {
          id: "brittle",
          triggers: [{ event: "t/brittle" }],
          retries: 2,
          onFailure: async ({ event, error }: { event: unknown; error: Error }) => {
            failures.push({ event: record(event), error });
          },
        },
        async ({ attempt }) => {
          seen.push(attempt);
          throw new Error(`broken on attempt ${attempt}`);
        },
      ),
      inngest.createFunction(
        { id: "failure-watcher", triggers: [{ event: "inngest/function.failed" }] },
        async ({ event }) => event.data,
      ),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/brittle", data: { order: "o-9" } });
    const { id } = onlyRun(h, "brittle");
    expect(seen).toEqual([0]);
    expect(h.run(id).scheduled).toMatchObject([{ kind: "call", step: "step", attempt: 1 }]);

    const first = nextDue(h, id);
    expect(first - t0).toBeGreaterThanOrEqual(15 * SECOND);
    expect(first - t0).toBeLessThanOrEqual(16.5 * SECOND);
    await advanceTo(h, first - 1);
    expect(seen).toEqual([0]);
    await advanceTo(h, first);
    expect(seen).toEqual([0, 1]);
    const second = nextDue(h, id);
    expect(second - first).toBeGreaterThanOrEqual(30 * SECOND);
    expect(second - first).toBeLessThanOrEqual(33 * SECOND);
    await advanceTo(h, second - 1);
    expect(seen).toEqual([0, 1]);
    await advanceTo(h, second);
    expect(seen).toEqual([0, 1, 2]);
    await h.engine.advance(HOUR);
    expect(seen).toEqual([0, 1, 2]);

    const run = h.run(id);
    expect(run.status).toBe("failed");
    expect(run.error).toMatchObject({ name: "Error", message: "broken on attempt 2" });
    expect(callsTo(h, "brittle").map((c) => ctxOf(c).attempt)).toEqual([0, 1, 2]);
    expect(Date.parse(String(run.endedAt)) - t0).toBeGreaterThanOrEqual(45 * SECOND);

    const [watched] = h.runs("failure-watcher");
    expect(watched?.output).toMatchObject({
      function_id: "conformance-brittle",
      run_id: id,
      error: { message: "broken on attempt 2" },
      event: { name: "t/brittle", data: { order: "o-9" } },
    });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.event).toMatchObject({
      name: "inngest/function.failed",
      data: { function_id: "conformance-brittle", run_id: id, event: { data: { order: "o-9" } } },
    });
    expect(failures[0]?.error.message).toBe("broken on attempt 2");
    expect(h.runs("brittle-failure").map((r) => r.status)).toEqual(["completed"]);
  });
});

describe("RetryAfterError", () => {
  test("a RetryAfterError with a duration schedules the step retry exactly that far ahead", async () => {
    const attempts: number[] = [];
    const h = await start((inngest) => [
      inngest.createFunction({ id: "rate-limited", triggers: [{ event: "t/rl" }] }, async ({ step, attempt }) =>
        step.run("call-api", () => {
          attempts.push(attempt);
          if (attempt === 0) throw new RetryAfterError("429 from provider", 90 * SECOND);
          return "ok";
        }),
      ),
    ]);
    const t0 = h.clock.now();
    await h.send({ name: "t/rl", data: {} });
    const { id } = onlyRun(h, "rate-limited");
    expect(h.run(id).scheduled).toEqual([
      { kind: "call", step: sha1("call-api"), attempt: 1, dueAt: iso(t0 + 90 * SECOND) },
    ]);
    await h.engine.advance(90 * SECOND - 1);
    expect(attempts).toEqual([0]);
    await h.engine.advance(1);
    expect(attempts).toEqual([0, 1]);
    expect(h.run(id).status).toBe("completed");
    expect(h.run(id).output).toBe("ok");
  });

  test("a RetryAfterError with a Date schedules the function retry at that date", async () => {
    const attempts: number[] = [];
    const h = await start((inngest) => [
      inngest.createFunction({ id: "reopen", triggers: [{ event: "t/reopen" }] }, async ({ event, attempt }) => {
        attempts.push(attempt);
        if (attempt === 0) throw new RetryAfterError("closed until morning", new Date(Number(event.data.opensAt)));
        return "open";
      }),
    ]);
    const opensAt = h.clock.now() + 7 * HOUR + 123;
    await h.send({ name: "t/reopen", data: { opensAt } });
    const { id } = onlyRun(h, "reopen");
    expect(h.run(id).scheduled).toEqual([{ kind: "call", step: "step", attempt: 1, dueAt: iso(opensAt) }]);
    await h.engine.advance(7 * HOUR + 122);
    expect(attempts).toEqual([0]);
    await h.engine.advance(1);
    expect(attempts).toEqual([0, 1]);
    expect(h.run(id).output).toBe("open");
  });
});
