import { recoveryEvents, type SignalOutcome } from "./outcome.ts";
import type { RecoveryServices } from "./services.ts";
import { handleSignal, type Signal } from "./signals.ts";

/** A signal as the engine carries it: the customers the ops event brought with it may release held parts. */
export type CarriedSignal = Signal & { customers?: string[] };

/** Engine events sent per call: a batch of flight cancellations can start thousands of recoveries. */
const EVENTS_PER_SEND = 500;

export interface BatchDecision {
  /** The signals decided, each with its outcome (stored on its InboundEvent too), in the batch's order. */
  decided: { signal: CarriedSignal; outcome: SignalOutcome }[];
  /** Signals that failed here: the caller hands each to a run of its own. */
  failed: CarriedSignal[];
}

/**
 * Decide signals one after another, as `handleSignal` decides each alone (a repeat returns the
 * stored outcome). Alone, a failure is thrown, for the step to retry; in a batch, one that fails
 * is set aside and the others are decided, so a bad signal holds up none of them.
 */
export async function decideSignals(svc: RecoveryServices, signals: readonly CarriedSignal[]): Promise<BatchDecision> {
  const [only] = signals;
  if (signals.length === 1 && only)
    return { decided: [{ signal: only, outcome: await handleSignal(svc, only) }], failed: [] };
  const decision: BatchDecision = { decided: [], failed: [] };
  for (const signal of signals) {
    try {
      decision.decided.push({ signal, outcome: await handleSignal(svc, signal) });
    } catch (error) {
      svc.logger.warn("a signal in a batch failed; it is retried in a run of its own", {
        id: signal.id,
        error: error instanceof Error ? error.message : String(error),
      });
      decision.failed.push(signal);
    }
  }
  return decision;
}

/** The recovery events the decisions call for, in sends of at most `EVENTS_PER_SEND`. */
export function recoveryEventSends(decided: BatchDecision["decided"]) {
  const events = decided.flatMap((d) => recoveryEvents(d.outcome));
  return Array.from({ length: Math.ceil(events.length / EVENTS_PER_SEND) }, (_, i) =>
    events.slice(i * EVENTS_PER_SEND, (i + 1) * EVENTS_PER_SEND),
  );
}

/**
 * Customers whose arrival may release held parts: those the signals carried, and held ones
 * (unknown when decided) whose record may have arrived meanwhile.
 */
export function releaseCandidates(decided: BatchDecision["decided"]): string[] {
  const carried = decided.flatMap((d) => d.signal.customers ?? []);
  const held = decided.flatMap((d) =>
    d.outcome.ignored.flatMap((p) =>
      p.reason === "unknown_customer" && p.heldUntil && p.customerId ? [p.customerId] : [],
    ),
  );
  return [...new Set([...carried, ...held])];
}
