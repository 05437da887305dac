import { test } from "vitest";
import { canonicalJson, signBody } from "../../../src/engine/signing.ts";
import { harness } from "../harness.ts";

test("probe2", async () => {
  let ran = 0;
  const h = await harness((inngest) => [
    inngest.createFunction({ id: "a", triggers: [{ event: "x/a" }] }, async ({ event }) => { ran++; return event.data; }),
  ]);
  const body = canonicalJson({ event: { name: "x/a", data: { v: 1 }, id: "e1", ts: 1 }, events: [{ name: "x/a", data: { v: 1 }, id: "e1", ts: 1 }], steps: {}, version: 2,
    ctx: { run_id: "r1", attempt: 0, max_attempts: 1, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } } });
  const url = "http://app.test/api/inngest?fnId=conformance-a&stepId=step";
  const post = async (b: string, sig?: string) => {
    const r = await h.app.request(url, { method: "POST", body: b, headers: { "content-type": "application/json", ...(sig ? { "x-inngest-signature": sig } : {}) } });
    console.log(r.status, [...r.headers.entries()], (await r.text()).slice(0, 300));
  };
  await post(body);
  await post(body, "t=1&s=abc");
  await post(body, signBody(body, h.engine.signingKey, Date.now() - 6 * 60_000));
  await post(body.replace('"v":1', '"v":2'), signBody(body, h.engine.signingKey));
  await post(JSON.stringify(JSON.parse(body), null, 2), signBody(JSON.stringify(JSON.parse(body), null, 2), h.engine.signingKey));
  await post(body, signBody(body, h.engine.signingKey));
  console.log("ran", ran);
  const put = await h.app.request("http://app.test/api/inngest", { method: "PUT" });
  console.log(put.status, await put.text());
});
