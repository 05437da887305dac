import Database from "better-sqlite3";
import { Hono } from "hono";
import { Inngest, type InngestFunction } from "inngest";
import { serve } from "inngest/hono";
import {
  Engine,
  type EngineOptions,
  inProcessTransport,
  type Transport,
  VirtualClock,
} from "../../src/engine/index.ts";

export type Client = Inngest.Any;

/**
 * The real SDK, served by Hono, driven by the embedded engine in-process with a
 * virtual clock. `define` receives the client and returns the functions to serve.
 */
export async function harness(
  define: (inngest: Client) => InngestFunction.Any[],
  opts: {
    db?: Database.Database;
    engine?: Partial<EngineOptions>;
    appId?: string;
    /** Wrap the engine → app transport (inject faults, record responses). */
    wrapTransport?: (inner: Transport) => Transport;
    /** Wrap the SDK client's fetch to the engine (record register and event requests). */
    wrapFetch?: (inner: typeof fetch) => typeof fetch;
    /** Keep each call's request body in `calls` (default). Benchmarks turn it off: 100,000 bodies are a lot of heap. */
    recordBodies?: boolean;
    /**
     * The SDK's checkpointing (its default, and the app's). Off by default here: the suites that
     * count calls and ops one step at a time check the plain mode; conformance-checkpoint checks this one.
     */
    checkpointing?: boolean;
  } = {},
) {
  const db = opts.db ?? new Database(":memory:");
  const clock = new VirtualClock();
  const app = new Hono();
  /** Every call request the engine made, with the time the app (the SDK) took to answer it. */
  const calls: Array<{ url: string; body: Record<string, unknown>; status: number; ms: number }> = [];
  const engine = new Engine({
    db,
    clock,
    transport: (opts.wrapTransport ?? ((t) => t))(
      inProcessTransport(async (request) => {
        const started = performance.now(); // recording the body counts as the app's time, not the engine's
        const body = opts.recordBodies === false ? "" : await request.clone().text();
        const response = await app.fetch(request);
        const ms = performance.now() - started;
        calls.push({ url: request.url, body: body ? JSON.parse(body) : {}, status: response.status, ms });
        if (opts.recordBodies === false && calls.length > 1000) calls.splice(0, calls.length - 1000);
        return response;
      }),
    ),
    ...opts.engine,
  });
  const inngest = new Inngest({
    id: opts.appId ?? "conformance",
    signingKey: engine.signingKey,
    eventKey: engine.eventKey,
    baseUrl: "http://engine.test",
    fetch: opts.wrapFetch ? opts.wrapFetch(engine.fetch as typeof fetch) : engine.fetch,
    checkpointing: opts.checkpointing ?? false,
  });
  const functions = define(inngest);
  app.on(["GET", "PUT", "POST"], "/api/inngest", serve({ client: inngest, functions }));
  engine.start();
  await engine.syncApp("http://app.test/api/inngest");
  return {
    engine,
    inngest,
    clock,
    app,
    db,
    calls,
    async send(events: Parameters<Client["send"]>[0]) {
      const { ids } = await inngest.send(events);
      await engine.drain();
      return ids;
    },
    runs(functionId?: string) {
      return engine.inspect
        .runs({ functionId: functionId && `${opts.appId ?? "conformance"}-${functionId}`, limit: 500 })
        .runs.reverse();
    },
    run(id: string) {
      const run = engine.inspect.run(id);
      if (!run) throw new Error(`no run ${id}`);
      return run;
    },
    async stop() {
      await engine.stop();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof harness>>;
