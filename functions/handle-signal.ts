import { EVENT_TYPES } from "../src/events/schemas.ts";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { handleSignal, type Signal } from "../src/recovery/signals.ts";

/**
 * Every accepted signal: detect disruptions (and resolutions, complaints),
 * then start one recovery per new disruption and tell running ones they are
 * resolved or superseded.
 */
export function handleSignalFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    { id: "handle-signal", triggers: EVENT_TYPES.map((type) => ({ event: `makegood/${type}` })) },
    async ({ event, step }) => {
      const signal = event.data as unknown as Signal;
      const outcome = await step.run("detect", () => handleSignal(svc, signal));
      const events = [
        ...outcome.opened.map((id) => ({
          id: `detected:${id}`,
          name: "makegood/disruption.detected",
          data: { disruptionId: id },
        })),
        ...outcome.resolved.map((id) => ({
          id: `resolved:${id}`,
          name: "makegood/disruption.resolved",
          data: { disruptionId: id },
        })),
        ...outcome.closed.map((id) => ({
          id: `closed:${id}`,
          name: "makegood/disruption.closed",
          data: { disruptionId: id },
        })),
      ];
      if (events.length) await step.sendEvent("start recoveries", events);
      return outcome;
    },
  );
}
