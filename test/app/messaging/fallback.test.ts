import { describe, expect, test } from "vitest";
import { classifyTwilioError } from "../../../src/messaging/errors.ts";
import { type ChannelReach, chooseChannel, sendWithFallback } from "../../../src/messaging/fallback.ts";

const reach = (channel: "email" | "sms", over: Partial<ChannelReach> = {}): ChannelReach => ({
  channel,
  contact: true,
  consent: true,
  optedOut: false,
  ...over,
});

describe("choosing a channel", () => {
  test("the preferred channel when usable, else the other, else the preferred one's reason", () => {
    expect(chooseChannel(reach("sms"), reach("email"))).toEqual({ send: "sms" });
    expect(chooseChannel(reach("sms", { contact: false }), reach("email"))).toEqual({ send: "email" });
    expect(chooseChannel(reach("sms", { consent: false }), reach("email", { contact: false }))).toEqual({
      skip: "no_consent",
    });
  });

  test("an opt-out is never routed around", () => {
    expect(chooseChannel(reach("sms", { optedOut: true }), reach("email"))).toEqual({ skip: "opted_out" });
  });
});

describe("falling back after a failed send", () => {
  const invalidNumber = classifyTwilioError(400, 21211, null);

  test("a permanent failure moves to the other channel when the customer has it and consented", () => {
    expect(sendWithFallback({ channel: "sms", error: invalidNumber }, reach("email"))).toEqual({ send: "email" });
  });

  test("no fallback without contact or consent on the other channel", () => {
    expect(sendWithFallback({ channel: "sms", error: invalidNumber }, reach("email", { contact: false }))).toEqual({
      skip: "no_contact",
    });
    expect(sendWithFallback({ channel: "sms", error: invalidNumber }, reach("email", { consent: false }))).toEqual({
      skip: "no_consent",
    });
  });

  test("STOP (21610) suppresses every channel", () => {
    const stop = classifyTwilioError(400, 21610, null);
    expect(sendWithFallback({ channel: "sms", error: stop }, reach("email"))).toEqual({ skip: "opted_out" });
  });

  test("a retryable failure stays on its channel", () => {
    const busy = classifyTwilioError(503, null, null);
    expect(sendWithFallback({ channel: "sms", error: busy }, reach("email"))).toEqual({ send: "sms" });
  });
});
