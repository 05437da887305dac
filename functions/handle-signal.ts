import { EVENT_TYPES } from "../src/events/schemas.ts";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import { recoveryEvents } from "../src/recovery/outcome.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { arrivalEvents } from "../src/recovery/signal-issues.ts";
import { handleSignal, type Signal } from "../src/recovery/signals.ts";
import { knownCustomers } from "../src/recovery/subject-decisions.ts";

/**
 * Every accepted signal: detect disruptions (and resolutions, complaints),
 * then start one recovery per new disruption and tell running ones they are
 * resolved or superseded. Parts held for an unknown customer whose record
 * arrived while the signal was being decided are released at once.
 */
export function handleSignalFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    { id: "handle-signal", triggers: EVENT_TYPES.map((type) => ({ event: `makegood/${type}` })) },
    async ({ event, step }) => {
      const signal = event.data as unknown as Signal & { customers?: string[] };
      // Detecting and starting the recoveries is one step (one checkpoint a signal): the outcome is
      // stored with the writes, so a retried step finds it and sends the same events again, which
      // their ids make duplicates that are dropped.
      const outcome = await step.run("detect and start recoveries", async () => {
        const decided = await handleSignal(svc, signal);
        const events = recoveryEvents(decided);
        if (events.length) await inngest.send(events);
        return decided;
      });
      // After deciding (which supersedes holds this event's news replaces): customers the event
      // carried, and held ones whose record arrived while it was decided, release their holds.
      const held = outcome.ignored.filter((p) => p.reason === "unknown_customer" && p.heldUntil && p.customerId);
      const candidates = [...new Set([...(signal.customers ?? []), ...held.map((p) => p.customerId as string)])];
      if (candidates.length) {
        const arrived = await step.run("release holds of customers now known", async () =>
          arrivalEvents(svc.prisma, [...(await knownCustomers(svc.prisma, candidates)).keys()], svc.now()),
        );
        if (arrived.length) await step.sendEvent("release held parts", arrived);
      }
      return outcome;
    },
  );
}
