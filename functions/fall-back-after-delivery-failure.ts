import type { MakegoodInngest } from "../src/inngest/client.ts";
import { fallBackAfterDeliveryFailure } from "../src/recovery/delivery-fallback.ts";
import { MESSAGE_UNDELIVERABLE } from "../src/recovery/delivery-reports.ts";
import { sendMessage } from "../src/recovery/messages.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";

/**
 * A provider reported, after the recovery's send step had finished, that a
 * message will never arrive (a hard bounce, an undelivered SMS): send the same
 * message on the other channel, once — never around STOP. An SMS in quiet
 * hours waits for the customer's daytime, as in the recovery.
 */
export function fallBackAfterDeliveryFailureFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    {
      id: "fall-back-after-delivery-failure",
      triggers: [{ event: MESSAGE_UNDELIVERABLE }],
      idempotency: "event.data.messageId",
    },
    async ({ event, step }) => {
      const messageId = String(event.data.messageId);
      const planned = await step.run("fall back to the other channel", () =>
        fallBackAfterDeliveryFailure(svc, messageId),
      );
      for (const message of planned) {
        if (message.outcome) continue;
        if (Date.parse(message.sendAt) > svc.now().getTime()) {
          await step.sleepUntil(`wait for daytime (${message.channel})`, new Date(message.sendAt));
        }
        await step.run(`send ${message.channel}`, () => sendMessage(svc, message.id));
      }
      return { messageId, fallbacks: planned.map((m) => m.id) };
    },
  );
}
