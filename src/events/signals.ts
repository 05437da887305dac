import { sha256Hex } from "../hash.ts";
import { embeddedCustomers } from "./customers.ts";
import type { EventType, OpsEvent } from "./schemas.ts";

/**
 * How an accepted ops event is handed to the engine. The Inngest event id is
 * derived from the sender's id, so the engine drops a re-send of the same
 * event for 24 h: sending again after a crash or a 503 is always safe.
 */
export const SIGNAL_NAME_PREFIX = "makegood/";

export const signalName = <T extends EventType>(type: T): `makegood/${T}` => `${SIGNAL_NAME_PREFIX}${type}`;
export const signalId = (eventId: string): string => `signal:${eventId}`;

export interface Signal {
  id: string;
  name: string;
  data: {
    id: string;
    type: EventType;
    occurredAt: string;
    data: OpsEvent["data"];
    /** Customers the event carried (created or replaced before it was sent): they may release held parts. */
    customers?: string[];
  };
}

export function signalFor(event: OpsEvent): Signal {
  const customers = [...new Set(embeddedCustomers(event).map((c) => c.id))];
  return {
    id: signalId(event.id),
    name: signalName(event.type),
    data: {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      data: event.data,
      ...(customers.length ? { customers } : {}),
    },
  };
}

/**
 * Signals accepted together (a batch request, a redispatch) go to the engine as one event each
 * `SIGNALS_PER_EVENT`, decided in one run: one call to the functions, not one a signal. The id
 * derives from the signals' ids, so sending the same ones again is dropped like a single re-send.
 */
export const SIGNAL_BATCH_NAME = "makegood/signals.received";
export const SIGNALS_PER_EVENT = 50;
/** Well under the smallest event size an Inngest server takes (256 KB). */
const MAX_BATCH_EVENT_BYTES = 128 * 1024;

export interface SignalBatch {
  id: string;
  name: typeof SIGNAL_BATCH_NAME;
  data: { signals: Signal["data"][] };
}

/** The engine events for accepted ops events, in their order: a lone signal as itself, others in batches. */
export function signalEventsFor(events: readonly OpsEvent[]): (Signal | SignalBatch)[] {
  const out: (Signal | SignalBatch)[] = [];
  let group: Signal[] = [];
  let bytes = 0;
  const flush = () => {
    if (group.length === 1) out.push(group[0] as Signal);
    else if (group.length > 1) out.push(batchOf(group));
    group = [];
    bytes = 0;
  };
  for (const event of events) {
    const signal = signalFor(event);
    const size = JSON.stringify(signal.data).length;
    if (group.length === SIGNALS_PER_EVENT || (group.length > 0 && bytes + size > MAX_BATCH_EVENT_BYTES)) flush();
    group.push(signal);
    bytes += size;
  }
  flush();
  return out;
}

function batchOf(signals: Signal[]): SignalBatch {
  return {
    id: `signals:${sha256Hex(signals.map((s) => s.data.id).join("\n"))}`,
    name: SIGNAL_BATCH_NAME,
    data: { signals: signals.map((s) => s.data) },
  };
}
