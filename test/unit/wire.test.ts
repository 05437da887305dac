import { expect, test } from "vitest";
import { fetchToWire, toWire } from "../../src/threads/wire.ts";

/** The SDK's checkpoints and events cross to the engine without a Request built for them: the same as with one. */
const sorted = (w: Awaited<ReturnType<typeof toWire>>) => ({ ...w, headers: [...w.headers].sort() });

test.each([
  [
    "a checkpoint as the SDK sends it",
    new URL("http://embedded-engine.internal/v1/checkpoint/run%201/async"),
    {
      method: "POST",
      body: JSON.stringify({ run_id: "run 1", steps: [{ id: "a", data: "é" }] }),
      headers: {
        "Content-Type": "application/json",
        Authorization: "Bearer signkey-test-abc",
        "X-Inngest-SDK": "js:v4",
      },
    },
  ],
  ["an event with no content type", "http://embedded-engine.internal/e/key", { method: "post", body: "[]" }],
  ["a GET with no init", "http://embedded-engine.internal/v0/runs/r/actions", undefined],
  [
    "headers as a Headers object (built the long way)",
    "http://x.internal/a",
    { method: "PUT", body: "x", headers: new Headers({ "X-A": "1" }) },
  ],
] as const)("%s", async (_name, input, init) => {
  expect(sorted(await fetchToWire(input, init as RequestInit | undefined))).toEqual(
    sorted(await toWire(new Request(input, init as RequestInit | undefined))),
  );
});
