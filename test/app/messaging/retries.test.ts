import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProviderError, toStepError } from "../../../src/messaging/errors.ts";
import { ResendEmailSender } from "../../../src/messaging/resend.ts";
import { TwilioSmsSender } from "../../../src/messaging/twilio.ts";
import type { SendResult } from "../../../src/messaging/types.ts";
import { type FakeResend, startFakeResend } from "../../fakes/fake-resend.ts";
import { type FakeTwilio, startFakeTwilio } from "../../fakes/fake-twilio.ts";

/**
 * What the engine does with a step: run it, and on a retryable failure run it
 * again (after the asked-for wait) with the same idempotency key. Waits are
 * recorded, not slept.
 */
async function runAsStep(send: () => Promise<SendResult>, maxAttempts = 5) {
  const waits: (number | "backoff")[] = [];
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await send(), attempts: attempt, waits };
    } catch (err) {
      if (!(err instanceof ProviderError) || err.kind === "permanent" || attempt === maxAttempts) throw err;
      waits.push(err.kind === "retry_after" ? (err.retryAfterMs ?? 0) : "backoff");
    }
  }
}

let resend: FakeResend;
let twilio: FakeTwilio;
beforeAll(async () => {
  [resend, twilio] = await Promise.all([startFakeResend(), startFakeTwilio()]);
});
afterAll(() => Promise.all([resend.close(), twilio.close()]));

const email = { to: "ana@example.com", from: "m <m@x.y>", subject: "Sorry", html: "<p>Sorry</p>", text: "Sorry" };
const sms = { to: "+14155550100", body: "Sorry Ana." };

describe("a send retried as a step would be delivers exactly once", () => {
  test("email: 429 (retry-after 1), then 500, then 200 → one delivery, retry-after honoured", async () => {
    const sender = new ResendEmailSender({ apiKey: resend.apiKey, baseUrl: resend.url });
    resend.script([{ status: 429, retryAfter: 1 }, 500, 200]);
    const before = resend.deliveries.length;

    const run = await runAsStep(() => sender.send(email, { idempotencyKey: "run-7:apologise:email" }));

    expect(run.attempts).toBe(3);
    expect(run.waits).toEqual([1000, "backoff"]);
    expect(resend.deliveries.length - before).toBe(1);
    expect(run.result.providerId).toBe(resend.deliveries.at(-1)?.id);
    expect(resend.requests.slice(-3).map((r) => r.idempotencyKey)).toEqual(Array(3).fill("run-7:apologise:email"));
  });

  test("email: accepted but the answer is lost → the retry gets the same id, still one delivery", async () => {
    const sender = new ResendEmailSender({ apiKey: resend.apiKey, baseUrl: resend.url });
    resend.script([{ status: 200, drop: true }]);
    const before = resend.deliveries.length;

    const run = await runAsStep(() => sender.send(email, { idempotencyKey: "run-8:apologise:email" }));

    expect(run.attempts).toBe(2);
    expect(resend.deliveries.length - before).toBe(1);
    expect(run.result.providerId).toBe(resend.deliveries.at(-1)?.id);
  });

  test("sms: 429, then 500, then accepted-and-lost, then 201 → one delivery", async () => {
    const sender = new TwilioSmsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: "+15005550006",
      baseUrl: twilio.url,
    });
    twilio.script([{ status: 429, retryAfter: 1 }, 500, { status: 201, drop: true }]);
    const before = twilio.deliveries.length;

    const run = await runAsStep(() => sender.send(sms, { idempotencyKey: "run-9:apologise:sms" }));

    expect(run.attempts).toBe(4);
    expect(run.waits).toEqual([1000, "backoff", "backoff"]);
    expect(twilio.deliveries.length - before).toBe(1);
    expect(run.result.providerId).toBe(twilio.deliveries.at(-1)?.sid);
  });

  test("a permanent failure is not retried and becomes a NonRetriableError for the step", async () => {
    const sender = new TwilioSmsSender({
      accountSid: twilio.accountSid,
      authToken: twilio.authToken,
      from: "+15005550006",
      baseUrl: twilio.url,
    });
    twilio.failFor("+14155550111", 21635);
    const requestsBefore = twilio.requests.length;

    const err = await runAsStep(() =>
      sender.send({ ...sms, to: "+14155550111" }, { idempotencyKey: "k-landline" }),
    ).catch((e: unknown) => e);

    expect(twilio.requests.length - requestsBefore).toBe(1);
    expect(err).toBeInstanceOf(ProviderError);
    expect(toStepError(err as ProviderError).name).toBe("NonRetriableError");
  });
});
