import type { Message } from "../db/generated/node/client.ts";
import type { Channel } from "../messaging/types.ts";
import {
  composeMessages,
  type LoadedDisruption,
  loadDisruption,
  type PlannedMessage,
  type Purpose,
  type SendOutcome,
  sendLoaded,
} from "./messages.ts";
import type { RecoveryServices } from "./services.ts";

export type ComposedMessage = PlannedMessage & { outcome: SendOutcome | null };

/**
 * Compose one purpose's messages, then send at once those due now (an SMS in quiet hours waits;
 * the workflow sends it after its sleep, with `outcome` null here). One workflow step does both:
 * composing is idempotent per run × purpose × channel and a message sent or refused for good is
 * not tried again, so a retry after a failed send redoes neither. The disruption and customer are
 * loaded once for both (the STOP check still sees them as of this step), and each message is sent
 * from the row composing stored or found.
 */
export async function composeAndSendDue(
  svc: RecoveryServices,
  /** Its id, or the disruption as this same step loaded it already (planning the gesture). */
  disruption: string | LoadedDisruption,
  purpose: Purpose,
  runId: string,
  only?: Channel,
): Promise<ComposedMessage[]> {
  const d = typeof disruption === "string" ? await loadDisruption(svc, disruption) : disruption;
  const rows = new Map<string, Message>();
  const planned = await composeMessages(svc, d, purpose, runId, only, rows);
  const done: ComposedMessage[] = [];
  for (const message of [...planned].sort((a, b) => a.sendAt.localeCompare(b.sendAt))) {
    const row = Date.parse(message.sendAt) <= svc.now().getTime() ? rows.get(message.id) : undefined;
    const outcome = row ? await sendLoaded(svc, { ...row, disruption: d }) : null;
    // The first message sent marked the disruption; the next one need not try again.
    if (outcome?.sent && purpose === "apology") d.firstMessageAt ??= svc.now();
    done.push({ ...message, outcome });
  }
  return done;
}
