/**
 * Workers entry (scale-out): D1 for data, Inngest Cloud or a self-hosted Inngest server as the
 * engine. Everything is built per request from that request's env (`src/workers/runtime.ts`).
 */
import { handle, type WorkerEnv } from "./workers/runtime.ts";

export type { WorkerEnv } from "./workers/runtime.ts";

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Promise<Response> {
    return handle(request, env, ctx);
  },
};
