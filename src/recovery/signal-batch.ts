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
 * stored outcome), sending each one's recovery events as soon as it is decided: the first
 * customers of a batch do not wait for its last signal. Alone, a failure is thrown, for the step
 * to retry; in a batch, one that fails is set aside and the others are decided, so a bad signal
 * holds up none of them. A failed send is thrown either way (the step retries; the events' ids
 * make the repeats duplicates).
 */
export async function decideSignals(
  svc: RecoveryServices,
  signals: readonly CarriedSignal[],
  send: SendEvents,
): Promise<BatchDecision> {
  const decision: BatchDecision = { decided: [], failed: [] };
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
    const events = recoveryEvents(outcome);
    for (let i = 0; i < events.length; i += EVENTS_PER_SEND) await send(events.slice(i, i + EVENTS_PER_SEND));
  }
  return decision;
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
