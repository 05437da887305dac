import { z } from "zod";
import { IGNORED_REASONS } from "../recovery/outcome.ts";
import { AccountLead, ChannelPreference, Consent, CustomerTier, LocaleSchema } from "./schemas.ts";

/** Response bodies of the events and customers routes, for the OpenAPI document. */

export const IngestResultBody = z.object({
  accepted: z.array(z.string()).describe("Ids stored by this request and handed to the recovery engine"),
  duplicates: z
    .array(z.string())
    .describe("Ids already accepted before (same id, same body): answered again, nothing changed"),
});

const Instant = z.string().describe("ISO 8601 timestamp (UTC)");

export const DisruptionSummaryBody = z.object({
  id: z.string(),
  kind: z.string(),
  status: z.string(),
  severity: z.string(),
  detectedAt: Instant,
  firstMessageAt: Instant.nullable().describe("When the customer was first told; null if not yet"),
});

export const CustomerBody = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  phone: z.string().optional(),
  locale: LocaleSchema,
  timeZone: z.string(),
  tier: CustomerTier,
  preferredChannel: ChannelPreference,
  consent: Consent,
  accountLead: AccountLead.optional(),
  smsOptedOut: z.boolean().describe("The customer texted STOP; replacing the customer does not clear it"),
  emailSuppressed: z
    .boolean()
    .describe("The customer marked one of our emails as spam: no more email; replacing the customer does not clear it"),
  erasedAt: Instant.optional().describe(
    "When their personal data was erased (DELETE /api/customers/{customerId}); absent if never, or if a record was sent since",
  ),
  createdAt: Instant,
  updatedAt: Instant,
});

export const ErasureBody = z.object({
  customerId: z.string(),
  erasedAt: Instant.describe("The first erasure's time (a repeat answers the same)"),
  alreadyErased: z.boolean().describe("true when nothing personal was left to erase"),
  changed: z.record(z.string(), z.number().int()).describe("Rows changed per table by this request"),
});

export const CustomerWithHistoryBody = CustomerBody.extend({
  disruptions: z.array(DisruptionSummaryBody).describe("Newest first, at most 200"),
});

const DisruptionIds = (what: string) => z.array(z.string()).describe(what);

export const IgnoredPartBody = z.object({
  reason: z
    .enum(IGNORED_REASONS)
    .describe(
      "unknown_customer: no customer record yet (a booking, order or deliverable is held until it arrives); not_late; on_schedule; within_threshold; no_delay_length: a delay without delayMinutes; no_change: an open disruption already says as much; nothing_open: nothing to resolve; complaint_unmatched: recorded, matches no disruption",
    ),
  detail: z.string().describe("A sentence for people"),
  customerId: z.string().optional(),
  orderId: z.string().optional(),
  bookingRef: z.string().optional(),
  deliverableId: z.string().optional(),
  disruptionId: z.string().optional().describe("no_change: the open disruption that already covers it"),
  hold: z
    .object({
      status: z
        .enum(["held", "released", "superseded", "expired"])
        .describe(
          "held: waiting for the customer's record; released: the record arrived and the part was decided; superseded: a later event about the same subject, its customer known, was decided instead; expired: the record did not arrive in time",
        ),
      until: Instant.describe("The customer's record releases the part if it arrives before then"),
      releasedAt: Instant.optional().describe("When it was released or superseded"),
      supersededBy: z.string().optional().describe("The later event's id"),
      opened: DisruptionIds("Disruptions the release opened").optional(),
      updated: DisruptionIds("Disruptions the release updated").optional(),
    })
    .optional()
    .describe("unknown_customer with a booking, order or deliverable"),
});

export const EventOutcomeBody = z.object({
  id: z.string().describe("The sender's event id"),
  type: z.string(),
  occurredAt: Instant,
  receivedAt: Instant,
  status: z.enum(["pending", "processed"]).describe("pending: accepted, not decided yet; outcome is null"),
  outcome: z
    .object({
      opened: DisruptionIds("Disruptions this event opened (a recovery starts for each)"),
      updated: DisruptionIds("Open disruptions it changed, or a complaint was attached to"),
      resolved: DisruptionIds("Disruptions it resolved"),
      superseded: DisruptionIds("Disruptions replaced by a new one of a graver kind"),
      ignored: z.array(IgnoredPartBody).describe("Every part of the event not acted on, with the reason"),
    })
    .nullable(),
});
