/**
 * The recovery as the issue lists its steps — detect → choose gesture → compose the apology → send
 * email → send SMS — for the modes without makegood's engine (the floor, BullMQ), one domain call
 * per step: handleSignal (what handle-signal decides), planGesture, composeMessages and sendMessage
 * (what recover-disruption's first step runs as planGestureLoading and composeAndSendDue, in one
 * step that loads the disruption once).
 * Same domain code; only the step boundaries are the caller's. The bench's customers never need
 * approval, SMS daytime or a channel fallback: those branches throw here instead of being reimplemented.
 */
import { composeMessages, loadDisruption, type PlannedMessage, sendMessage } from "../../src/recovery/messages.ts";
import { planGesture } from "../../src/recovery/plan-gesture.ts";
import type { RecoveryServices } from "../../src/recovery/services.ts";
import { handleSignal, type Signal } from "../../src/recovery/signals.ts";

/** handle-signal's "detect": the disruptions this signal opened (one recovery each). */
export async function detect(svc: RecoveryServices, signal: Signal): Promise<string[]> {
  return (await handleSignal(svc, signal)).opened;
}

/** recover-disruption's "choose gesture". */
export async function chooseGesture(svc: RecoveryServices, disruptionId: string): Promise<void> {
  const plan = await planGesture(svc, disruptionId);
  if (plan.needsApproval) throw new Error(`${disruptionId}: the bench's gestures should not need approval`);
}

/** recover-disruption's "compose apology": the messages in sending order, none held for quiet hours. */
export async function composeApology(
  svc: RecoveryServices,
  disruptionId: string,
  runId: string,
): Promise<PlannedMessage[]> {
  const planned = await composeMessages(svc, await loadDisruption(svc, disruptionId), "apology", runId);
  const now = svc.now().getTime();
  if (planned.some((m) => Date.parse(m.sendAt) > now)) throw new Error(`${disruptionId}: an SMS is held for daytime`);
  return [...planned].sort((a, b) => a.sendAt.localeCompare(b.sendAt));
}

/** recover-disruption's "send email" / "send sms" (sendMessage records the outcome on the timeline). */
export async function send(svc: RecoveryServices, message: PlannedMessage): Promise<void> {
  const outcome = await sendMessage(svc, message.id);
  if (!outcome.sent) throw new Error(`${message.id}: the fake refused the ${message.channel}: ${outcome.reason}`);
}

/** A stable synthetic run id per recovery (idempotency keys are built from it), as the engine's run id would be. */
export const runIdFor = (mode: string, disruptionId: string) => `${mode}-${disruptionId}`;
