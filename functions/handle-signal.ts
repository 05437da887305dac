import { EVENT_TYPES } from "../src/events/schemas.ts";
import { SIGNAL_BATCH_NAME, signalName } from "../src/events/signals.ts";
import type { MakegoodInngest } from "../src/inngest/client.ts";
import type { RecoveryServices } from "../src/recovery/services.ts";
import { batchSummary, type CarriedSignal, decideSignals } from "../src/recovery/signal-batch.ts";
import { arrivalEvents } from "../src/recovery/signal-issues.ts";
import { knownCustomers } from "../src/recovery/subject-decisions.ts";

/**
 * Every accepted signal, alone or in a batch of signals accepted together: detect disruptions
 * (and resolutions, complaints), then start one recovery per new disruption, a follow-up per
 * resolved one (functions/follow-up-on-resolution.ts), and cancel superseded ones. Parts held
 * for an unknown customer whose record arrived while the signals were being decided are released
 * at once.
 */
export function handleSignalFunction(inngest: MakegoodInngest, svc: RecoveryServices) {
  return inngest.createFunction(
    {
      id: "handle-signal",
      triggers: [...EVENT_TYPES.map((type) => ({ event: signalName(type) })), { event: SIGNAL_BATCH_NAME }],
    },
    async ({ event, step }) => {
      const signals: CarriedSignal[] =
        (event.name as string) === SIGNAL_BATCH_NAME
          ? (event.data as unknown as { signals: CarriedSignal[] }).signals
          : [event.data as unknown as CarriedSignal];
      // Detecting and starting the recoveries is one step (one checkpoint for all the signals), each
      // signal's recoveries started as soon as it is decided. Each outcome is stored with its
      // writes, so a retried step finds it and sends the same events again, which their ids make
      // duplicates that are dropped. A signal that failed in a batch goes to a run of its own (its
      // id, too, makes a repeat a duplicate).
      const outcome = await step.run("detect and start recoveries", async () => {
        const decision = await decideSignals(svc, signals, (events) => inngest.send(events));
        if (decision.failed.length)
          await inngest.send(
            decision.failed.map((s) => ({ id: `signal-alone:${s.id}`, name: signalName(s.type), data: s })),
          );
        return batchSummary(decision);
      });
      // After deciding (which supersedes holds these events' news replaces): customers the events
      // carried, and held ones whose record arrived while they were decided, release their holds.
      if (outcome.releaseCandidates.length) {
        const arrived = await step.run("release holds of customers now known", async () =>
          arrivalEvents(
            svc.prisma,
            [...(await knownCustomers(svc.prisma, outcome.releaseCandidates)).keys()],
            svc.now(),
          ),
        );
        if (arrived.length) await step.sendEvent("release held parts", arrived);
      }
      return outcome;
    },
  );
}
