/**
 * Workers entry (scale-out): D1 for data, Inngest Cloud or a self-hosted Inngest server as the
 * engine. Everything is built per request (or per scheduled event) from its env
 * (`src/workers/runtime.ts`, `src/workers/scheduled.ts`).
 */
import { handle, type WorkerEnv } from "./workers/runtime.ts";
import { type ScheduledEvent, scheduled } from "./workers/scheduled.ts";

export type { WorkerEnv } from "./workers/runtime.ts";

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Promise<Response> {
    return handle(request, env, ctx);
  },
  /** The Cron Trigger in wrangler.toml. */
  scheduled(event: ScheduledEvent, env: WorkerEnv): Promise<void> {
    return scheduled(event, env);
  },
};
