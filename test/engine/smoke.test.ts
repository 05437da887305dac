import { expect, test } from "vitest";
import { harness } from "./harness.ts";

test("smoke: steps, sleep, wait, parallel", async () => {
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "hello", triggers: [{ event: "demo/hello" }] }, async ({ event, step }) => {
      const a = await step.run("a", () => 1);
      await step.sleep("nap", "1h");
      const w = await step.waitForEvent("w", { event: "demo/w", timeout: "1d", match: "data.id" });
      const [p, q] = await Promise.all([step.run("p", () => "P"), step.run("q", () => "Q")]);
      return { a, w: w?.data, p, q, id: event.data.id };
    }),
  ]);
  await h.send({ name: "demo/hello", data: { id: "1" } });
  let [run] = h.runs("hello");
  expect(run?.status).toBe("running");
  await h.engine.advance(3_600_000);
  await h.send({ name: "demo/w", data: { id: "2" } });
  await h.send({ name: "demo/w", data: { id: "1", x: 5 } });
  [run] = h.runs("hello");
  expect(run?.status).toBe("completed");
  expect(run?.output).toEqual({ a: 1, w: { id: "1", x: 5 }, p: "P", q: "Q", id: "1" });
  await h.stop();
});
