import type { MessagingConfig } from "./config.ts";
import { OutboxEmailSender, OutboxSmsSender, type OutboxStore } from "./outbox.ts";
import { ResendEmailSender } from "./resend.ts";
import { TwilioSmsSender } from "./twilio.ts";
import type { EmailSender, SmsSender } from "./types.ts";

export { loadMessagingConfig, MessagingConfig } from "./config.ts";
export * from "./errors.ts";
export * from "./fallback.ts";
export * from "./outbox.ts";
export * from "./resend.ts";
export * from "./twilio.ts";
export type * from "./types.ts";
export * from "./webhooks.ts";

/** Resend when RESEND_API_KEY is set, else the outbox. */
export const emailSenderFrom = (cfg: MessagingConfig, outbox: OutboxStore): EmailSender =>
  cfg.resend ? new ResendEmailSender(cfg.resend) : new OutboxEmailSender(outbox);

/** Twilio when its account, token and sender are set, else the outbox. */
export const smsSenderFrom = (cfg: MessagingConfig, outbox: OutboxStore): SmsSender =>
  cfg.twilio ? new TwilioSmsSender(cfg.twilio) : new OutboxSmsSender(outbox);
