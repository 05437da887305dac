import type { EventDataOf, EventType } from "../events/schemas.ts";
import { subjectKey } from "./types.ts";

/**
 * Resolution signals close the disruption of a subject and trigger the
 * follow-up: `shipment.delivered` → order, `flight.status_changed` with status
 * `departed` → every booking on it, `deliverable.corrected` → deliverable.
 * Anything else resolves nothing (null).
 */

export type EventLike = { [T in EventType]: { type: T; data: EventDataOf<T> } }[EventType];

export interface Resolution {
  subjectKeys: string[];
  reason: string;
}

export function resolvedSubjects(event: EventLike): Resolution | null {
  switch (event.type) {
    case "shipment.delivered":
      return {
        subjectKeys: [subjectKey.order(event.data.orderId)],
        reason: `Order ${event.data.orderId} was delivered at ${event.data.deliveredAt}.`,
      };
    case "flight.status_changed": {
      if (event.data.status !== "departed") return null;
      const keys = [...new Set(event.data.bookings.map((b) => subjectKey.booking(b.bookingRef)))];
      return { subjectKeys: keys, reason: `Flight ${event.data.flightNumber} on ${event.data.date} has departed.` };
    }
    case "deliverable.corrected":
      return {
        subjectKeys: [subjectKey.deliverable(event.data.deliverableId)],
        reason: `Deliverable ${event.data.deliverableId} was corrected at ${event.data.correctedAt}.`,
      };
    default:
      return null;
  }
}
