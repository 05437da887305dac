import { describe, expect, test } from "vitest";
import { ConfigError } from "../../../src/config.ts";
import {
  emailSenderFrom,
  loadMessagingConfig,
  MemoryOutboxStore,
  OutboxEmailSender,
  OutboxSmsSender,
  ResendEmailSender,
  smsSenderFrom,
  TwilioSmsSender,
} from "../../../src/messaging/index.ts";

const at = new Date("2025-03-01T10:00:00Z");
const email = { to: "ana@example.com", from: "x <x@y.z>", subject: "Sorry", html: "<p>Sorry</p>", text: "Sorry" };

describe("the outbox stands in for providers and is idempotent on the key", () => {
  test("a second send with the same key returns the first id and stores nothing new", async () => {
    const store = new MemoryOutboxStore();
    const sender = new OutboxEmailSender(store, () => at);
    const first = await sender.send(email, { idempotencyKey: "run-1:apologise:email" });
    const again = await sender.send(email, { idempotencyKey: "run-1:apologise:email" });

    expect(first.provider).toBe("outbox");
    expect(again.providerId).toBe(first.providerId);
    expect(store.entries()).toEqual([
      {
        id: first.providerId,
        channel: "email",
        idempotencyKey: "run-1:apologise:email",
        to: "ana@example.com",
        subject: "Sorry",
        html: "<p>Sorry</p>",
        text: "Sorry",
        createdAt: at,
      },
    ]);
  });

  test("concurrent sends with one key store one entry; different keys store one each", async () => {
    const store = new MemoryOutboxStore();
    const sms = new OutboxSmsSender(store, () => at);
    const msg = { to: "+14155550100", body: "Sorry" };
    const results = await Promise.all([1, 2, 3].map(() => sms.send(msg, { idempotencyKey: "k" })));
    await sms.send(msg, { idempotencyKey: "other" });

    expect(new Set(results.map((r) => r.providerId)).size).toBe(1);
    expect(store.entries().map((e) => [e.channel, e.idempotencyKey, e.body])).toEqual([
      ["sms", "k", "Sorry"],
      ["sms", "other", "Sorry"],
    ]);
  });
});

describe("config picks the real provider only when its keys are set", () => {
  test("without keys both channels go to the outbox, with the default sender address", () => {
    const cfg = loadMessagingConfig({ RESEND_API_KEY: "", TWILIO_ACCOUNT_SID: "  " });
    expect(cfg.emailFrom).toBe("makegood <recovery@makegood.local>");
    const store = new MemoryOutboxStore();
    expect(emailSenderFrom(cfg, store)).toBeInstanceOf(OutboxEmailSender);
    expect(smsSenderFrom(cfg, store)).toBeInstanceOf(OutboxSmsSender);
  });

  test("with keys, Resend and Twilio", () => {
    const cfg = loadMessagingConfig({
      RESEND_API_KEY: "re_123",
      RESEND_BASE_URL: "http://127.0.0.1:9",
      EMAIL_FROM: "Shop <care@shop.example>",
      TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+15005550006",
    });
    expect(cfg.resend).toEqual({ apiKey: "re_123", baseUrl: "http://127.0.0.1:9" });
    expect(cfg.twilio).toMatchObject({ from: "+15005550006", baseUrl: undefined });
    const store = new MemoryOutboxStore();
    expect(emailSenderFrom(cfg, store)).toBeInstanceOf(ResendEmailSender);
    expect(smsSenderFrom(cfg, store)).toBeInstanceOf(TwilioSmsSender);
  });

  test("half a Twilio setup fails loudly, naming the missing variables", () => {
    expect(() => loadMessagingConfig({ TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}` })).toThrow(ConfigError);
    expect(() => loadMessagingConfig({ TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}` })).toThrow(
      /TWILIO_AUTH_TOKEN.*TWILIO_FROM/,
    );
  });

  test("malformed values name their variable", () => {
    expect(() => loadMessagingConfig({ RESEND_BASE_URL: "not a url" })).toThrow(/RESEND_BASE_URL/);
    expect(() => loadMessagingConfig({ EMAIL_FROM: "a@b.c\r\nBcc: evil@x.y" })).toThrow(/EMAIL_FROM/);
    expect(() =>
      loadMessagingConfig({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t", TWILIO_FROM: "+15005550006" }),
    ).toThrow(/TWILIO_ACCOUNT_SID/);
    expect(() =>
      loadMessagingConfig({
        TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
        TWILIO_AUTH_TOKEN: "t",
        TWILIO_FROM: "555-1234",
      }),
    ).toThrow(/TWILIO_FROM/);
  });
});
