import Database from "better-sqlite3";
import type { InngestFunction } from "inngest";
import { afterEach, describe, expect, test } from "vitest";
import { Engine, inProcessTransport, type Transport } from "../../src/engine/index.ts";
import { canonicalJson, hashedSigningKey, signBody, verifySignature } from "../../src/engine/signing.ts";
import {
  callsTo,
  ctxOf,
  DAY,
  HOUR,
  list,
  onlyRun,
  type RecordedResponse,
  record,
  recordResponses,
  SECOND,
  sha1,
} from "./conformance-helpers.ts";
import { type Client, type Harness, harness } from "./harness.ts";

const SERVE_URL = "http://app.test/api/inngest";
const open: Harness[] = [];

async function start(
  define: (inngest: Client) => InngestFunction.Any[],
  opts: Parameters<typeof harness>[1] = {},
): Promise<Harness> {
  const h = await harness(define, opts);
  open.push(h);
  return h;
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.stop()));
});

function puts(responses: RecordedResponse[]) {
  return responses
    .filter((r) => r.method === "PUT")
    .map((r) => ({ status: r.status, body: record(JSON.parse(r.body)) }));
}

function postEvents(h: Harness, body: unknown, opts: { key?: string; seed?: string } = {}) {
  return h.engine.api.request(`/e/${opts.key ?? h.engine.eventKey}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", ...(opts.seed ? { "x-inngest-event-id-seed": opts.seed } : {}) },
  });
}

describe("sync & register", () => {
  test("a sync registers every function and the register reply reports success in the body", async () => {
    const responses: RecordedResponse[] = [];
    const h = await start(
      (inngest) => [
        inngest.createFunction({ id: "alpha", triggers: [{ event: "t/alpha" }] }, async () => "a"),
        inngest.createFunction({ id: "beta", triggers: [{ cron: "0 9 * * *" }] }, async () => "b"),
      ],
      { wrapTransport: recordResponses(responses) },
    );
    expect(puts(responses)).toEqual([{ status: 200, body: { message: "Successfully registered", modified: true } }]);
    const functions = h.engine.inspect.functions();
    expect(functions.map((f) => f.id).sort()).toEqual(["conformance-alpha", "conformance-beta"]);
    const alpha = functions.find((f) => f.id === "conformance-alpha");
    expect(alpha).toMatchObject({
      appId: "conformance",
      url: `${SERVE_URL}?fnId=conformance-alpha&stepId=step`,
      triggers: [{ event: "t/alpha" }],
    });
    expect(functions.find((f) => f.id === "conformance-beta")?.triggers).toEqual([{ cron: "0 9 * * *" }]);
  });

  test("a second sync with the same functions reports not modified", async () => {
    const responses: RecordedResponse[] = [];
    const h = await start(
      (inngest) => [inngest.createFunction({ id: "alpha", triggers: [{ event: "t/alpha" }] }, async () => "a")],
      { wrapTransport: recordResponses(responses) },
    );
    await h.engine.syncApp(SERVE_URL);
    const direct = await h.app.request(SERVE_URL, { method: "PUT" });
    expect(direct.status).toBe(200);
    expect(await direct.json()).toEqual({ message: "Successfully registered", modified: false });
    expect(puts(responses).map((p) => p.body.modified)).toEqual([true, false]);
    expect(h.engine.inspect.functions()).toHaveLength(1);
  });

  const unsupported = [
    ["priority", { priority: { run: "event.data.rank" } }],
    ["singleton", { singleton: { key: "event.data.id", mode: "skip" as const } }],
    ["timeouts", { timeouts: { finish: "1h" as const } }],
  ] as const;
  test.each(unsupported)(
    "a function using %s makes sync fail with an error naming the function and the option",
    async (option, extra) => {
      const db = new Database(":memory:");
      const responses: RecordedResponse[] = [];
      const define = (inngest: Client) => [
        inngest.createFunction({ id: "fine", triggers: [{ event: "t/fine" }] }, async () => "ok"),
        inngest.createFunction({ id: "fancy", triggers: [{ event: "t/fancy" }], ...extra }, async () => "ok"),
      ];
      const failing = harness(define, { db, wrapTransport: recordResponses(responses) });
      await expect(failing).rejects.toThrow(new RegExp(`conformance-fancy.*${option}`));
      // The SDK passes the register error through to the PUT reply: status from the body, error as message.
      const [reply] = puts(responses);
      expect(reply?.status).toBe(400);
      expect(String(reply?.body.message)).toMatch(new RegExp(`function "conformance-fancy": option "${option}"`));
      // Nothing was half-registered.
      const inspect = new Engine({ db, transport: inProcessTransport(() => new Response(null, { status: 500 })) });
      expect(inspect.inspect.functions()).toEqual([]);
    },
  );

  test("a batchEvents `if` filter the engine cannot honour makes sync fail instead of being ignored", async () => {
    const define = (inngest: Client) => [
      inngest.createFunction(
        {
          id: "batched",
          triggers: [{ event: "t/b" }],
          batchEvents: { maxSize: 5, timeout: "5s", if: "event.data.ok" },
        },
        async () => "ok",
      ),
    ];
    await expect(harness(define)).rejects.toThrow(/conformance-batched.*batchEvents\.if/);
  });

  test("the register endpoint needs the signing key's hash and stores the url without deployId", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "alpha", triggers: [{ event: "t/alpha" }] }, async () => "a"),
    ]);
    const body = {
      url: "http://other.test/api/inngest?deployId=d-123",
      appName: "other",
      framework: "hono",
      sdk: "js:v4.24.0",
      functions: [
        {
          id: "other-fn",
          name: "fn",
          triggers: [{ event: "t/other" }],
          steps: {
            step: {
              id: "step",
              name: "step",
              runtime: { type: "http", url: "http://other.test/api/inngest?fnId=other-fn&stepId=step&deployId=d-123" },
            },
          },
        },
      ],
    };
    const post = (authorization: string) =>
      h.engine.api.request("/fn/register", {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", authorization },
      });
    const refused = await post("Bearer signkey-prod-0000");
    expect(refused.status).toBe(401);
    expect(record(await refused.json()).status).toBe(401);
    expect(h.engine.inspect.functions().map((f) => f.id)).toEqual(["conformance-alpha"]);

    const accepted = await post(`Bearer ${hashedSigningKey(h.engine.signingKey)}`);
    expect(await accepted.json()).toEqual({ ok: true, modified: true });
    const other = h.engine.inspect.functions().find((f) => f.id === "other-fn");
    expect(other?.url).toBe("http://other.test/api/inngest?fnId=other-fn&stepId=step");
    // Another app's sync leaves this app's functions in place.
    expect(
      h.engine.inspect
        .functions()
        .map((f) => f.id)
        .sort(),
    ).toEqual(["conformance-alpha", "other-fn"]);
  });
});

describe("retries count", () => {
  test("retries is a count of retries: max_attempts is retries + 1, and absent means 5", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "two", triggers: [{ event: "t/go" }], retries: 2 }, async () => "2"),
      inngest.createFunction({ id: "none", triggers: [{ event: "t/go" }], retries: 0 }, async () => "0"),
      inngest.createFunction({ id: "default", triggers: [{ event: "t/go" }] }, async () => "d"),
    ]);
    const attempts = Object.fromEntries(h.engine.inspect.functions().map((f) => [f.id, f.maxAttempts]));
    expect(attempts).toEqual({ "conformance-two": 3, "conformance-none": 1, "conformance-default": 5 });
    await h.send({ name: "t/go", data: {} });
    expect(ctxOf(callsTo(h, "two")[0]).max_attempts).toBe(3);
    expect(ctxOf(callsTo(h, "none")[0]).max_attempts).toBe(1);
    expect(ctxOf(callsTo(h, "default")[0]).max_attempts).toBe(5);
    expect(h.runs().map((r) => r.status)).toEqual(["completed", "completed", "completed"]);
  });
});

describe("onFailure registration", () => {
  test("onFailure registers <id>-failure triggered by inngest/function.failed for that function only", async () => {
    const handled: string[] = [];
    const h = await start((inngest) => [
      inngest.createFunction(
        {
          id: "guarded",
          triggers: [{ event: "t/guarded" }],
          retries: 0,
          onFailure: async ({ event }: { event: { data: Record<string, unknown> } }) => {
            handled.push(String(event.data.function_id));
          },
        },
        async () => "fine",
      ),
      inngest.createFunction({ id: "other", triggers: [{ event: "t/other" }], retries: 0 }, async () => {
        throw new Error("other broke");
      }),
    ]);
    const failure = h.engine.inspect.functions().find((f) => f.id === "conformance-guarded-failure");
    expect(failure).toMatchObject({
      url: `${SERVE_URL}?fnId=conformance-guarded-failure&stepId=step`,
      triggers: [{ event: "inngest/function.failed", expression: "event.data.function_id == 'conformance-guarded'" }],
      maxAttempts: 2,
    });
    await h.send({ name: "t/other", data: {} });
    expect(onlyRun(h, "other").status).toBe("failed");
    expect(h.runs("guarded-failure")).toEqual([]);
    expect(handled).toEqual([]);
  });
});

describe("event API", () => {
  test("the event API replies {ids, status: 200} and each event starts a run", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "echo", triggers: [{ event: "t/echo" }] }, async ({ event }) => event.data),
    ]);
    const response = await postEvents(h, [
      { name: "t/echo", data: { n: 1 } },
      { name: "t/echo", data: { n: 2 } },
      { name: "t/unrelated", data: {} },
    ]);
    expect(response.status).toBe(200);
    const reply = record(await response.json());
    expect(reply.status).toBe(200);
    const ids = list(reply.ids).map(String);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    await h.engine.drain();
    const runs = h.runs("echo").map((r) => h.run(r.id));
    expect(runs.map((r) => r.output)).toEqual([{ n: 1 }, { n: 2 }]);
    expect(runs.map((r) => record(r.events[0]).id)).toEqual(ids.slice(0, 2));
  });

  test("the event API refuses a wrong event key with 401 and an invalid event with 400, starting nothing", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "echo", triggers: [{ event: "t/echo" }] }, async () => "ran"),
    ]);
    const wrongKey = await postEvents(h, [{ name: "t/echo", data: {} }], { key: "not-the-key" });
    expect(wrongKey.status).toBe(401);
    expect(record(await wrongKey.json()).status).toBe(401);
    const invalid = await postEvents(h, [{ name: "t/echo", data: {} }, { data: {} }]);
    expect(invalid.status).toBe(400);
    expect(String(record(await invalid.json()).error)).toMatch(/name/);
    await h.engine.drain();
    expect(h.runs("echo")).toEqual([]);
  });

  test("a send retried with the same x-inngest-event-id-seed gets the same ids and starts one run", async () => {
    let executions = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "once", triggers: [{ event: "t/once" }] }, async () => ++executions),
    ]);
    const seed = "1767603600000,q83vEjRWeJA=";
    const events = [{ name: "t/once", data: { order: 7 } }];
    const first = record(await (await postEvents(h, events, { seed })).json());
    const retried = record(await (await postEvents(h, events, { seed })).json());
    expect(retried).toEqual(first);
    expect(list(first.ids)).toHaveLength(1);
    await h.engine.drain();
    expect(h.runs("once")).toHaveLength(1);
    expect(executions).toBe(1);
    // A different seed is a different send.
    const other = record(await (await postEvents(h, events, { seed: "1767603600001,q83vEjRWeJA=" })).json());
    expect(other.ids).not.toEqual(first.ids);
    await h.engine.drain();
    expect(h.runs("once")).toHaveLength(2);
  });

  test("an event whose id was seen within 24 h starts no run; after 24 h the same id starts one", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "dedupe", triggers: [{ event: "t/order" }] }, async ({ event }) => event.data),
    ]);
    await h.send({ id: "order-42", name: "t/order", data: { v: 1 } });
    await h.send({ id: "order-42", name: "t/order", data: { v: 2 } });
    expect(h.runs("dedupe")).toHaveLength(1);
    await h.engine.advance(23 * HOUR);
    await h.send({ id: "order-42", name: "t/order", data: { v: 3 } });
    expect(h.runs("dedupe")).toHaveLength(1);
    await h.send({ id: "order-43", name: "t/order", data: { v: 4 } });
    expect(h.runs("dedupe")).toHaveLength(2);
    // 24 h after the first sighting (the duplicate does not extend the window).
    await h.engine.advance(HOUR + SECOND);
    await h.send({ id: "order-42", name: "t/order", data: { v: 5 } });
    expect(h.runs("dedupe").map((r) => r.output)).toEqual([{ v: 1 }, { v: 4 }, { v: 5 }]);
  });
});

describe("sequential steps", () => {
  test("sequential steps run once each and later calls replay their memoized outputs", async () => {
    const executions = { a: 0, b: 0, c: 0 };
    const h = await start((inngest) => [
      inngest.createFunction({ id: "seq", triggers: [{ event: "t/seq" }] }, async ({ step }) => {
        const a = await step.run("a", () => {
          executions.a++;
          return { value: 1 };
        });
        const b = await step.run("b", () => {
          executions.b++;
          return a.value + 1;
        });
        const c = await step.run("c", () => {
          executions.c++;
          return `${a.value}-${b}`;
        });
        return { a, b, c };
      }),
    ]);
    await h.send({ name: "t/seq", data: {} });
    const run = onlyRun(h, "seq");
    expect(run.status).toBe("completed");
    expect(run.output).toEqual({ a: { value: 1 }, b: 2, c: "1-2" });
    expect(executions).toEqual({ a: 1, b: 1, c: 1 });
    expect(run.steps.map((s) => [s.name, s.op, s.output, s.attempts])).toEqual([
      ["a", "StepRun", { value: 1 }, 1],
      ["b", "StepRun", 2, 1],
      ["c", "StepRun", "1-2", 1],
    ]);
    const calls = callsTo(h, "seq");
    expect(calls).toHaveLength(4);
    expect(calls.map((c) => Object.keys(record(c.body.steps)).sort())).toEqual([
      [],
      [sha1("a")],
      [sha1("a"), sha1("b")].sort(),
      [sha1("a"), sha1("b"), sha1("c")].sort(),
    ]);
    expect(calls.map((c) => ctxOf(c).stack)).toEqual([
      { stack: [], current: 0 },
      { stack: [sha1("a")], current: 1 },
      { stack: [sha1("a"), sha1("b")], current: 2 },
      { stack: [sha1("a"), sha1("b"), sha1("c")], current: 3 },
    ]);
    expect(record(calls[3]?.body.steps)[sha1("b")]).toEqual({ data: 2 });
  });
});

describe("request body fields", () => {
  test("call requests carry event, events, steps, version 2 and the ctx fields with fn_id and qi_id (checkpointing)", async () => {
    const h = await start((inngest) => [
      inngest.createFunction({ id: "body", triggers: [{ event: "t/body" }] }, async ({ step }) => {
        await step.run("first", () => "one");
        await step.run("second", () => "two");
        return "done";
      }),
    ]);
    await h.send({ name: "t/body", data: { customer: "c-1" } });
    const run = onlyRun(h, "body");
    const calls = callsTo(h, "body");
    expect(calls).toHaveLength(3);
    const trigger = record(run.events[0]);
    for (const [i, call] of calls.entries()) {
      const url = new URL(call.url);
      expect(url.searchParams.get("fnId")).toBe("conformance-body");
      expect(url.searchParams.get("stepId")).toBe("step");
      expect(Object.keys(call.body).sort()).toEqual(["ctx", "event", "events", "steps", "version"]);
      expect(call.body.version).toBe(2);
      expect(call.body.event).toEqual(trigger);
      expect(call.body.events).toEqual([trigger]);
      const ctx = ctxOf(call);
      expect(ctx).toEqual({
        run_id: run.id,
        fn_id: "conformance-body",
        qi_id: expect.stringMatching(/^\d+$/),
        attempt: 0,
        max_attempts: 5,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: [sha1("first"), sha1("second")].slice(0, i), current: i },
      });
    }
    expect(trigger).toMatchObject({ name: "t/body", data: { customer: "c-1" } });
    expect(calls[2]?.body.steps).toEqual({ [sha1("first")]: { data: "one" }, [sha1("second")]: { data: "two" } });
  });
});

describe("signed calls", () => {
  test("every call request is signed over its exact body, which is canonical JSON", async () => {
    const seen: Array<{ body: string; signature: string | null; serverKind: string | null }> = [];
    const h = await start(
      (inngest) => [
        inngest.createFunction({ id: "signed", triggers: [{ event: "t/signed" }] }, async ({ step }) => {
          await step.run("x", () => ({ z: 1, a: [2, { y: 3, b: 4 }] }));
          return "ok";
        }),
      ],
      {
        wrapTransport: (inner) => async (request) => {
          if (request.method === "POST") {
            seen.push({
              body: await request.clone().text(),
              signature: request.headers.get("x-inngest-signature"),
              serverKind: request.headers.get("x-inngest-server-kind"),
            });
          }
          return inner(request);
        },
      },
    );
    await h.send({ name: "t/signed", data: { b: 2, a: 1 } });
    expect(onlyRun(h, "signed").status).toBe("completed");
    expect(seen).toHaveLength(2);
    for (const call of seen) {
      expect(call.body).toBe(canonicalJson(JSON.parse(call.body)));
      expect(call.signature).toMatch(/^t=\d+&s=[0-9a-f]{64}$/);
      expect(verifySignature(call.body, call.signature, h.engine.signingKey)).toBe(true);
      expect(call.serverKind).toBe("cloud");
    }
  });

  test("the serve endpoint rejects an unsigned call, a bad signature, a stale timestamp and an altered body", async () => {
    let executions = 0;
    const h = await start((inngest) => [
      inngest.createFunction({ id: "guarded", triggers: [{ event: "t/g" }] }, async ({ event }) => {
        executions++;
        return event.data;
      }),
    ]);
    const event = { id: "e-1", name: "t/g", data: { amount: 10 }, ts: 1 };
    const body = canonicalJson({
      event,
      events: [event],
      steps: {},
      version: 2,
      ctx: {
        run_id: "run-1",
        attempt: 0,
        max_attempts: 1,
        disable_immediate_execution: false,
        use_api: false,
        stack: { stack: [], current: 0 },
      },
    });
    const call = (text: string, signature?: string) =>
      h.app.request(`${SERVE_URL}?fnId=conformance-guarded&stepId=step`, {
        method: "POST",
        body: text,
        headers: { "content-type": "application/json", ...(signature ? { "x-inngest-signature": signature } : {}) },
      });
    const key = h.engine.signingKey;
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    const rejected = [
      await call(body),
      await call(body, signBody(body, "signkey-prod-00112233445566778899aabbccddeeff")),
      await call(body, "t=not-a-time&s=00"),
      await call(body, signBody(body, key, Date.now() - 6 * 60 * SECOND)),
      await call(body.replace('"amount":10', '"amount":99'), signBody(body, key)),
      await call(pretty, signBody(pretty, key)),
    ];
    expect(rejected.map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(executions).toBe(0);

    const accepted = await call(body, signBody(body, key));
    expect(accepted.status).toBe(200);
    expect(accepted.headers.get("x-inngest-sdk")).toMatch(/^inngest-js:v/);
    expect(await accepted.json()).toEqual({ amount: 10 });
    expect(executions).toBe(1);
  });
});

describe("non-SDK 2xx", () => {
  test("a 2xx reply without x-inngest-sdk is a failure: the call is retried with backoff", async () => {
    let executions = 0;
    let intercepted = 0;
    const faulty =
      (inner: Transport): Transport =>
      async (request) => {
        if (request.method === "POST" && intercepted === 0) {
          intercepted++;
          return new Response(JSON.stringify({ looks: "fine" }), {
            status: 200,
            headers: { "content-type": "application/json" },
          });
        }
        return inner(request);
      };
    const h = await start(
      (inngest) => [
        inngest.createFunction({ id: "proxied", triggers: [{ event: "t/p" }] }, async () => {
          executions++;
          return "real answer";
        }),
      ],
      { wrapTransport: faulty },
    );
    const t0 = h.clock.now();
    await h.send({ name: "t/p", data: {} });
    let run = onlyRun(h, "proxied");
    expect(intercepted).toBe(1);
    expect(run.status).toBe("running");
    expect(run.output).toBeNull();
    expect(run.scheduled).toHaveLength(1);
    const dueAt = Date.parse(String(run.scheduled[0]?.dueAt));
    expect(dueAt - t0).toBeGreaterThanOrEqual(15 * SECOND);
    expect(dueAt - t0).toBeLessThanOrEqual(16.5 * SECOND);
    expect(run.scheduled[0]?.attempt).toBe(1);

    await h.engine.advance(15 * SECOND - 1);
    expect(executions).toBe(0);
    await h.engine.advance(2 * SECOND);
    run = onlyRun(h, "proxied");
    expect(run.status).toBe("completed");
    expect(run.output).toBe("real answer");
    expect(executions).toBe(1);
    expect(ctxOf(callsTo(h, "proxied")[0]).attempt).toBe(1);
  });

  test("a transport error is retried and a 2xx without x-inngest-sdk on every attempt fails the run", async () => {
    let posts = 0;
    const broken =
      (inner: Transport): Transport =>
      async (request) => {
        if (request.method !== "POST") return inner(request);
        posts++;
        if (posts === 1) throw new Error("connection reset");
        return new Response(null, { status: 204 });
      };
    const h = await start(
      (inngest) => [
        inngest.createFunction({ id: "unreachable", triggers: [{ event: "t/u" }], retries: 2 }, async () => "never"),
      ],
      { wrapTransport: broken },
    );
    await h.send({ name: "t/u", data: {} });
    await h.engine.advance(DAY);
    const run = onlyRun(h, "unreachable");
    expect(posts).toBe(3);
    expect(run.status).toBe("failed");
    expect(record(run.error).name).toBe("NonSdkResponse");
  });
});
