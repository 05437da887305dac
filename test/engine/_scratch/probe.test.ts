import { test } from "vitest";
import { NonRetriableError } from "inngest";
import { harness } from "../harness.ts";

test("probe", async () => {
  const registers: unknown[] = [];
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "a", triggers: [{ event: "x/a", if: "event.data.ok == true" }], retries: 2, onFailure: async () => {} , cancelOn: [{event: "x/c", match: "data.id"}]}, async ({ step }) => {
      await step.run("s", () => 1);
      await step.run("s", () => 2);
      await step.sleep("nap", "1h");
      await step.waitForEvent("w", { event: "x/w", timeout: "1h", if: "async.data.id == event.data.id" });
      await Promise.all([step.run("p", () => 1), step.run("q", () => 2)]);
      throw new NonRetriableError("nope");
    }),
  ]);
  console.log(JSON.stringify(h.engine.inspect.functions(), null, 1));
  await h.send({ name: "x/a", data: { ok: true, id: 1 } });
  await h.engine.advance(3_600_000);
  await h.engine.advance(3_600_000);
  for (const c of h.calls) console.log(c.url, c.status, JSON.stringify(c.body).slice(0, 600));
  console.log(JSON.stringify(h.runs(), null, 1));
  void registers;
});
