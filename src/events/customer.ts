import { z } from "zod";
import { Email, LocaleSchema, PhoneE164, TimeZone } from "./fields.ts";
import { humanText, identifier, rejectForbiddenKeys } from "./safe-text.ts";

/** `{customerId}` in `/api/customers/{customerId}` and `customerId` in event data. */
export const CustomerId = identifier(256);

export const CUSTOMER_TIERS = ["standard", "valued", "vip"] as const;
export const CHANNEL_PREFERENCES = ["email", "sms", "both"] as const;

export const CustomerTier = z.enum(CUSTOMER_TIERS, { error: `must be one of ${CUSTOMER_TIERS.join(", ")}` });
export const ChannelPreference = z.enum(CHANNEL_PREFERENCES, {
  error: `must be one of ${CHANNEL_PREFERENCES.join(", ")}`,
});

/** A person's name: one line, plain text (it ends up in email headers and greetings). */
const PersonName = humanText(200);

export const AccountLead = z.strictObject({ name: PersonName, email: Email });

export const Consent = z.strictObject({
  email: z.boolean({ error: "must be true or false" }),
  sms: z.boolean({ error: "must be true or false" }),
});

const CustomerFields = z
  .strictObject({
    name: PersonName,
    email: Email,
    /** Optional for email-only customers; required when SMS is the preferred channel. */
    phone: PhoneE164.optional(),
    locale: LocaleSchema,
    timeZone: TimeZone,
    tier: CustomerTier,
    preferredChannel: ChannelPreference,
    consent: Consent,
    accountLead: AccountLead.optional(),
  })
  .superRefine((c, ctx) => {
    if (c.preferredChannel !== "email" && c.phone === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["phone"],
        message: `is required when preferredChannel is "${c.preferredChannel}"`,
      });
    }
  });

/**
 * `PUT /api/customers/{customerId}` body, and `customer` next to a
 * `customerId` in an event. Strict: unknown fields are rejected.
 */
export const CustomerInput = rejectForbiddenKeys(CustomerFields);

export type CustomerInput = z.infer<typeof CustomerInput>;
export type CustomerTier = z.infer<typeof CustomerTier>;
export type ChannelPreference = z.infer<typeof ChannelPreference>;
export type AccountLead = z.infer<typeof AccountLead>;
export type Consent = z.infer<typeof Consent>;
