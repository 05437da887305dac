import type { FlightBooking, FlightStatusChangedData } from "../events/schemas.ts";
import { describeMinutes } from "./time.ts";
import { type Detection, type NoDisruption, type Severity, subjectKey } from "./types.ts";

/**
 * `flight.status_changed` → one decision per booking (the first entry wins if
 * a booking reference repeats).
 *
 * - cancelled: always a disruption; high if the passenger is rebooked, critical if not.
 * - diverted: always a disruption, high.
 * - delayed: a disruption only when delayMinutes is MORE than the threshold;
 *   ≤ 2 h low, ≤ 3 h medium, ≤ 5 h high, longer critical (3 h and 5 h are
 *   where EU261 compensation and refund rights start). A delay without
 *   delayMinutes is not acted on: the next update will carry it.
 * - departed: no disruption; resolves any open one for the booking.
 * - scheduled: no disruption.
 */

export interface FlightContext {
  delayThresholdMinutes: number;
}

export const FLIGHT_DELAY_SEVERITY: readonly { upTo: number; severity: Severity }[] = [
  { upTo: 120, severity: "low" },
  { upTo: 180, severity: "medium" },
  { upTo: 300, severity: "high" },
];

interface BookingFacts {
  bookingRef: string;
  customerId: string;
  subjectKey: string;
}
export type FlightDisruption = Detection &
  BookingFacts & { kind: "flight_cancelled" | "flight_diverted" | "flight_delayed" };
export type FlightNoDisruption = NoDisruption & BookingFacts;
export type FlightDecision = FlightDisruption | FlightNoDisruption;

type FlightData = Pick<FlightStatusChangedData, "flightNumber" | "date" | "status" | "delayMinutes" | "reason"> & {
  bookings: readonly Pick<FlightBooking, "bookingRef" | "customerId" | "rebookedFlight">[];
};

export function detectFlightDisruptions(data: FlightData, ctx: FlightContext): FlightDecision[] {
  const seen = new Set<string>();
  const decisions: FlightDecision[] = [];
  for (const booking of data.bookings) {
    if (seen.has(booking.bookingRef)) continue;
    seen.add(booking.bookingRef);
    decisions.push(decide(data, booking, ctx));
  }
  return decisions;
}

function decide(data: FlightData, booking: FlightData["bookings"][number], ctx: FlightContext): FlightDecision {
  const facts: BookingFacts = {
    bookingRef: booking.bookingRef,
    customerId: booking.customerId,
    subjectKey: subjectKey.booking(booking.bookingRef),
  };
  const flight = `Flight ${data.flightNumber} on ${data.date}`;
  const why = data.reason ? ` (${data.reason})` : "";
  const rebooked = booking.rebookedFlight
    ? `passenger rebooked on ${booking.rebookedFlight.flightNumber} departing ${booking.rebookedFlight.departsAt}`
    : "passenger not rebooked yet";

  switch (data.status) {
    case "cancelled": {
      const severity: Severity = booking.rebookedFlight ? "high" : "critical";
      const reason = `${flight} is cancelled${why}; ${rebooked} → ${severity}`;
      return { disruption: true, kind: "flight_cancelled", severity, reason, ...facts };
    }
    case "diverted": {
      const reason = `${flight} is diverted${why}${booking.rebookedFlight ? `; ${rebooked}` : ""} → high`;
      return { disruption: true, kind: "flight_diverted", severity: "high", reason, ...facts };
    }
    case "delayed":
      return delayed(data, facts, ctx, flight, why);
    case "departed":
      return {
        disruption: false,
        resolves: true,
        reason: `${flight} has departed; the booking's disruption can close.`,
        ...facts,
      };
    case "scheduled":
      return { disruption: false, reason: `${flight} is on schedule.`, ...facts };
  }
}

function delayed(
  data: FlightData,
  facts: BookingFacts,
  ctx: FlightContext,
  flight: string,
  why: string,
): FlightDecision {
  const minutes = data.delayMinutes;
  if (minutes === undefined) {
    return {
      disruption: false,
      reason: `${flight} is reported delayed${why} without a delay length; waiting for an update with delayMinutes.`,
      ...facts,
    };
  }
  const threshold = describeMinutes(ctx.delayThresholdMinutes);
  if (minutes <= ctx.delayThresholdMinutes) {
    return {
      disruption: false,
      reason: `${flight} is delayed by ${describeMinutes(minutes)}${why}, within the ${threshold} threshold.`,
      ...facts,
    };
  }
  const severity = FLIGHT_DELAY_SEVERITY.find((t) => minutes <= t.upTo)?.severity ?? "critical";
  return {
    disruption: true,
    kind: "flight_delayed",
    severity,
    delayMinutes: minutes,
    reason: `${flight} is delayed by ${describeMinutes(minutes)}${why}, past the ${threshold} threshold → ${severity}`,
    ...facts,
  };
}
