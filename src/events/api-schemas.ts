import { z } from "zod";
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
  createdAt: Instant,
  updatedAt: Instant,
});

export const CustomerWithHistoryBody = CustomerBody.extend({
  disruptions: z.array(DisruptionSummaryBody).describe("Newest first, at most 200"),
});
