import { Hono } from "hono";
import type { Engine } from "./engine.ts";
import { EventError } from "./events.ts";
import { SyncError } from "./registry.ts";
import { hashedSigningKey } from "./signing.ts";
import type { RunStatus } from "./store/store.ts";

const MAX_EVENT_REQUEST_BYTES = 3 * 1024 * 1024;

/**
 * The engine's HTTP face, the same paths an Inngest server has for the SDK
 * (`/fn/register`, `/e/<key>`), plus a small inspection API (`/v0/…`) for
 * dashboards and operators. Sync and inspection need the signing key's hash
 * as a bearer token; the event API needs the event key.
 */
export function engineApi(engine: Engine): Hono {
  const api = new Hono();
  const bearer = `Bearer ${hashedSigningKey(engine.signingKey)}`; // every checkpoint asks: hash once
  const authorised = (header: string | undefined) => header === bearer;

  // The SDK reads success or failure from the body, not the status.
  api.post("/fn/register", async (c) => {
    if (!authorised(c.req.header("authorization"))) return c.json({ status: 401, error: "invalid signing key" }, 401);
    try {
      const modified = engine.register(await c.req.json());
      return c.json({ ok: true, modified });
    } catch (error) {
      const message =
        error instanceof SyncError ? error.message : `invalid register request: ${(error as Error).message}`;
      return c.json({ status: 400, error: message }, 400);
    }
  });

  api.post("/e/:key", async (c) => {
    if (c.req.param("key") !== engine.eventKey) return c.json({ status: 401, error: "event key not found" }, 401);
    const text = await c.req.text();
    if (text.length > MAX_EVENT_REQUEST_BYTES) return c.json({ status: 413, error: "request body too large" }, 413);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return c.json({ status: 400, error: "body is not valid JSON" }, 400);
    }
    try {
      const ids = engine.send(Array.isArray(body) ? body : [body], c.req.header("x-inngest-event-id-seed"));
      return c.json({ ids, status: 200 });
    } catch (error) {
      if (error instanceof EventError) return c.json({ status: 400, error: error.message }, 400);
      throw error;
    }
  });

  // Checkpoints from a call in flight (checkpoint.ts); authorised like sync.
  api.post("/v1/checkpoint/:runId/async", async (c) => {
    if (!authorised(c.req.header("authorization"))) return c.json({ error: "unauthorised" }, 401);
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: "body is not valid JSON" }, 400);
    }
    const answer = engine.checkpoint(c.req.param("runId"), body);
    return c.json(answer.error ? { error: answer.error } : { ok: true }, answer.status);
  });

  api.use("/v0/*", async (c, next) => {
    if (!authorised(c.req.header("authorization"))) return c.json({ error: "unauthorised" }, 401);
    await next();
  });
  api.get("/v0/functions", (c) => c.json({ functions: engine.inspect.functions() }));
  api.get("/v0/runs", (c) =>
    c.json(
      engine.inspect.runs({
        functionId: c.req.query("function_id"),
        status: c.req.query("status") as RunStatus | undefined,
        limit: Number(c.req.query("limit") ?? 50),
        before: c.req.query("cursor"),
      }),
    ),
  );
  api.get("/v0/runs/:id", (c) => {
    const run = engine.inspect.run(c.req.param("id"));
    return run ? c.json(run) : c.json({ error: "run not found" }, 404);
  });
  api.post("/v0/runs/:id/cancel", (c) => {
    const cancelled = engine.cancelRun(c.req.param("id"));
    return cancelled ? c.json({ cancelled: true }) : c.json({ error: "run not found or already finished" }, 404);
  });
  api.get("/v0/waits", (c) =>
    c.json(engine.inspect.waits({ event: c.req.query("event"), limit: Number(c.req.query("limit") ?? 100) })),
  );
  return api;
}
