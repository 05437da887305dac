import type { MakegoodInngest } from "../src/inngest/client.ts";
import { composeAndSendDue } from "../src/recovery/compose-and-send.ts";
import { claimFollowUpOnResolution } from "../src/recovery/follow-up-claim.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { deliverySteps } from "./delivery-steps.ts";

/**
 * A disruption was resolved: send the follow-up, if the recovery had promised it before (a
 * recovery that sees the resolution when it promises sends it itself; src/recovery/follow-up-claim.ts
 * decides which, once).
 */
export function followUpOnResolutionFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    {
      id: "follow-up-on-resolution",
      triggers: [{ event: "makegood/disruption.resolved" }],
      idempotency: "event.data.disruptionId",
      cancelOn: [{ event: "makegood/disruption.closed", match: "data.disruptionId" }],
    },
    async ({ event, step, runId }) => {
      const disruptionId = String(event.data.disruptionId);
      const planned = await step.run("claim and send follow-up", async () =>
        (await claimFollowUpOnResolution(svc, disruptionId))
          ? composeAndSendDue(svc, disruptionId, "follow_up", runId)
          : null,
      );
      if (planned) await deliverySteps(step, svc, disruptionId, runId).complete("follow_up", planned);
      return { disruptionId, followedUp: planned !== null };
    },
  );
}
