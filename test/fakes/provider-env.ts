import type { FakeResend } from "./fake-resend.ts";
import type { FakeTwilio } from "./fake-twilio.ts";

/** The environment that points the real Resend SDK and Twilio client at the local fakes. */
export function providerEnv(resend: FakeResend, twilio: FakeTwilio): Record<string, string> {
  return {
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    TWILIO_ACCOUNT_SID: twilio.accountSid,
    TWILIO_AUTH_TOKEN: twilio.authToken,
    TWILIO_FROM: "+15005550006",
    TWILIO_BASE_URL: twilio.url,
  };
}
