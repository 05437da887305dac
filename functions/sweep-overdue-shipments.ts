import type { MakegoodInngest } from "../src/inngest/client.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { sweepOverdueShipments } from "../src/recovery/sweep.ts";

/**
 * Every 15 minutes: shipments whose latest ETA (plus the grace) passed with
 * no delivery scan become predicted delays, and a recovery starts for each.
 * One sweep at a time; a retried step reports, not repeats, what it opened.
 */
export function sweepOverdueShipmentsFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    { id: "sweep-overdue-shipments", triggers: [{ cron: "*/15 * * * *" }], concurrency: { limit: 1 } },
    async ({ step, runId }) => {
      const outcome = await step.run("sweep", () => sweepOverdueShipments(svc, runId));
      if (outcome.opened.length) {
        await step.sendEvent(
          "start recoveries",
          outcome.opened.map((id) => ({
            id: `detected:${id}`,
            name: "makegood/disruption.detected",
            data: { disruptionId: id },
          })),
        );
      }
      return outcome;
    },
  );
}
