/**
 * The messaging vocabulary: what a sender is asked to deliver and what it
 * answers. Providers sit behind these two interfaces; config picks the real
 * one (Resend, Twilio) or the local outbox.
 */

export type Channel = "email" | "sms";

export interface EmailMessage {
  to: string;
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  /** Provider tags (Resend: ASCII letters, digits, `_` and `-` only). */
  tags?: Record<string, string>;
}

export interface SmsMessage {
  /** E.164, e.g. +14155550100. */
  to: string;
  body: string;
}

export interface SendResult {
  providerId: string;
  provider: "resend" | "twilio" | "outbox";
}

/**
 * A send must be safe to repeat: the same idempotency key (built from run,
 * step and channel, never random) yields one delivery however often a step
 * retries. Failures are thrown as `ProviderError`, never swallowed.
 */
export interface SendOptions {
  idempotencyKey: string;
}

export interface EmailSender {
  send(msg: EmailMessage, opts: SendOptions): Promise<SendResult>;
}

export interface SmsSender {
  send(msg: SmsMessage, opts: SendOptions): Promise<SendResult>;
}
