import type { EventDataOf, EventType } from "../events/schemas.ts";
import { subjectKey } from "./types.ts";

/**
 * Resolution signals close the disruption of a subject and trigger the
 * follow-up: `shipment.delivered` → order, `flight.status_changed` with status
 * `departed` → every booking on it, `deliverable.corrected` → deliverable.
 * Anything else resolves nothing (null).
 */

export type EventLike = { [T in EventType]: { type: T; data: EventDataOf<T> } }[EventType];

/** What the resolving event says happened: the follow-up tells these facts, not the disruption's. */
export type ResolutionFacts =
  | { kind: "delivered"; deliveredAt: string }
  | {
      kind: "departed";
      flightNumber: string;
      departedAt: string;
      origin: string | null;
      destination: string | null;
      departureTimeZone: string | null;
    }
  | { kind: "corrected"; correctedAt: string; note: string | null };

export interface Resolution {
  subjectKeys: string[];
  reason: string;
  facts: ResolutionFacts;
}

export function resolvedSubjects(event: EventLike & { occurredAt?: string }): Resolution | null {
  switch (event.type) {
    case "shipment.delivered":
      return {
        subjectKeys: [subjectKey.order(event.data.orderId)],
        reason: `Order ${event.data.orderId} was delivered at ${event.data.deliveredAt}.`,
        facts: { kind: "delivered", deliveredAt: event.data.deliveredAt },
      };
    case "flight.status_changed": {
      if (event.data.status !== "departed") return null;
      const keys = [...new Set(event.data.bookings.map((b) => subjectKey.booking(b.bookingRef)))];
      const d = event.data;
      // A departed status carries the flight that left (for a rebooked passenger, the new one) and,
      // in departsAt, when it left; without it, when the status changed.
      const departedAt = d.departsAt ?? event.occurredAt ?? `${d.date}T00:00:00.000Z`;
      return {
        subjectKeys: keys,
        reason: `Flight ${d.flightNumber} on ${d.date} has departed.`,
        facts: {
          kind: "departed",
          flightNumber: d.flightNumber,
          departedAt,
          origin: d.origin ?? null,
          destination: d.destination ?? null,
          departureTimeZone: d.departureTimeZone ?? null,
        },
      };
    }
    case "deliverable.corrected":
      return {
        subjectKeys: [subjectKey.deliverable(event.data.deliverableId)],
        reason: `Deliverable ${event.data.deliverableId} was corrected at ${event.data.correctedAt}.`,
        facts: { kind: "corrected", correctedAt: event.data.correctedAt, note: event.data.note ?? null },
      };
    default:
      return null;
  }
}
