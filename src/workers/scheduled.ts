/**
 * The Worker's Cron Trigger (`[triggers] crons` in wrangler.toml): what the Node process does on a
 * timer. Every minute, accepted events whose hand-off to the engine never completed (the request
 * was cut off between storing and sending, or the engine was unreachable and the client never
 * retried) are handed over — the same `redispatchStranded` Node runs. The time is the event's
 * `scheduledTime`, as Cloudflare (or `wrangler dev`'s `/cdn-cgi/handler/scheduled?time=`) gives it.
 *
 * The other periodic work (the overdue-shipment sweep, the nightly purge) is Inngest cron
 * functions: the Inngest server fires them on Workers as the embedded engine does on Node.
 */
import { REDISPATCH_GRACE_MS, redispatchStranded } from "../events/redispatch.ts";
import { runtimeFor, type WorkerEnv } from "./runtime.ts";

/** The part of Cloudflare's `ScheduledController` read here. */
export interface ScheduledEvent {
  cron: string;
  scheduledTime: number;
}

export async function scheduled(event: ScheduledEvent, env: WorkerEnv): Promise<void> {
  const rt = runtimeFor(env, () => new Date(event.scheduledTime));
  try {
    const sent = await redispatchStranded(rt, REDISPATCH_GRACE_MS);
    if (sent) rt.logger.info("scheduled hand-over done", { cron: event.cron, sent });
  } catch (error) {
    // Thrown on: Cloudflare records the cron run as failed; the next minute tries again.
    rt.logger.error("handing stranded events to the engine failed; the next run tries again", {
      error: String(error),
    });
    throw error;
  }
}
