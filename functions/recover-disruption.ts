import { parseDuration } from "../src/engine/duration.ts";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import { composeAndSendDue } from "../src/recovery/compose-and-send.ts";
import { isResolved, promiseFollowUp } from "../src/recovery/follow-up-claim.ts";
import { assignAccountLead } from "../src/recovery/messages.ts";
import {
  type ApprovalDecision,
  type GesturePlan,
  planGestureLoading,
  requestApproval,
  settleGesture,
} from "../src/recovery/plan-gesture.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { deliverySteps } from "./delivery-steps.ts";

/**
 * One durable run per disruption: gesture by policy (with a manager's approval
 * when above the limit), the apology on every usable channel (SMS waits for the
 * customer's daytime), then the promise of a follow-up: sent here if the problem is resolved
 * already, else by the resolution when it comes (functions/follow-up-on-resolution.ts); a
 * proactive update when the promised time passes first.
 */
export function recoverDisruptionFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    {
      id: "recover-disruption",
      triggers: [{ event: "makegood/disruption.detected" }],
      idempotency: "event.data.disruptionId",
      cancelOn: [{ event: "makegood/disruption.closed", match: "data.disruptionId" }],
    },
    async ({ event, step, runId }) => {
      const disruptionId = String(event.data.disruptionId);
      // The first step does everything the apology needs, so a customer's first message costs one
      // step (one checkpoint) and nobody's apology waits behind another run's bookkeeping. Each part
      // is idempotent (first grant wins, one approval, one claim per message), so a retried step
      // repeats none of them. The apology never waits for an internal decision: it goes now, without
      // a gesture that is not certain yet (templates hide a pending one); the gesture follows in its
      // own message.
      const first = await step.run("choose gesture and apologise", async () => {
        const { plan: chosen, disruption } = await planGestureLoading(svc, disruptionId);
        if (chosen.needsApproval)
          await requestApproval(svc, disruptionId, chosen, parseDuration(chosen.approvalTimeout));
        const planned = await composeAndSendDue(svc, disruption, "apology", runId);
        // With no manager to wait for, the follow-up is promised with the apology: a step (and a
        // checkpoint) less per customer in a wave.
        const due = chosen.needsApproval ? null : await promiseFollowUp(svc, disruptionId);
        return { chosen, planned, due };
      });
      const kind = first.chosen.disruptionKind;
      const plan: GesturePlan = first.chosen;

      const { complete, deliver } = deliverySteps(step, svc, disruptionId, runId);

      await complete("apology", first.planned);
      if (kind === "deliverable_error") {
        await step.run("task for the account lead", () => assignAccountLead(svc, disruptionId, runId));
      }
      if (plan.needsApproval) {
        // A manager may have decided while the apology went out (before the wait existed): a look
        // beside the wait sees that decision and sends it again, under its own id, to end the wait.
        const [decided] = await Promise.all([
          step.waitForEvent("wait for a manager", {
            event: "makegood/approval.decided",
            match: "data.disruptionId",
            timeout: plan.approvalTimeout,
          }),
          step.run("look for a decision beside the wait", () => resendDecision(inngest, svc, disruptionId)),
        ]);
        const decision = decided ? (decided.data as unknown as ApprovalDecision) : null;
        const settled = await step.run("settle gesture", () => settleGesture(svc, disruptionId, plan, decision));
        if (settled.grantId) await deliver("gesture");
      }

      // A run begun before the apology step promised it (or one that waited for a manager) promises now.
      const due = first.due ?? (await step.run("promise follow-up", () => promiseFollowUp(svc, disruptionId)));
      if (due.followUpNow) {
        await deliver("follow_up");
        return { disruptionId, resolved: true };
      }
      // Resolved later, the resolution's run claims the follow-up; this run waits for nothing but
      // the promised time: no wait that an event sent before it existed would miss.
      await step.sleepUntil("until the follow-up is due", new Date(due.at));
      const update = await step.run("update unless resolved", async () =>
        (await isResolved(svc, disruptionId)) ? null : composeAndSendDue(svc, disruptionId, "update", runId),
      );
      if (update) await complete("update", update);
      return { disruptionId, resolved: update === null };
    },
  );
}

/** A decision already on the record (the approval row), sent again so the wait ends with it. */
async function resendDecision(inngest: MakegoodInngest, svc: RecoveryServices, disruptionId: string): Promise<boolean> {
  const approval = await svc.prisma.approval.findFirst({
    where: { disruptionId, status: { in: ["approved", "denied"] } },
    orderBy: { requestedAt: "desc" },
  });
  if (!approval) return false;
  await inngest.send({
    id: `approval-seen-late:${approval.id}`,
    name: "makegood/approval.decided",
    data: {
      disruptionId,
      approvalId: approval.id,
      decision: approval.status === "approved" ? "approve" : "deny",
      note: approval.note,
      by: approval.decidedBy,
    },
  });
  return true;
}
