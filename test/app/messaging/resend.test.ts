import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { ProviderError } from "../../../src/messaging/errors.ts";
import { ResendEmailSender } from "../../../src/messaging/resend.ts";
import type { EmailMessage } from "../../../src/messaging/types.ts";
import { type FakeResend, startFakeResend } from "../../fakes/fake-resend.ts";

let fake: FakeResend;
let sender: ResendEmailSender;

beforeAll(async () => {
  fake = await startFakeResend();
  sender = new ResendEmailSender({ apiKey: fake.apiKey, baseUrl: fake.url });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.deliveries.length = 0;
});

const apology: EmailMessage = {
  to: "ana@example.com",
  from: "makegood <recovery@makegood.local>",
  replyTo: "care@example.com",
  subject: "Your order is running late — we're sorry",
  html: "<p>Sorry, Ana.</p>",
  text: "Sorry, Ana.",
  tags: { disruption: "late_delivery" },
};

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("ResendEmailSender through the real SDK against a local fake", () => {
  test("sends the message as Resend expects it, with the idempotency key as a header", async () => {
    const result = await sender.send(apology, { idempotencyKey: "run-1:apologise:email" });

    expect(result).toEqual({ provider: "resend", providerId: fake.deliveries[0]?.id });
    const [req] = fake.requests;
    expect(req?.path).toBe("/emails");
    expect(req?.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    expect(req?.headers["idempotency-key"]).toBe("run-1:apologise:email");
    expect(req?.body).toEqual({
      from: apology.from,
      to: apology.to,
      subject: apology.subject,
      html: apology.html,
      text: apology.text,
      reply_to: "care@example.com",
      tags: [{ name: "disruption", value: "late_delivery" }],
    });
  });

  test("a repeat with the same key returns the first id and delivers nothing new", async () => {
    const first = await sender.send(apology, { idempotencyKey: "run-2:apologise:email" });
    const again = await sender.send(apology, { idempotencyKey: "run-2:apologise:email" });
    expect(again.providerId).toBe(first.providerId);
    expect(fake.requests).toHaveLength(2);
    expect(fake.deliveries).toHaveLength(1);
  });

  test("429 becomes retry_after with the provider's retry-after in milliseconds", async () => {
    fake.script([{ status: 429, retryAfter: 2 }]);
    const err = await failure(sender.send(apology, { idempotencyKey: "k-429" }));
    expect(err).toMatchObject({ provider: "resend", kind: "retry_after", retryAfterMs: 2000, status: 429 });
    expect(err.code).toBe("rate_limit_exceeded");
  });

  test("500 is retryable", async () => {
    fake.script([500]);
    const err = await failure(sender.send(apology, { idempotencyKey: "k-500" }));
    expect(err).toMatchObject({ kind: "retry", status: 500, code: "internal_server_error" });
  });

  test("a proxy's non-JSON 502 page is retryable", async () => {
    fake.script([{ status: 502, raw: "<html>Bad Gateway</html>" }]);
    const err = await failure(sender.send(apology, { idempotencyKey: "k-502" }));
    expect(err).toMatchObject({ kind: "retry", status: 502, code: "application_error" });
  });

  test("422 validation errors are permanent and say why", async () => {
    fake.script([{ status: 422, name: "validation_error", message: "Invalid `to` field." }]);
    const err = await failure(sender.send(apology, { idempotencyKey: "k-422" }));
    expect(err).toMatchObject({ kind: "permanent", status: 422, code: "validation_error" });
    expect(err.reason).toBe("Invalid `to` field.");
    expect(fake.deliveries).toHaveLength(0);
  });

  test("the same key with a different message is a permanent error (a bug, not a retry)", async () => {
    await sender.send(apology, { idempotencyKey: "k-reused" });
    const err = await failure(sender.send({ ...apology, subject: "Something else" }, { idempotencyKey: "k-reused" }));
    expect(err).toMatchObject({ kind: "permanent", status: 409, code: "invalid_idempotent_request" });
  });

  test("a wrong API key is permanent", async () => {
    const wrong = new ResendEmailSender({ apiKey: "re_wrong", baseUrl: fake.url });
    const err = await failure(wrong.send(apology, { idempotencyKey: "k-auth" }));
    expect(err).toMatchObject({ kind: "permanent", status: 403, code: "invalid_api_key" });
  });

  test("a provider that cannot be reached is retryable, not swallowed", async () => {
    const down = await startFakeResend();
    await down.close();
    const unreachable = new ResendEmailSender({ apiKey: "re_x", baseUrl: down.url });
    const err = await failure(unreachable.send(apology, { idempotencyKey: "k-down" }));
    expect(err).toMatchObject({ kind: "retry", status: null, code: "application_error" });
  });
});
