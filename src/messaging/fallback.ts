import { isOptOut, type ProviderError } from "./errors.ts";
import type { Channel } from "./types.ts";

/** Expected outcomes are values: either a channel to send on, or why nobody is messaged. */
export type SkipReason = "opted_out" | "spam_complaint" | "no_contact" | "no_consent";
export type ChannelChoice = { send: Channel } | { skip: SkipReason };

/** What we know about one of the customer's channels. */
export interface ChannelReach {
  channel: Channel;
  /** The customer has an address / number for it. */
  contact: boolean;
  /** The customer agreed to be contacted on it. */
  consent: boolean;
  /** The customer opted out (STOP, unsubscribe). */
  optedOut: boolean;
  /** Email only: the customer marked one of our emails as spam. Unlike STOP, it says nothing about the other channel. */
  suppressed?: boolean;
}

/** The attempt that just failed, with its `ProviderError` (or the fields of one kept in the database). */
export interface FailedAttempt {
  channel: Channel;
  error: Pick<ProviderError, "kind" | "provider" | "code">;
}

/** May we use this channel at all? */
export function channelChoice(reach: ChannelReach): ChannelChoice {
  if (reach.optedOut) return { skip: "opted_out" };
  if (reach.suppressed) return { skip: "spam_complaint" };
  if (!reach.contact) return { skip: "no_contact" };
  if (!reach.consent) return { skip: "no_consent" };
  return { send: reach.channel };
}

/** First choice: the preferred channel if usable, else the other, else the preferred one's reason. */
export function chooseChannel(preferred: ChannelReach, other: ChannelReach): ChannelChoice {
  const first = channelChoice(preferred);
  if ("send" in first) return first;
  if (first.skip === "opted_out") return first; // an opt-out is the customer's word on every channel
  const second = channelChoice(other);
  return "send" in second ? second : first;
}

/**
 * After a send failed on `primary`: a retryable failure stays on the same
 * channel (the step retries it); a permanent one moves to `secondary` if the
 * customer can be reached there. An opt-out (STOP) is never routed around.
 */
export function sendWithFallback(primary: FailedAttempt, secondary: ChannelReach): ChannelChoice {
  if (primary.error.kind !== "permanent") return { send: primary.channel };
  if (isOptOut(primary.error)) return { skip: "opted_out" };
  if (secondary.channel === primary.channel) return { skip: "no_contact" };
  return channelChoice(secondary);
}
