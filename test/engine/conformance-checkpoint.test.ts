/**
 * Checkpointing (the SDK's default): consecutive steps run inline in one call, each committed
 * through POST /v1/checkpoint/{runId}/async before the next one runs. The real SDK against the
 * engine; the protocol is described in src/engine/checkpoint.ts.
 */
import { type InngestFunction, NonRetriableError } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { Engine, inProcessTransport } from "../../src/engine/index.ts";
import { hashedSigningKey } from "../../src/engine/signing.ts";
import { ctxOf, HOUR, onlyRun, sha1 } from "./conformance-helpers.ts";
import { type Client, type Harness, harness } from "./harness.ts";

const open: Harness[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.stop()));
});

interface Checkpoint {
  status: number;
  body: {
    run_id: string;
    fn_id: string;
    qi_id: string;
    generation_id: number;
    steps: Array<{ op: string; id: string }>;
  };
}

/** A checkpointing harness that records every checkpoint request and the engine's answer. */
async function start(define: (inngest: Client) => InngestFunction.Any[], opts: { failCheckpoints?: boolean } = {}) {
  const checkpoints: Checkpoint[] = [];
  const h = await harness(define, {
    checkpointing: true,
    wrapFetch: (inner) => async (input, init) => {
      const request = new Request(input, init);
      if (!new URL(request.url).pathname.startsWith("/v1/checkpoint/")) return inner(request);
      const body = JSON.parse(await request.clone().text()) as Checkpoint["body"];
      const response = opts.failCheckpoints ? new Response("disk on fire", { status: 500 }) : await inner(request);
      checkpoints.push({ status: response.status, body });
      return response;
    },
  });
  open.push(h);
  return { h, checkpoints };
}

const calls = (h: Harness, fnId: string) => h.calls.filter((c) => c.url.includes(`fnId=conformance-${fnId}&`));
const ops = (h: Harness, fnId: string) => calls(h, fnId).map((c) => c.status);

describe("checkpointing", () => {
  test("sequential steps run in one call, each committed before the next step runs", async () => {
    const seenBefore: string[][] = [];
    let h!: Harness;
    const started = await start((inngest) => [
      inngest.createFunction({ id: "seq", triggers: [{ event: "t/seq" }] }, async ({ step, runId }) => {
        const names = () => h.run(runId).steps.map((s) => String(s.name));
        const a = await step.run("a", () => {
          seenBefore.push(names());
          return 1;
        });
        const b = await step.run("b", () => {
          seenBefore.push(names());
          return a + 1;
        });
        const c = await step.run("c", () => {
          seenBefore.push(names());
          return b + 1;
        });
        return { c };
      }),
    ]);
    h = started.h;
    await h.send({ name: "t/seq", data: {} });
    const run = onlyRun(h, "seq");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ c: 3 });
    expect(seenBefore).toEqual([[], ["a"], ["a", "b"]]);
    expect(calls(h, "seq")).toHaveLength(1);
    const ctx = ctxOf(calls(h, "seq")[0]);
    expect(ctx).toMatchObject({ fn_id: "conformance-seq", disable_immediate_execution: false });
    expect(started.checkpoints.map((c) => [c.status, c.body.steps.map((s) => s.op)])).toEqual([
      [200, ["StepRun"]],
      [200, ["StepRun"]],
      [200, ["StepRun"]],
    ]);
    expect(started.checkpoints[0]?.body).toMatchObject({ run_id: run.id, fn_id: "conformance-seq", qi_id: ctx.qi_id });
    expect(run.steps.map((s) => [s.name, s.op, s.output])).toEqual([
      ["a", "StepRun", 1],
      ["b", "StepRun", 2],
      ["c", "StepRun", 3],
    ]);
  });

  test("a checkpoint naming a dispatch that is not current gets 409 and changes nothing", async () => {
    let forged: Response | undefined;
    const started = await start((inngest) => [
      inngest.createFunction({ id: "forge", triggers: [{ event: "t/forge" }] }, async ({ step, runId }) => {
        await step.run("a", () => "A");
        await step.run("b", async () => {
          const first = started.checkpoints[0]?.body;
          forged = await started.h.engine.fetch(`http://engine.test/v1/checkpoint/${runId}/async`, {
            method: "POST",
            headers: { authorization: `Bearer ${hashedSigningKey(started.h.engine.signingKey)}` },
            body: JSON.stringify({
              ...first,
              generation_id: (first?.generation_id ?? 0) - 1,
              steps: [{ op: "StepRun", id: sha1("c"), data: "forged" }],
            }),
          });
          return "B";
        });
        return step.run("c", () => "C");
      }),
    ]);
    await started.h.send({ name: "t/forge", data: {} });
    expect(forged?.status).toBe(409);
    // The current dispatch is untouched: its own checkpoints and answer count, in one call.
    expect(calls(started.h, "forge")).toHaveLength(1);
    const run = onlyRun(started.h, "forge");
    expect(run.status).toBe("completed");
    expect(run.steps.map((s) => [s.name, s.output])).toEqual([
      ["a", "A"],
      ["b", "B"],
      ["c", "C"],
    ]);
  });

  test("stale dispatch: a call from before a restart gets 409 and halts; the new dispatch finishes the run once", async () => {
    const ran: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let target: Engine | undefined;
    let restart!: () => void;
    const checkpoints: number[] = [];
    const h = await harness(
      (inngest) => [
        inngest.createFunction({ id: "restart", triggers: [{ event: "t/restart" }] }, async ({ step }) => {
          await step.run("a", () => ran.push("a"));
          await step.run("b", async () => {
            ran.push("b");
            if (ran.filter((r) => r === "b").length === 1) {
              restart(); // the engine "restarts" while this call is still running
              await released;
            }
            return "B";
          });
          return step.run("c", () => ran.push("c"));
        }),
      ],
      {
        checkpointing: true,
        wrapFetch: (inner) => async (input, init) => {
          const request = new Request(input, init);
          const response = target ? await target.fetch(request) : await inner(request);
          if (request.url.includes("/v1/checkpoint/")) checkpoints.push(response.status);
          return response;
        },
      },
    );
    open.push(h);
    restart = () => {
      void h.engine.stop(); // the old engine takes no new work (its call stays in flight)
      target = new Engine({
        db: h.db,
        clock: h.clock,
        signingKey: h.engine.signingKey,
        eventKey: h.engine.eventKey,
        transport: inProcessTransport((r) => h.app.fetch(r)),
      });
      target.start();
    };
    await h.inngest.send({ name: "t/restart", data: {} });
    while (!target) await new Promise((resolve) => setTimeout(resolve, 5));
    await target.drain();
    const runId = (h.runs("restart")[0] as { id: string }).id;
    expect(target.inspect.run(runId)?.status).toBe("completed");
    release();
    while (checkpoints.length < 4) await new Promise((resolve) => setTimeout(resolve, 5));
    // a (old call), b and c (new call), then the old call's b: refused as stale.
    expect(checkpoints).toEqual([200, 200, 200, 409]);
    expect(ran).toEqual(["a", "b", "b", "c"]);
    const run = target.inspect.run(runId);
    expect(run?.status).toBe("completed");
    expect(run?.steps.map((s) => s.name)).toEqual(["a", "b", "c"]);
    await target.stop();
  });

  test("a checkpoint without the hashed signing key is refused", async () => {
    const { h } = await start((inngest) => [
      inngest.createFunction({ id: "noop", triggers: [{ event: "t/noop" }] }, async () => "ok"),
    ]);
    const response = await h.engine.fetch("http://engine.test/v1/checkpoint/r1/async", {
      method: "POST",
      headers: { authorization: "Bearer wrong", "content-type": "application/json" },
      body: JSON.stringify({ run_id: "r1", fn_id: "x", qi_id: "1", steps: [] }),
    });
    expect(response.status).toBe(401);
  });

  test("when checkpoints fail, the SDK's 206 fallback carries the steps and the engine applies them", async () => {
    const ran: string[] = [];
    const { h, checkpoints } = await start(
      (inngest) => [
        inngest.createFunction({ id: "fallback", triggers: [{ event: "t/fallback" }] }, async ({ step }) => {
          const a = await step.run("a", () => {
            ran.push("a");
            return "A";
          });
          const b = await step.run("b", () => {
            ran.push("b");
            return "B";
          });
          return a + b;
        }),
      ],
      { failCheckpoints: true },
    );
    await h.send({ name: "t/fallback", data: {} });
    const run = onlyRun(h, "fallback");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("AB");
    expect(ran).toEqual(["a", "b"]);
    expect(checkpoints.length).toBeGreaterThan(0);
    expect(checkpoints.every((c) => c.status === 500)).toBe(true);
    // Each step came back in a 206 instead, so each took a call of its own.
    expect(calls(h, "fallback").length).toBeGreaterThanOrEqual(2);
    expect(run.steps.map((s) => [s.name, s.op])).toEqual([
      ["a", "StepRun"],
      ["b", "StepRun"],
    ]);
  }, 30_000);

  test("a parallel group is planned, its branches run without immediate execution, then checkpointing resumes", async () => {
    const { h, checkpoints } = await start((inngest) => [
      inngest.createFunction({ id: "par", triggers: [{ event: "t/par" }] }, async ({ step }) => {
        const a = await step.run("a", () => "A");
        const [b, c] = await Promise.all([step.run("b", () => "B"), step.run("c", () => "C")]);
        const d = await step.run("d", () => "D");
        const e = await step.run("e", () => "E");
        return [a, b, c, d, e].join("");
      }),
    ]);
    await h.send({ name: "t/par", data: {} });
    const run = onlyRun(h, "par");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("ABCDE");
    const made = calls(h, "par");
    const stepIds = made.map((c) => new URL(c.url).searchParams.get("stepId"));
    // a inline, then the plan; b and c each with its own request; then d and e inline again.
    expect(stepIds[0]).toBe("step");
    expect(stepIds.slice(1, 3).sort()).toEqual([sha1("b"), sha1("c")].sort());
    expect(stepIds.slice(3)).toEqual(["step"]);
    expect(made.map((c) => ctxOf(c).disable_immediate_execution)).toEqual([false, true, true, false]);
    const checkpointed = checkpoints.flatMap((c) => c.body.steps.map((s) => s.id));
    expect(checkpointed).toEqual([sha1("a"), sha1("d"), sha1("e")]);
  });

  test.each([
    ["sleep", "Sleep"],
    ["waitForEvent", "WaitForEvent"],
    ["invoke", "InvokeFunction"],
  ])("an async op (%s) ends the call after the steps before it are committed", async (kind, op) => {
    const after: string[] = [];
    const { h, checkpoints } = await start((inngest) => {
      const child = inngest.createFunction({ id: "child", triggers: [{ event: "t/child" }] }, async () => 42);
      const parent = inngest.createFunction({ id: "async", triggers: [{ event: "t/async" }] }, async ({ step }) => {
        await step.run("before", () => "x");
        if (kind === "sleep") await step.sleep("nap", "1h");
        if (kind === "waitForEvent") await step.waitForEvent("hear", { event: "t/heard", timeout: "1h" });
        if (kind === "invoke") await step.invoke("ask", { function: child, data: {} });
        return step.run("after", () => {
          after.push("ran");
          return "done";
        });
      });
      return [parent, child];
    });
    await h.send({ name: "t/async", data: {} });
    const { id } = onlyRun(h, "async");
    expect(checkpoints[0]?.body.steps.map((s) => s.id)).toEqual([sha1("before")]);
    if (kind === "sleep") await h.engine.advance(HOUR);
    if (kind === "waitForEvent") await h.send({ name: "t/heard", data: {} });
    await h.engine.drain();
    const run = h.run(id);
    expect(run.status).toBe("completed");
    expect(run.output).toBe("done");
    expect(after).toEqual(["ran"]);
    expect(run.steps.map((s) => s.op)).toEqual(["StepRun", op, "StepRun"]);
    expect(ops(h, "async")).toEqual([206, 206]);
  });

  test("past its runtime budget the SDK hands the next step back as StepPlanned; the run still completes once per step", async () => {
    const ran: string[] = [];
    const { h } = await start((inngest) => [
      inngest.createFunction(
        { id: "budget", triggers: [{ event: "t/budget" }], checkpointing: { maxRuntime: 40 } },
        async ({ step }) => {
          for (const name of ["a", "b", "c", "d"]) {
            await step.run(name, async () => {
              ran.push(name);
              await new Promise((resolve) => setTimeout(resolve, 30));
              return name;
            });
          }
          return ran.length;
        },
      ),
    ]);
    await h.send({ name: "t/budget", data: {} });
    const run = onlyRun(h, "budget");
    expect(run.status).toBe("completed");
    expect(ran).toEqual(["a", "b", "c", "d"]);
    const planned = calls(h, "budget").filter((c) => new URL(c.url).searchParams.get("stepId") !== "step");
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.every((c) => ctxOf(c).disable_immediate_execution === false)).toBe(true);
  });

  test("a step error is returned as StepError after earlier steps are committed; the retry runs only that step", async () => {
    const ran: string[] = [];
    const { h } = await start((inngest) => [
      inngest.createFunction({ id: "flaky", triggers: [{ event: "t/flaky" }] }, async ({ step }) => {
        await step.run("a", () => ran.push("a"));
        await step.run("b", () => {
          ran.push("b");
          if (ran.filter((r) => r === "b").length === 1) throw new Error("first try fails");
          return "ok";
        });
        return step.run("c", () => ran.push("c"));
      }),
    ]);
    await h.send({ name: "t/flaky", data: {} });
    const { id } = onlyRun(h, "flaky");
    expect(h.run(id).steps.map((s) => s.name)).toEqual(["a"]);
    expect(h.run(id).scheduled).toMatchObject([{ kind: "call", step: sha1("b"), attempt: 1 }]);
    await h.engine.advance(HOUR);
    const run = h.run(id);
    expect(run.status).toBe("completed");
    expect(ran).toEqual(["a", "b", "b", "c"]);
  });

  test("a final failure fails the run and runs onFailure", async () => {
    const failures: string[] = [];
    const { h } = await start((inngest) => [
      inngest.createFunction(
        {
          id: "doomed",
          retries: 0,
          triggers: [{ event: "t/doomed" }],
          onFailure: async ({ error }: { error: Error }) => {
            failures.push(error.message);
          },
        },
        async ({ step }) => {
          await step.run("a", () => "fine");
          await step.run("b", () => {
            throw new NonRetriableError("no way");
          });
          return "unreachable";
        },
      ),
    ]);
    await h.send({ name: "t/doomed", data: {} });
    await h.engine.drain();
    const run = onlyRun(h, "doomed");
    expect(run.status).toBe("failed");
    expect(run.steps.map((s) => s.name)).toContain("a");
    expect(failures).toEqual(["no way"]);
  });

  test("cancelOn mid-call: the next checkpoint gets 409, the SDK halts and nothing after it runs", async () => {
    const ran: string[] = [];
    const { h, checkpoints } = await start((inngest) => [
      inngest.createFunction(
        { id: "cancellable", triggers: [{ event: "t/go" }], cancelOn: [{ event: "t/stop", match: "data.k" }] },
        async ({ step, event }) => {
          await step.run("a", () => ran.push("a"));
          await step.run("b", async () => {
            ran.push("b");
            await inngest.send({ name: "t/stop", data: { k: event.data.k } });
          });
          return step.run("c", () => ran.push("c"));
        },
      ),
    ]);
    await h.send({ name: "t/go", data: { k: 1 } });
    await h.engine.drain();
    const run = onlyRun(h, "cancellable");
    expect(run.status).toBe("cancelled");
    expect(ran).toEqual(["a", "b"]);
    expect(checkpoints.map((c) => c.status)).toEqual([200, 409]);
    expect(run.steps.map((s) => s.name)).toEqual(["a"]);
  });
});
