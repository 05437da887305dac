import { classifyTwilioError } from "./errors.ts";
import type { SendOptions, SendResult, SmsMessage, SmsSender } from "./types.ts";

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** An E.164 sender number, or a Messaging Service SID (`MG…`). */
  from: string;
  /** Defaults to https://api.twilio.com. */
  baseUrl?: string;
  /** Abort a request that has not answered after this long (default 15 s); counts as retryable. */
  timeoutMs?: number;
  /** Injected fetch (defaults to the global one). */
  fetch?: typeof fetch;
  /** Where Twilio reports the message's status (`/webhooks/twilio/status` on the public origin); unset → no reports. */
  statusCallback?: string;
}

export const TWILIO_DEFAULT_BASE_URL = "https://api.twilio.com";

const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

interface TwilioErrorBody {
  code?: number;
  message?: string;
  status?: number;
}

/**
 * SMS over Twilio's REST API with plain `fetch` (the `twilio` package is
 * Node-only). The idempotency key goes out as `I-Twilio-Idempotency-Token`;
 * every non-2xx answer or network failure is thrown as a `ProviderError`.
 */
export class TwilioSmsSender implements SmsSender {
  readonly #url: string;
  readonly #auth: string;
  readonly #from: string;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #statusCallback: string | undefined;

  constructor(cfg: TwilioConfig) {
    const base = (cfg.baseUrl ?? TWILIO_DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.#url = `${base}/2010-04-01/Accounts/${encodeURIComponent(cfg.accountSid)}/Messages.json`;
    this.#auth = `Basic ${btoa(`${cfg.accountSid}:${cfg.authToken}`)}`;
    this.#from = cfg.from;
    this.#timeoutMs = cfg.timeoutMs ?? 15_000;
    this.#fetch = cfg.fetch ?? ((input, init) => fetch(input, init));
    this.#statusCallback = cfg.statusCallback;
  }

  async send(msg: SmsMessage, opts: SendOptions): Promise<SendResult> {
    const form = new URLSearchParams({ To: msg.to, Body: msg.body });
    form.set(MESSAGING_SERVICE_SID.test(this.#from) ? "MessagingServiceSid" : "From", this.#from);
    if (this.#statusCallback) form.set("StatusCallback", this.#statusCallback);

    let res: Response;
    try {
      res = await this.#fetch(this.#url, {
        method: "POST",
        headers: {
          authorization: this.#auth,
          "content-type": "application/x-www-form-urlencoded",
          accept: "application/json",
          "i-twilio-idempotency-token": opts.idempotencyKey,
        },
        body: form.toString(),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (cause) {
      const what = cause instanceof Error ? cause.message : String(cause);
      throw classifyTwilioError(null, null, null, `Twilio could not be reached: ${what}`, cause);
    }

    const text = await res.text().catch(() => "");
    const body = parseJson(text);
    if (!res.ok) {
      const err = (body ?? {}) as TwilioErrorBody;
      throw classifyTwilioError(res.status, typeof err.code === "number" ? err.code : null, res.headers, err.message);
    }
    const sid = (body as { sid?: unknown } | undefined)?.sid;
    if (typeof sid !== "string") {
      throw classifyTwilioError(null, null, res.headers, "Twilio answered 2xx without a message sid.");
    }
    return { providerId: sid, provider: "twilio" };
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
