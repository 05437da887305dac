import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { isOptOut, ProviderError } from "../../../src/messaging/errors.ts";
import { TwilioSmsSender } from "../../../src/messaging/twilio.ts";
import { type FakeTwilio, startFakeTwilio } from "../../fakes/fake-twilio.ts";

let fake: FakeTwilio;
let sender: TwilioSmsSender;

beforeAll(async () => {
  fake = await startFakeTwilio();
  sender = new TwilioSmsSender({
    accountSid: fake.accountSid,
    authToken: fake.authToken,
    from: "+15005550006",
    baseUrl: fake.url,
  });
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.deliveries.length = 0;
});

const text = { to: "+14155550100", body: "Sorry Ana — your parcel is late. Reply STOP to opt out." };

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe("TwilioSmsSender against a local fake of the Messages API", () => {
  test("posts a form body with Basic auth and the idempotency token", async () => {
    const result = await sender.send(text, { idempotencyKey: "run-1:apologise:sms" });

    expect(result.provider).toBe("twilio");
    expect(result.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    const [req] = fake.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages.json`);
    expect(req?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req?.headers.authorization).toBe(
      `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64")}`,
    );
    expect(req?.headers["i-twilio-idempotency-token"]).toBe("run-1:apologise:sms");
    expect(req?.body).toEqual({ To: text.to, Body: text.body, From: "+15005550006" });
    expect(fake.deliveries).toMatchObject([{ to: text.to, body: text.body, sid: result.providerId }]);
  });

  test("a Messaging Service SID is sent as MessagingServiceSid, not From", async () => {
    const service = `MG${"a".repeat(32)}`;
    const viaService = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: service,
      baseUrl: fake.url,
    });
    await viaService.send(text, { idempotencyKey: "k-mg" });
    expect(fake.requests[0]?.body).toEqual({ To: text.to, Body: text.body, MessagingServiceSid: service });
  });

  test.each([
    [21211, "permanent"],
    [21610, "permanent"],
    [21614, "permanent"],
    [21635, "permanent"],
    [30006, "permanent"],
    [30003, "retry"],
  ] as const)("Twilio error %i is %s", async (code, kind) => {
    const to = `+1415555${String(code).slice(-4)}`;
    fake.failFor(to, code);
    const err = await failure(sender.send({ ...text, to }, { idempotencyKey: `k-${code}` }));
    expect(err).toMatchObject({ provider: "twilio", kind, code: String(code), status: 400 });
    expect(err.reason.length).toBeGreaterThan(10);
    expect(fake.deliveries).toHaveLength(0);
  });

  test("opted-out recipients are recognisable, so every channel can be suppressed", async () => {
    fake.failFor("+14155559999", 21610);
    const err = await failure(sender.send({ ...text, to: "+14155559999" }, { idempotencyKey: "k-stop" }));
    expect(isOptOut(err)).toBe(true);
  });

  test("429 honours Retry-After; 503 is retryable; wrong credentials are permanent", async () => {
    fake.script([{ status: 429, retryAfter: 3 }, 503]);
    expect(await failure(sender.send(text, { idempotencyKey: "k-a" }))).toMatchObject({
      kind: "retry_after",
      retryAfterMs: 3000,
      code: "20429",
    });
    expect(await failure(sender.send(text, { idempotencyKey: "k-b" }))).toMatchObject({ kind: "retry", status: 503 });

    const wrong = new TwilioSmsSender({
      accountSid: fake.accountSid,
      authToken: "nope",
      from: "+15005550006",
      baseUrl: fake.url,
    });
    expect(await failure(wrong.send(text, { idempotencyKey: "k-c" }))).toMatchObject({
      kind: "permanent",
      status: 401,
      code: "20003",
    });
  });

  test("a timeout or refused connection is retryable", async () => {
    const down = await startFakeTwilio();
    await down.close();
    const unreachable = new TwilioSmsSender({
      accountSid: down.accountSid,
      authToken: "t",
      from: "+15005550006",
      baseUrl: down.url,
    });
    const err = await failure(unreachable.send(text, { idempotencyKey: "k-down" }));
    expect(err).toMatchObject({ kind: "retry", status: null, code: "network_error" });
    expect(err.cause).toBeDefined();
  });
});
