import { recoveryEvents, type SignalOutcome } from "./outcome.ts";
import type { RecoveryServices } from "./services.ts";
import { handleSignal, type Signal } from "./signals.ts";

/** A signal as the engine carries it: the customers the ops event brought with it may release held parts. */
export type CarriedSignal = Signal & { customers?: string[] };

/** Engine events per send: one flight cancelled can start hundreds of recoveries (the engine takes 3 MB a request). */
const EVENTS_PER_SEND = 500;

export interface BatchDecision {
  /** The signals decided, each with its outcome (stored on its InboundEvent too), in the batch's order. */
  decided: { signal: CarriedSignal; outcome: SignalOutcome }[];
  /** Signals that failed here: the caller hands each to a run of its own. */
  failed: CarriedSignal[];
}

/** Engine events as `inngest.send` takes them. */
export type SendEvents = (events: ReturnType<typeof recoveryEvents>) => Promise<unknown>;

/**
 * Decide signals one after another, as `handleSignal` decides each alone (a repeat returns the
 * stored outcome), starting each one's recoveries as soon as it is decided: the first customers
 * of a batch do not wait for its last signal, and the signals decided while a send is under way
 * go together in the next one (one request, not one each, when the engine is busy). Alone, a
 * failure is thrown, for the step to retry; in a batch, one that fails is set aside and the
 * others are decided, so a bad signal holds up none of them. A failed send is thrown either way
 * (the step retries; the events' ids make the repeats duplicates).
 */
export async function decideSignals(
  svc: RecoveryServices,
  signals: readonly CarriedSignal[],
  send: SendEvents,
): Promise<BatchDecision> {
  const decision: BatchDecision = { decided: [], failed: [] };
  const sender = coalescingSender(send);
  for (const signal of signals) {
    let outcome: SignalOutcome;
    try {
      outcome = await handleSignal(svc, signal);
    } catch (error) {
      if (signals.length === 1) throw error;
      svc.logger.warn("a signal in a batch failed; it is retried in a run of its own", {
        id: signal.id,
        error: error instanceof Error ? error.message : String(error),
      });
      decision.failed.push(signal);
      continue;
    }
    decision.decided.push({ signal, outcome });
    sender.add(recoveryEvents(outcome));
    // Deciding runs on synchronous SQLite: give the thread's other calls (and the send's answer) a turn.
    await new Promise((resolve) => setImmediate(resolve));
  }
  await sender.flushed();
  return decision;
}

/**
 * One send under way at a time: events added meanwhile wait and go together when it ends
 * (at most EVENTS_PER_SEND a request). `flushed` resolves when all went, or throws the first failure.
 */
function coalescingSender(send: SendEvents) {
  const waiting: ReturnType<typeof recoveryEvents> = [];
  let flight: Promise<void> | null = null;
  let failure: unknown = null;
  const drain = async () => {
    while (waiting.length && failure === null) {
      const events = waiting.splice(0, EVENTS_PER_SEND);
      await send(events).catch((error: unknown) => {
        failure = error;
      });
    }
    flight = null;
  };
  return {
    add(events: ReturnType<typeof recoveryEvents>) {
      if (!events.length || failure !== null) return;
      waiting.push(...events);
      flight ??= drain();
    },
    async flushed() {
      while (flight) await flight;
      if (failure !== null) throw failure;
    },
  };
}

/**
 * What a batch step reports, and what the run needs after it: counts for people, the signals
 * handed off, and the customers whose arrival may release held parts (those the signals carried,
 * and held ones, unknown when decided, whose record may have arrived meanwhile).
 */
export function batchSummary({ decided, failed }: BatchDecision) {
  const count = (part: "opened" | "resolved" | "superseded") => decided.reduce((n, d) => n + d.outcome[part].length, 0);
  const carried = decided.flatMap((d) => d.signal.customers ?? []);
  const held = decided.flatMap((d) =>
    d.outcome.ignored.flatMap((p) =>
      p.reason === "unknown_customer" && p.heldUntil && p.customerId ? [p.customerId] : [],
    ),
  );
  return {
    decided: decided.length,
    opened: count("opened"),
    resolved: count("resolved"),
    superseded: count("superseded"),
    handedOff: failed.map((s) => s.id),
    releaseCandidates: [...new Set([...carried, ...held])],
  };
}
