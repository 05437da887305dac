import { expect, test } from "vitest";
import { hashedSigningKey } from "../../src/engine/index.ts";
import { LIMITS } from "../../src/engine/types.ts";
import { HOUR } from "./conformance-helpers.ts";
import { harness } from "./harness.ts";

test("the inspection API lists runs by function and status, a run's steps with outputs and timings, and what it waits for", async () => {
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "order", triggers: [{ event: "shop/order.placed" }] }, async ({ step }) => {
      const total = await step.run("price", () => 42);
      await step.waitForEvent("until-paid", { event: "shop/order.paid", match: "data.orderId", timeout: "2h" });
      return total;
    }),
    inngest.createFunction({ id: "other", triggers: [{ event: "shop/other" }] }, async () => "done"),
  ]);
  await h.send([
    { name: "shop/order.placed", data: { orderId: "o1" } },
    { name: "shop/other", data: {} },
  ]);
  const auth = { authorization: `Bearer ${hashedSigningKey(h.engine.signingKey)}` };
  const get = async (path: string) => {
    const res = await h.engine.api.request(path, { headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };
  const running = (await get("/v0/runs?function_id=conformance-order&status=running")).runs as Array<{ id: string }>;
  expect(running).toHaveLength(1);
  expect(
    ((await get("/v0/runs?status=completed")).runs as Array<{ functionId: string }>).map((r) => r.functionId),
  ).toEqual(["conformance-other"]);
  const detail = await get(`/v0/runs/${running[0]?.id}`);
  expect(detail.steps).toEqual([
    expect.objectContaining({ name: "price", op: "StepRun", output: 42, attempts: 1, durationMs: expect.any(Number) }),
  ]);
  expect(detail.waits).toEqual([
    expect.objectContaining({
      kind: "event",
      event: "shop/order.paid",
      if: "event.data.orderId == async.data.orderId",
    }),
  ]);
  expect((await get("/v0/waits?event=shop/order.paid")).waits).toHaveLength(1);
  expect((await h.engine.api.request("/v0/runs")).status).toBe(401);
  expect((await h.engine.api.request("/v0/runs/nope", { headers: auth })).status).toBe(404);

  const cancel = await h.engine.api.request(`/v0/runs/${running[0]?.id}/cancel`, { method: "POST", headers: auth });
  expect(cancel.status).toBe(200);
  await h.engine.advance(3 * HOUR);
  expect(h.run(running[0]?.id as string).status).toBe("cancelled");
  expect(h.run(running[0]?.id as string).waits).toEqual([]);
  const again = await h.engine.api.request(`/v0/runs/${running[0]?.id}/cancel`, { method: "POST", headers: auth });
  expect(again.status).toBe(404);
  await h.stop();
});

test("a step output over 4 MB fails the run with a limit error instead of storing it", async () => {
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "big", triggers: [{ event: "t/big" }], retries: 0 }, async ({ step }) => {
      await step.run("huge", () => "x".repeat(4 * 1024 * 1024 + 10));
      return "unreachable";
    }),
  ]);
  await h.send({ name: "t/big", data: {} });
  const [run] = h.runs("big");
  expect(run?.status).toBe("failed");
  expect(run?.error).toMatchObject({ name: "LimitExceededError", message: expect.stringContaining("4194304") });
  expect(h.run(run?.id as string).steps).toEqual([]);
  await h.stop();
});

test("a run that goes past its step limit (1,000 by default) fails with a clear limit error", async () => {
  expect(LIMITS.stepsPerRun).toBe(1000);
  const h = await harness(
    (inngest) => [
      inngest.createFunction({ id: "loop", triggers: [{ event: "t/loop" }], retries: 0 }, async ({ step }) => {
        for (let i = 0; i < 30; i++) await step.run(`s${i}`, () => i);
        return "unreachable";
      }),
    ],
    { engine: { limits: { stepsPerRun: 25 } } },
  );
  await h.send({ name: "t/loop", data: {} });
  const [run] = h.runs("loop");
  expect(run?.status).toBe("failed");
  expect(run?.error).toMatchObject({ message: "run exceeded 25 steps" });
  expect(h.run(run?.id as string).steps).toHaveLength(25);
  await h.stop();
});

test("waitForEvent and invoke accept an absolute Date as timeout", async () => {
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "until", triggers: [{ event: "t/until" }] }, async ({ step }) => {
      const got = await step.waitForEvent("until-noon", {
        event: "t/never",
        timeout: new Date(Date.parse("2026-01-05T12:00:00Z")),
      });
      return got === null ? "timed out" : "matched";
    }),
  ]);
  await h.send({ name: "t/until", data: {} });
  const [run] = h.runs("until");
  expect(h.run(run?.id as string).waits[0]?.expiresAt).toBe("2026-01-05T12:00:00.000Z");
  await h.engine.advance(2 * HOUR + 59 * 60_000);
  expect(h.run(run?.id as string).status).toBe("running");
  await h.engine.advance(2 * 60_000);
  expect(h.run(run?.id as string)).toMatchObject({ status: "completed", output: "timed out" });
  await h.stop();
});
