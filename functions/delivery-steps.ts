import type { GetStepTools } from "inngest";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import { type ComposedMessage, composeAndSendDue } from "../src/recovery/compose-and-send.ts";
import { markFallback } from "../src/recovery/delivery-fallback.ts";
import { type PlannedMessage, type Purpose, sendMessage } from "../src/recovery/messages.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";

/**
 * The steps that deliver one purpose's messages of a disruption, for any run that sends them:
 * compose and send those due now, then the later ones (an SMS waits for the customer's daytime),
 * each refused for good falling back to the other channel. Step ids name the purpose: an id used
 * twice in a run is indexed by the SDK, which warns when that happens across a parallel group.
 */
export function deliverySteps(
  step: GetStepTools<MakegoodInngest>,
  svc: RecoveryServices,
  disruptionId: string,
  runId: string,
) {
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
  return { complete, deliver };
}
