import { parseDuration } from "../src/engine/duration.ts";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import { type ComposedMessage, composeAndSendDue } from "../src/recovery/compose-and-send.ts";
import { markFallback } from "../src/recovery/delivery-fallback.ts";
import { assignAccountLead, type PlannedMessage, type Purpose, sendMessage } from "../src/recovery/messages.ts";
import {
  type ApprovalDecision,
  type GesturePlan,
  planGestureLoading,
  requestApproval,
  settleGesture,
} from "../src/recovery/plan-gesture.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";

/**
 * One durable run per disruption: gesture by policy (with a manager's approval
 * when above the limit), the apology on every usable channel (SMS waits for the
 * customer's daytime), then the follow-up when the problem is resolved — or a
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

      // Step ids name the purpose too: an id used twice in a run is indexed by the SDK, which
      // warns when that happens across a parallel group.
      const sendLater = async (purpose: Purpose, message: PlannedMessage) => {
        if (Date.parse(message.sendAt) > svc.now().getTime()) {
          await step.sleepUntil(`wait for daytime (${purpose} ${message.channel})`, new Date(message.sendAt));
        }
        return step.run(`send ${purpose} ${message.channel}`, () => sendMessage(svc, message.id));
      };
      /** The rest of a purpose's delivery, once composed: later sends, and fallbacks to the other channel. */
      const complete = async (purpose: Purpose, planned: readonly ComposedMessage[]) => {
        for (const message of [...planned].sort((a, b) => a.sendAt.localeCompare(b.sendAt))) {
          const outcome = message.outcome ?? (await sendLater(purpose, message));
          // A channel refused for good falls back to the other one, unless the customer
          // already gets that one, or said STOP (which holds on every channel).
          const other = message.channel === "email" ? "sms" : "email";
          if (outcome.sent || outcome.optedOut || planned.some((p) => p.channel === other)) continue;
          const fallback = await step.run(`fall back to ${other} (${purpose})`, async () => {
            const composed = await composeAndSendDue(svc, disruptionId, purpose, runId, other);
            await markFallback(svc, composed, message.id);
            return composed;
          });
          for (const f of fallback) if (!f.outcome) await sendLater(purpose, f);
        }
      };
      const deliver = async (purpose: Purpose) =>
        complete(
          purpose,
          await step.run(`compose and send ${purpose}`, () => composeAndSendDue(svc, disruptionId, purpose, runId)),
        );

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
      // A resolution committed after "promise follow-up" looked, whose event reached the engine before
      // the wait existed, would be missed until the deadline (and the wrong message go out then). The
      // engine registers a wait before it runs a step planned beside it, so a second look there sees
      // every such resolution and sends the event again, under its own id, to end the wait.
      const [resolution] = due.resolved
        ? [true]
        : await Promise.all([
            step.waitForEvent("wait for resolution", {
              event: "makegood/disruption.resolved",
              match: "data.disruptionId",
              timeout: new Date(due.at),
            }),
            step.run("look again beside the wait", async () => {
              const late = await isResolved(svc, disruptionId);
              if (late)
                await inngest.send({
                  id: `resolved-seen-late:${disruptionId}`,
                  name: "makegood/disruption.resolved",
                  data: { disruptionId },
                });
              return late;
            }),
          ]);
      const resolved = Boolean(resolution);
      await deliver(resolved ? "follow_up" : "update");
      return { disruptionId, resolved };
    },
  );
}

/**
 * Record when the follow-up is due (kept if a try before this one recorded it); say if the
 * disruption was resolved already (its event may have come early). One statement.
 */
async function promiseFollowUp(
  svc: RecoveryServices,
  disruptionId: string,
): Promise<{ at: string; resolved: boolean }> {
  const due = new Date(svc.now().getTime() + parseDuration(svc.settings.followUpAfter));
  const [row] = await svc.prisma.$queryRaw<{ followUpDueAt: Date | string; status: string }[]>`
    UPDATE "Disruption" SET "followUpDueAt" = COALESCE("followUpDueAt", ${due}), "updatedAt" = ${new Date()}
    WHERE "id" = ${disruptionId}
    RETURNING "followUpDueAt", "status"`;
  if (!row) throw new Error(`no disruption ${disruptionId}`);
  return { at: new Date(row.followUpDueAt).toISOString(), resolved: row.status === "resolved" };
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

async function isResolved(svc: RecoveryServices, disruptionId: string): Promise<boolean> {
  const d = await svc.prisma.disruption.findUniqueOrThrow({ where: { id: disruptionId }, select: { status: true } });
  return d.status === "resolved";
}
