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
