import { type ChannelChoice, type ChannelReach, channelChoice } from "../messaging/fallback.ts";
import type { Channel } from "../messaging/types.ts";

export interface CustomerReach {
  email: string | null;
  phone: string | null;
  preferredChannel: string;
  consentEmail: boolean;
  consentSms: boolean;
  smsOptedOut: boolean;
  /** Set when the customer marked one of our emails as spam. */
  emailSuppressedAt?: Date | null;
}

export function reachOf(customer: CustomerReach, channel: Channel): ChannelReach {
  return channel === "email"
    ? {
        channel,
        contact: Boolean(customer.email),
        consent: customer.consentEmail,
        optedOut: false,
        suppressed: Boolean(customer.emailSuppressedAt),
      }
    : { channel, contact: Boolean(customer.phone), consent: customer.consentSms, optedOut: customer.smsOptedOut };
}

/**
 * Which channels to use, each with the reason when one is skipped. "both" uses
 * every channel the customer can be reached on; a single preference falls back
 * to the other channel when the preferred one is unusable.
 */
export function planChannels(customer: CustomerReach): Array<{ channel: Channel; choice: ChannelChoice }> {
  const email = channelChoice(reachOf(customer, "email"));
  const sms = channelChoice(reachOf(customer, "sms"));
  if (customer.preferredChannel === "both")
    return [
      { channel: "email", choice: email },
      { channel: "sms", choice: sms },
    ];
  const [first, second] =
    customer.preferredChannel === "sms" ? (["sms", "email"] as const) : (["email", "sms"] as const);
  const choices = { email, sms };
  if ("send" in choices[first]) return [{ channel: first, choice: choices[first] }];
  return [
    { channel: first, choice: choices[first] },
    { channel: second, choice: choices[second] },
  ];
}
