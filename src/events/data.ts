import { z } from "zod";
import { REASON_CODES } from "../locale/reason-phrases.ts";
import { CustomerId, CustomerInput } from "./customer.ts";
import { HttpUrl, Instant, LocalDate, TimeZone } from "./fields.ts";
import { CurrencyCode, OrderValue } from "./money.ts";
import { humanText, identifier, singleLine } from "./safe-text.ts";

/**
 * The `data` of each event type (API.md, "Events"). Strict objects: a field
 * we do not know is an error, not something silently dropped. Fields beyond
 * API.md are additive: `orderValue` on ETA updates, `currency` and `customer`
 * on flight bookings.
 *
 * `past` is the schema for instants that must already have happened
 * (delivered, corrected, received); it carries the injectable clock.
 */

export const FLIGHT_STATUSES = ["scheduled", "delayed", "cancelled", "diverted", "departed"] as const;
export const ISSUE_SEVERITIES = ["minor", "major", "critical"] as const;

/** Upper bounds that keep one event a reasonable size. */
export const LIMITS = {
  items: 100,
  bookings: 1000,
  issues: 100,
  /** One week: a longer "delay" is a cancellation in all but name. */
  flightDelayMinutes: 7 * 24 * 60,
} as const;

const OrderId = identifier(256);
const BookingRef = identifier(64);
const DeliverableId = identifier(256);
const FlightNumber = z
  .string()
  .regex(/^[A-Z0-9]{2,3} ?\d{1,4}[A-Z]?$/, "must be a flight number like BA123 or EZY 8123");

/**
 * Why something happened, as the ops system tells it. Quoted to a customer only when it is written in
 * the customer's language (the locale checker's heuristic); otherwise the message uses `reasonCode`'s
 * phrase in that language, or gives no reason.
 */
const Reason = humanText(500).describe(
  "Why, in words; quoted to a customer only when written in the customer's language, else reasonCode's phrase is used",
);
/** Why something happened, as a documented code with a phrase in every language (src/locale/reason-phrases.ts). */
const ReasonCode = z
  .enum(REASON_CODES, { error: `must be one of ${REASON_CODES.join(", ")}` })
  .describe(`Why, as a code: the message gives its phrase in the customer's language (${REASON_CODES.join(", ")})`);

export function eventDataSchemas(past: z.ZodType<string>) {
  const ShipmentEtaUpdatedData = z.strictObject({
    orderId: OrderId,
    customerId: CustomerId,
    promisedBy: Instant,
    newEta: Instant,
    carrier: singleLine(100).optional(),
    reason: Reason.optional(),
    reasonCode: ReasonCode.optional(),
    trackingUrl: HttpUrl.optional(),
    important: z.boolean({ error: "must be true or false" }).optional(),
    items: z
      .array(z.strictObject({ sku: identifier(128), name: humanText(200) }))
      .max(LIMITS.items, `must have at most ${LIMITS.items} items`)
      .optional(),
    orderValue: OrderValue.optional(),
  });

  const ShipmentDeliveredData = z.strictObject({ orderId: OrderId, deliveredAt: past });

  const Booking = z.strictObject({
    bookingRef: BookingRef,
    customerId: CustomerId,
    rebookedFlight: z
      .strictObject({ flightNumber: FlightNumber, departsAt: Instant, departureTimeZone: TimeZone.optional() })
      .optional(),
    currency: CurrencyCode.optional(),
    customer: CustomerInput.optional(),
  });

  const FlightStatusChangedData = z.strictObject({
    flightNumber: FlightNumber,
    date: LocalDate,
    status: z.enum(FLIGHT_STATUSES, { error: `must be one of ${FLIGHT_STATUSES.join(", ")}` }),
    delayMinutes: z
      .number({ error: "must be a whole number of minutes" })
      .int("must be a whole number of minutes")
      .min(0, "must not be negative")
      .max(LIMITS.flightDelayMinutes, `must be at most ${LIMITS.flightDelayMinutes}`)
      .optional(),
    reason: Reason.optional(),
    reasonCode: ReasonCode.optional(),
    /** Added to API.md's contract (fields may be added): what the passenger reads in the message. */
    origin: singleLine(100).optional(),
    destination: singleLine(100).optional(),
    departsAt: Instant.optional(),
    /** The departure airport's IANA zone: flight times are shown in it. Without it, a known airport's
     * (an IATA code or name in `origin`, see src/recovery/airports.ts), else the time names its UTC offset. */
    departureTimeZone: TimeZone.optional(),
    rebookingUrl: HttpUrl.optional(),
    bookings: z
      .array(Booking)
      .max(LIMITS.bookings, `must have at most ${LIMITS.bookings} bookings`)
      .superRefine((bookings, ctx) => {
        const seen = new Set<string>();
        bookings.forEach((b, i) => {
          if (seen.has(b.bookingRef)) {
            ctx.addIssue({
              code: "custom",
              path: [i, "bookingRef"],
              message: `duplicate booking reference "${b.bookingRef}" (one entry per booking)`,
            });
          }
          seen.add(b.bookingRef);
        });
      }),
  });

  const DeliverableQaFailedData = z.strictObject({
    deliverableId: DeliverableId,
    customerId: CustomerId,
    title: humanText(300),
    deliveredAt: past,
    issues: z
      .array(
        z.strictObject({
          summary: humanText(1000),
          severity: z.enum(ISSUE_SEVERITIES, { error: `must be one of ${ISSUE_SEVERITIES.join(", ")}` }),
        }),
      )
      .min(1, "must list at least one issue")
      .max(LIMITS.issues, `must have at most ${LIMITS.issues} issues`),
    reasonCode: ReasonCode.optional(),
  });

  const DeliverableCorrectedData = z.strictObject({
    deliverableId: DeliverableId,
    correctedAt: past,
    note: humanText(2000, { multiline: true }).optional(),
  });

  const CustomerComplaintReceivedData = z.strictObject({
    customerId: CustomerId,
    /** An orderId, bookingRef or deliverableId. */
    reference: identifier(256).optional(),
    channel: singleLine(64),
    receivedAt: past,
    text: humanText(5000, { multiline: true }).optional(),
  });

  return {
    "shipment.eta_updated": ShipmentEtaUpdatedData,
    "shipment.delivered": ShipmentDeliveredData,
    "flight.status_changed": FlightStatusChangedData,
    "deliverable.qa_failed": DeliverableQaFailedData,
    "deliverable.corrected": DeliverableCorrectedData,
    "customer.complaint_received": CustomerComplaintReceivedData,
  } as const;
}
