import { expect, test } from "vitest";
import { planChannels } from "../../../src/recovery/channels.ts";

const customer = {
  email: "ada@example.com",
  phone: "+447911123456",
  preferredChannel: "both",
  consentEmail: true,
  consentSms: true,
  smsOptedOut: false,
};

test("'both' sends on every channel the customer can be reached on", () => {
  expect(planChannels(customer)).toEqual([
    { channel: "email", choice: { send: "email" } },
    { channel: "sms", choice: { send: "sms" } },
  ]);
});

test("no SMS consent or an opt-out skips SMS with the reason", () => {
  expect(planChannels({ ...customer, consentSms: false })[1]).toEqual({
    channel: "sms",
    choice: { skip: "no_consent" },
  });
  expect(planChannels({ ...customer, smsOptedOut: true })[1]).toEqual({
    channel: "sms",
    choice: { skip: "opted_out" },
  });
});

test("a single preference falls back to the other channel only when the preferred one is unusable", () => {
  expect(planChannels({ ...customer, preferredChannel: "sms" })).toEqual([{ channel: "sms", choice: { send: "sms" } }]);
  expect(planChannels({ ...customer, preferredChannel: "sms", phone: null })).toEqual([
    { channel: "sms", choice: { skip: "no_contact" } },
    { channel: "email", choice: { send: "email" } },
  ]);
});
