import { Resend } from "resend";
import { classifyResendError } from "./errors.ts";
import type { EmailMessage, EmailSender, SendOptions, SendResult } from "./types.ts";

export interface ResendConfig {
  apiKey: string;
  /** Defaults to https://api.resend.com. Always passed explicitly so the SDK never reads RESEND_BASE_URL itself. */
  baseUrl?: string;
}

export const RESEND_DEFAULT_BASE_URL = "https://api.resend.com";

/**
 * Email through the Resend SDK. The SDK returns `{ error }` instead of
 * throwing; this adapter turns every such answer into a `ProviderError`.
 * Resend keeps an `Idempotency-Key` for 24 h: a repeat with the same key
 * returns the first email's id and sends nothing.
 */
export class ResendEmailSender implements EmailSender {
  readonly #client: Resend;

  constructor(cfg: ResendConfig) {
    this.#client = new Resend(cfg.apiKey, { baseUrl: cfg.baseUrl ?? RESEND_DEFAULT_BASE_URL });
  }

  async send(msg: EmailMessage, opts: SendOptions): Promise<SendResult> {
    const { data, error, headers } = await this.#client.emails.send(
      {
        from: msg.from,
        to: msg.to,
        subject: msg.subject,
        html: msg.html,
        text: msg.text,
        ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
        ...(msg.tags ? { tags: Object.entries(msg.tags).map(([name, value]) => ({ name, value })) } : {}),
      },
      { idempotencyKey: opts.idempotencyKey },
    );
    if (error) {
      // The SDK passes Resend's JSON error body ({ statusCode, name, message }) through as is, so a
      // foreign JSON body (a proxy's) may lack fields; a non-JSON body becomes application_error + status.
      throw classifyResendError(error.statusCode, error.name || "unknown_error", headers, error.message);
    }
    if (!data?.id) {
      throw classifyResendError(null, "application_error", headers, "Resend accepted the email but returned no id.");
    }
    return { providerId: data.id, provider: "resend" };
  }
}
