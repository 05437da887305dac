import type { MakegoodInngest } from "../src/inngest/client.ts";
import { emptyOutcome, recoveryEvents } from "../src/recovery/outcome.ts";
import { holdsToRelease, releaseHold } from "../src/recovery/release-hold.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { CUSTOMER_ARRIVED } from "../src/recovery/signal-issues.ts";

/**
 * A customer's record arrived (PUT /api/customers/{id}, or a `customer`
 * embedded in an event) while some of their bookings, orders or deliverables
 * were held: detect each now, one step per hold, and start the recoveries.
 */
export function releaseHeldSignalsFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    { id: "release-held-signals", triggers: [{ event: CUSTOMER_ARRIVED }] },
    async ({ event, step }) => {
      const { customerId, arrivedAt } = event.data as { customerId: string; arrivedAt: string };
      const holds = await step.run("find held parts", () => holdsToRelease(svc, customerId, new Date(arrivedAt)));
      const total = emptyOutcome();
      for (const holdId of holds) {
        const out = await step.run(`release ${holdId}`, () => releaseHold(svc, holdId, new Date(arrivedAt)));
        total.opened.push(...out.opened);
        total.updated.push(...out.updated);
        total.superseded.push(...out.superseded);
        total.ignored.push(...out.ignored);
      }
      const events = recoveryEvents(total);
      if (events.length) await step.sendEvent("start recoveries", events);
      return total;
    },
  );
}
