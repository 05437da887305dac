import { createHash } from "node:crypto";
import { NonRetriableError } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { type Harness, harness } from "./harness.ts";

const hash = (id: string) => createHash("sha1").update(id).digest("hex");
const stepIdOf = (url: string) => new URL(url).searchParams.get("stepId");
const ctxOf = (call: Harness["calls"][number]) => call.body.ctx as { disable_immediate_execution: boolean };

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function only(fnId: string) {
  const runs = (h as Harness).runs(fnId);
  expect(runs).toHaveLength(1);
  return (h as Harness).run((runs[0] as { id: string }).id);
}

describe("parallel steps", () => {
  test("plans both steps, runs each with its own request, then one discovery", async () => {
    const ran: string[] = [];
    h = await harness((inngest) => [
      inngest.createFunction({ id: "par", triggers: [{ event: "par/go" }] }, async ({ step }) => {
        const [a, b] = await Promise.all([
          step.run("a", () => {
            ran.push("a");
            return "A";
          }),
          step.run("b", () => {
            ran.push("b");
            return "B";
          }),
        ]);
        return `${a}${b}`;
      }),
    ]);
    await h.send({ name: "par/go", data: {} });
    const run = await only("par");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("AB");
    expect(ran.sort()).toEqual(["a", "b"]);
    const calls = h.calls.filter((c) => c.url.includes("fnId="));
    const ids = calls.map((c) => stepIdOf(c.url));
    // Discovery, one request per planned step, then exactly one discovery once both are saved.
    expect(ids.filter((id) => id === "step")).toHaveLength(2);
    expect(ids.slice(1, 3).sort()).toEqual([hash("a"), hash("b")].sort());
    expect(ids[3]).toBe("step");
    // The branches run with immediate execution off; once the group is done it is on again (as
    // Inngest's executor resets ForceStepPlan), so a checkpointing SDK may run later steps inline.
    expect(calls.slice(1, 3).every((c) => ctxOf(c).disable_immediate_execution)).toBe(true);
    expect(ctxOf(calls[0] as Harness["calls"][number]).disable_immediate_execution).toBe(false);
    expect(ctxOf(calls[3] as Harness["calls"][number]).disable_immediate_execution).toBe(false);
    expect(run.steps.map((s) => s.name).sort()).toEqual(["a", "b"]);
  });

  test("a parallel branch failing finally, caught by user code: the run continues", async () => {
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "par-caught", retries: 0, triggers: [{ event: "par/caught" }] },
        async ({ step }) => {
          const results = await Promise.all([
            step.run("ok", () => "fine"),
            step
              .run("bad", (): string => {
                throw new Error("branch broke");
              })
              .catch((e: Error) => `caught: ${e.message}`),
          ]);
          const after = await step.run("after", () => "after ran");
          return [...results, after];
        },
      ),
    ]);
    await h.send({ name: "par/caught", data: {} });
    const run = await only("par-caught");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual(["fine", "caught: branch broke", "after ran"]);
    const bad = run.steps.find((s) => s.name === "bad");
    expect(bad?.op).toBe("StepFailed");
    expect(bad?.error).toMatchObject({ message: "branch broke" });
  });

  test("a parallel branch failing finally, uncaught: the run fails and nothing after it runs", async () => {
    let afterRan = 0;
    h = await harness((inngest) => [
      inngest.createFunction(
        { id: "par-uncaught", retries: 0, triggers: [{ event: "par/uncaught" }] },
        async ({ step }) => {
          await Promise.all([
            step.run("ok", () => "fine"),
            step.run("bad", (): string => {
              throw new Error("branch broke");
            }),
          ]);
          await step.run("after", () => {
            afterRan++;
          });
        },
      ),
    ]);
    await h.send({ name: "par/uncaught", data: {} });
    const run = await only("par-uncaught");
    expect(run.status).toBe("failed");
    expect(JSON.stringify(run.error)).toContain("branch broke");
    expect(run.steps.find((s) => s.name === "ok")?.output).toBe("fine");
    expect(afterRan).toBe(0);
  });
});

test("repeated step ids: the same id three times gives three memoized steps", async () => {
  const executions = [0, 0, 0];
  h = await harness((inngest) => [
    inngest.createFunction({ id: "repeat", triggers: [{ event: "repeat/go" }] }, async ({ step }) => {
      const out: number[] = [];
      for (let i = 0; i < 3; i++) {
        out.push(
          await step.run("same", () => {
            executions[i] = (executions[i] ?? 0) + 1;
            return i * 10;
          }),
        );
      }
      return out;
    }),
  ]);
  await h.send({ name: "repeat/go", data: {} });
  const run = await only("repeat");
  expect(run.status).toBe("completed");
  expect(run.output).toEqual([0, 10, 20]);
  expect(executions).toEqual([1, 1, 1]);
  expect(run.steps.map((s) => s.id)).toEqual([hash("same"), hash("same:1"), hash("same:2")]);
  expect(run.steps.map((s) => s.output)).toEqual([0, 10, 20]);
});

describe("invoke", () => {
  async function invokeHarness(mode: "ok" | "fail-caught" | "fail-uncaught" | "timeout") {
    return harness((inngest) => {
      const child = inngest.createFunction(
        { id: "child", retries: 0, triggers: [{ event: "child/direct" }] },
        async ({ event, step }) => {
          if (event.data.sleep) await step.sleep("long", "2h");
          if (event.data.fail) throw new NonRetriableError("child broke");
          return { doubled: (event.data.n as number) * 2 };
        },
      );
      const parent = inngest.createFunction(
        { id: "parent", retries: 0, triggers: [{ event: "parent/go" }] },
        async ({ step }) => {
          const data = { n: 21, fail: mode.startsWith("fail"), sleep: mode === "timeout" };
          const call = step.invoke("call-child", { function: child, data, timeout: "1h" });
          const result =
            mode === "fail-uncaught"
              ? await call
              : await call.catch((e: Error) => ({ caught: e.message, name: e.name }));
          const after = await step.run("after", () => "after ran");
          return { result, after };
        },
      );
      return [child, parent];
    });
  }

  test("returns the invoked function's result", async () => {
    h = await invokeHarness("ok");
    await h.send({ name: "parent/go", data: {} });
    const run = await only("parent");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ result: { doubled: 42 }, after: "after ran" });
    const child = await only("child");
    expect(child.events[0]).toMatchObject({ name: "inngest/function.invoked", data: { n: 21 } });
    expect(run.steps.find((s) => s.name === "call-child")?.op).toBe("InvokeFunction");
  });

  test("a failing child is an error in the parent; caught, the parent continues", async () => {
    h = await invokeHarness("fail-caught");
    await h.send({ name: "parent/go", data: {} });
    expect((await only("child")).status).toBe("failed");
    const run = await only("parent");
    expect(run.status).toBe("completed");
    const out = run.output as { result: { caught: string }; after: string };
    expect(out.result.caught).toContain("child broke");
    expect(out.after).toBe("after ran");
  });

  test("a failing child, uncaught, fails the parent", async () => {
    h = await invokeHarness("fail-uncaught");
    await h.send({ name: "parent/go", data: {} });
    const run = await only("parent");
    expect(run.status).toBe("failed");
    expect(JSON.stringify(run.error)).toContain("child broke");
    expect(run.steps.some((s) => s.name === "after")).toBe(false);
  });

  test("a child outliving the invoke timeout gives the parent an invoke timeout error", async () => {
    h = await invokeHarness("timeout");
    await h.send({ name: "parent/go", data: {} });
    expect((await only("parent")).status).toBe("running");
    await h.engine.advance(59 * 60_000);
    expect((await only("parent")).status).toBe("running");
    await h.engine.advance(60_000);
    const run = await only("parent");
    expect(run.status).toBe("completed");
    const out = run.output as { result: { caught: string; name: string } };
    expect(out.result.caught.toLowerCase()).toContain("timeout");
    expect(run.steps.find((s) => s.name === "call-child")?.error).toMatchObject({ name: "InngestInvokeTimeoutError" });
    // The child carries on and finishes on its own; the parent already moved on.
    await h.engine.advance(2 * 3_600_000);
    expect((await only("child")).status).toBe("completed");
    expect((await only("parent")).output).toEqual(run.output);
  });
});

describe("sending events from a running function", () => {
  test("step.sendEvent triggers another function while the call is in flight", async () => {
    h = await harness((inngest) => [
      inngest.createFunction({ id: "sender", triggers: [{ event: "fan/out" }] }, async ({ step }) => {
        const sent = await step.sendEvent("fan", [
          { name: "fan/child", data: { i: 1 } },
          { name: "fan/child", data: { i: 2 } },
        ]);
        return sent.ids.length;
      }),
      inngest.createFunction({ id: "receiver", triggers: [{ event: "fan/child" }] }, async ({ event }) => {
        return (event.data.i as number) * 100;
      }),
    ]);
    await h.send({ name: "fan/out", data: {} });
    const sender = await only("sender");
    expect(sender.status).toBe("completed");
    expect(sender.output).toBe(2);
    const received = h.runs("receiver");
    expect(received.map((r) => r.status)).toEqual(["completed", "completed"]);
    expect(received.map((r) => r.output).sort()).toEqual([100, 200]);
  });

  test("inngest.send inside step.run is accepted re-entrantly and triggers another function", async () => {
    h = await harness((inngest) => [
      inngest.createFunction({ id: "inline-sender", triggers: [{ event: "inline/go" }] }, async ({ step }) => {
        const ids = await step.run(
          "send",
          async () => (await inngest.send({ name: "inline/child", data: { v: "x" } })).ids,
        );
        return ids.length;
      }),
      inngest.createFunction({ id: "inline-receiver", triggers: [{ event: "inline/child" }] }, async ({ event }) => {
        return `got ${event.data.v}`;
      }),
    ]);
    await h.send({ name: "inline/go", data: {} });
    expect((await only("inline-sender")).output).toBe(1);
    const received = await only("inline-receiver");
    expect(received.status).toBe("completed");
    expect(received.output).toBe("got x");
  });
});
