/**
 * Golden tests of the wire format of the pinned SDK (inngest@4.24.0): what the
 * SDK sends when it registers and sends events, and the ops and headers it
 * answers call requests with. These details move between SDK releases; when
 * the pin changes, re-record with `UPDATE_GOLDEN=1 npx vitest run test/engine/wire-golden.test.ts`
 * and review the diff against what the engine implements.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NonRetriableError, RetryAfterError } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { hashedSigningKey } from "../../src/engine/signing.ts";
import {
  DAY,
  HOUR,
  list,
  MINUTE,
  type RecordedResponse,
  record,
  recordResponses,
  SECOND,
  sha1,
} from "./conformance-helpers.ts";
import { type Harness, harness } from "./harness.ts";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const open: Harness[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.stop()));
});

/** Compare with (or, with UPDATE_GOLDEN=1, record) `test/engine/golden/<name>.json`. */
function golden(name: string, actual: unknown): void {
  const file = join(here, "golden", `${name}.json`);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(file)) {
    if (process.env.UPDATE_GOLDEN !== "1") throw new Error(`missing golden ${file}; record it with UPDATE_GOLDEN=1`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, "utf8")));
}

interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

function recordFetch(into: SentRequest[]): (inner: typeof fetch) => typeof fetch {
  return (inner) => async (input, init) => {
    const request = new Request(input, init);
    into.push({
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: JSON.parse(await request.clone().text()),
    });
    return inner(request);
  };
}

/** Op objects without their wall-clock timing. */
function ops(response: RecordedResponse): Array<Record<string, unknown>> {
  return list(JSON.parse(response.body), "ops").map((op) => {
    const { timing: _timing, ...rest } = record(op, "op");
    return rest;
  });
}

function stepIdOf(response: RecordedResponse): string | null {
  return new URL(response.url).searchParams.get("stepId");
}

test("the SDK is pinned at exactly inngest@4.24.0", () => {
  const pkg = record(JSON.parse(readFileSync(join(root, "package.json"), "utf8")));
  expect(record(pkg.dependencies).inngest).toBe("4.24.0");
  const installed = record(JSON.parse(readFileSync(join(root, "node_modules", "inngest", "package.json"), "utf8")));
  expect(installed.version).toBe("4.24.0");
  const lock = record(JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")));
  expect(record(record(lock.packages)["node_modules/inngest"]).version).toBe("4.24.0");
});

describe("what the SDK sends", () => {
  test("the register request: headers, app fields and each function's config", async () => {
    const sent: SentRequest[] = [];
    const h = await harness(
      (inngest) => [
        inngest.createFunction(
          {
            id: "full",
            name: "Full options",
            triggers: [{ event: "t/full", if: "event.data.ok == true" }, { cron: "TZ=Europe/Paris 0 9 * * 1" }],
            retries: 2,
            onFailure: async () => {},
            cancelOn: [{ event: "t/cancel", match: "data.id", timeout: "1d" }],
            concurrency: [{ limit: 2, key: "event.data.customer" }],
            idempotency: "event.data.id",
            throttle: { limit: 1, period: "1m", burst: 2, key: "event.data.customer" },
            rateLimit: { limit: 5, period: "1h" },
          },
          async () => "ok",
        ),
        inngest.createFunction(
          {
            id: "debounced",
            triggers: [{ event: "t/d" }],
            debounce: { period: "5s", timeout: "1m", key: "event.data.id" },
          },
          async () => "ok",
        ),
        inngest.createFunction(
          {
            id: "batched",
            triggers: [{ event: "t/b" }],
            batchEvents: { maxSize: 10, timeout: "5s", key: "event.data.k" },
          },
          async () => "ok",
        ),
        inngest.createFunction(
          {
            id: "cancel-if",
            triggers: [{ event: "t/c" }],
            cancelOn: [{ event: "t/x", if: "async.data.a == event.data.a" }],
            concurrency: 3,
          },
          async () => "ok",
        ),
      ],
      { wrapFetch: recordFetch(sent) },
    );
    open.push(h);
    const registers = sent.filter((s) => new URL(s.url).pathname === "/fn/register");
    expect(registers).toHaveLength(1);
    const [register] = registers as [SentRequest];
    expect(register.url).toBe("http://engine.test/fn/register");
    expect(register.headers).toMatchObject({
      authorization: `Bearer ${hashedSigningKey(h.engine.signingKey)}`,
      "content-type": "application/json",
      "x-inngest-sdk": "inngest-js:v4.24.0",
      "x-inngest-framework": "hono",
      "x-inngest-sync-kind": "out_of_band",
    });
    const { featureObservations, ...body } = record(register.body, "register body");
    expect(featureObservations).toBeTypeOf("object");
    golden("register", body);
  });

  test("an event send: a relative e/<key> path, an array body and an id seed header", async () => {
    const sent: SentRequest[] = [];
    const h = await harness(
      (inngest) => [inngest.createFunction({ id: "noop", triggers: [{ event: "t/noop" }] }, async () => null)],
      { wrapFetch: recordFetch(sent) },
    );
    open.push(h);
    await h.send([
      { name: "t/noop", data: { a: 1 } },
      { name: "t/noop", data: { a: 2 }, id: "mine" },
    ]);
    const events = sent.filter((s) => new URL(s.url).pathname.startsWith("/e/"));
    expect(events).toHaveLength(1);
    const [send] = events as [SentRequest];
    expect(send.url).toBe(`http://engine.test/e/${h.engine.eventKey}`);
    expect(send.headers["x-inngest-event-id-seed"]).toMatch(/^\d{13},[A-Za-z0-9+/]+=*$/);
    const body = list(send.body, "event body").map((e) => record(e));
    expect(body.map(({ ts, ...rest }) => [typeof ts, rest])).toEqual([
      ["number", { name: "t/noop", data: { a: 1 } }],
      ["number", { name: "t/noop", data: { a: 2 }, id: "mine" }],
    ]);
  });
});

describe("what the SDK answers", () => {
  test("op objects for StepRun, repeated ids, Sleep, WaitForEvent, StepPlanned and InvokeFunction", async () => {
    const responses: RecordedResponse[] = [];
    const h = await harness(
      (inngest) => {
        const child = inngest.createFunction({ id: "child", triggers: [{ event: "t/child" }] }, async ({ event }) => ({
          doubled: Number(event.data.x) * 2,
        }));
        const wire = inngest.createFunction({ id: "wire", triggers: [{ event: "t/wire" }] }, async ({ step }) => {
          const first = await step.run("a", () => ({ n: 1 }));
          const second = await step.run("a", () => 2);
          const third = await step.run("a", () => 3);
          await step.sleep("nap", "1h");
          await step.sleepUntil("until", new Date("2026-01-05T12:00:00.000Z"));
          const matched = await step.waitForEvent("w", { event: "t/w", timeout: "1d", match: "data.k" });
          const expired = await step.waitForEvent("w2", { event: "t/w", timeout: "5m", if: "async.data.k == 'never'" });
          const [p, q] = await Promise.all([step.run("p", () => "P"), step.run("q", () => "Q")]);
          const invoked = await step.invoke("call-child", { function: child, data: { x: 21 }, timeout: "1h" });
          return { first, second, third, matched: matched?.data ?? null, expired, p, q, invoked };
        });
        return [child, wire];
      },
      { wrapTransport: recordResponses(responses) },
    );
    open.push(h);
    await h.send({ name: "t/wire", data: { k: "key-1" } });
    await h.engine.advance(3 * HOUR);
    await h.send({ name: "t/w", data: { k: "key-1" } });
    await h.engine.advance(10 * MINUTE);
    const [run] = h.runs("wire");
    expect(run?.status).toBe("completed");
    expect(run?.output).toEqual({
      first: { n: 1 },
      second: 2,
      third: 3,
      matched: { k: "key-1" },
      expired: null,
      p: "P",
      q: "Q",
      invoked: { doubled: 42 },
    });
    const wire = responses.filter((r) => new URL(r.url).searchParams.get("fnId") === "conformance-wire");
    for (const r of wire) {
      expect(r.headers["x-inngest-sdk"]).toBe("inngest-js:v4.24.0");
      expect(r.headers["x-inngest-req-version"]).toBe("2");
      expect(r.headers["content-type"]).toBe("application/json");
    }
    const replies = wire.map((r) =>
      r.status === 206
        ? { stepId: stepIdOf(r), status: r.status, ops: ops(r) }
        : { stepId: stepIdOf(r), status: r.status, body: JSON.parse(r.body) as unknown },
    );
    golden("ops", replies);

    // The hashing rule, independently of the recording: sha1(id), and `id:n` for the n-th repeat.
    const allOps = wire.filter((r) => r.status === 206).flatMap(ops);
    const stepRuns = allOps.filter((o) => o.op === "StepRun" && record(o.userland).id === "a");
    expect(stepRuns.map((o) => o.id)).toEqual([sha1("a"), sha1("a:1"), sha1("a:2")]);
    expect(stepRuns.map((o) => o.displayName)).toEqual(["a", "a", "a"]);
    const sleeps = allOps.filter((o) => o.op === "Sleep");
    expect(sleeps.map((o) => [o.id, o.name, o.displayName])).toEqual([
      [sha1("nap"), "1h", "nap"],
      [sha1("until"), "2026-01-05T12:00:00.000Z", "until"],
    ]);
    const invoke = allOps.find((o) => o.op === "InvokeFunction");
    expect(record(invoke?.opts).function_id).toBe("conformance-child");
  });

  test("error replies: status, no-retry and retry-after headers, StepError and StepFailed ops", async () => {
    const responses: RecordedResponse[] = [];
    const h = await harness(
      (inngest) => [
        inngest.createFunction({ id: "fn-error", triggers: [{ event: "t/e" }], retries: 1 }, async () => {
          throw new TypeError("plain failure");
        }),
        inngest.createFunction({ id: "fn-final", triggers: [{ event: "t/f" }] }, async () => {
          throw new NonRetriableError("final failure");
        }),
        inngest.createFunction({ id: "fn-later", triggers: [{ event: "t/l" }], retries: 2 }, async ({ attempt }) => {
          if (attempt === 0) throw new RetryAfterError("later", 90 * SECOND);
          if (attempt === 1) throw new RetryAfterError("at a date", new Date("2026-01-05T12:00:00.000Z"));
          return "finally";
        }),
        inngest.createFunction({ id: "step-error", triggers: [{ event: "t/s" }], retries: 1 }, async ({ step }) => {
          await step.run("boom", () => {
            throw new RangeError("step broke");
          });
        }),
      ],
      { wrapTransport: recordResponses(responses) },
    );
    open.push(h);
    for (const name of ["t/e", "t/f", "t/l", "t/s"]) await h.send({ name, data: {} });
    await h.engine.advance(DAY);
    const summary = responses
      .filter((r) => r.method === "POST")
      .map((r) => {
        const body = JSON.parse(r.body) as unknown;
        const strip = (v: unknown) => {
          const { stack, ...rest } = record(v, "error");
          return { ...rest, stack: typeof stack };
        };
        return {
          fnId: new URL(r.url).searchParams.get("fnId"),
          stepId: stepIdOf(r),
          status: r.status,
          noRetry: r.headers["x-inngest-no-retry"] ?? null,
          retryAfter: r.headers["retry-after"] ?? null,
          body:
            r.status === 206
              ? list(body).map((op) => {
                  const { timing: _t, error, ...rest } = record(op);
                  return error === undefined ? rest : { ...rest, error: strip(error) };
                })
              : body && typeof body === "object"
                ? strip(body)
                : body,
        };
      })
      .sort((a, b) => String(a.fnId).localeCompare(String(b.fnId)));
    golden("errors", summary);
    expect(h.runs().map((r) => [r.functionId, r.status])).toEqual([
      ["conformance-fn-error", "failed"],
      ["conformance-fn-final", "failed"],
      ["conformance-fn-later", "completed"],
      ["conformance-step-error", "failed"],
    ]);
  });
});
