import { test } from "vitest";
import { NonRetriableError, RetryAfterError } from "inngest";
import { harness } from "../harness.ts";

test("probe3", async () => {
  const fetched: unknown[] = [];
  const responses: unknown[] = [];
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "a", name: "A fn", triggers: [{ event: "x/a", if: "event.data.ok == true" }, { cron: "0 9 * * *" }], retries: 2, onFailure: async () => {}, cancelOn: [{ event: "x/c", match: "data.id", timeout: "1d" }],
      concurrency: [{ limit: 2, key: "event.data.id" }], idempotency: "event.data.id", throttle: { limit: 1, period: "1m" }, rateLimit: { limit: 5, period: "1h" } }, async ({ step }) => {
      await step.run("s", () => 1);
      await step.run("s", () => 2);
      await step.sleep("nap", "1h");
      await step.sleepUntil("until", new Date("2026-01-05T11:30:00Z"));
      await step.waitForEvent("w", { event: "x/w", timeout: "1h", match: "data.id" });
      await Promise.all([step.run("p", () => 1), step.run("q", () => 2)]);
      throw new NonRetriableError("nope");
    }),
    inngest.createFunction({ id: "b", triggers: [{ event: "x/b" }], debounce: { period: "5s", timeout: "1m", key: "event.data.id" } }, async () => { throw new RetryAfterError("later", 90_000); }),
    inngest.createFunction({ id: "c", triggers: [{ event: "x/c" }], batchEvents: { maxSize: 10, timeout: "5s" } }, async () => { throw new Error("boom"); }),
  ], {
    wrapFetch: (inner) => async (input, init) => { fetched.push({ url: String(input instanceof Request ? input.url : input), body: init?.body ? JSON.parse(String(init.body)) : undefined, headers: init?.headers }); return inner(input, init); },
    wrapTransport: (inner) => async (req) => { const r = await inner(req); responses.push({ url: req.url, status: r.status, headers: Object.fromEntries(r.headers), body: await r.clone().text() }); return r; },
  });
  await h.send({ name: "x/a", data: { ok: true, id: 1 } });
  await h.engine.advance(3_600_000 * 4);
  await h.send({ name: "x/b", data: {} });
  await h.engine.advance(10_000);
  await h.send({ name: "x/c", data: {} });
  await h.engine.advance(10_000);
  console.log(JSON.stringify(fetched, null, 1));
  console.log(JSON.stringify(responses, null, 1));
});
