import { type RecordedRequest, type Reply, startHttpFake } from "./http-fake.ts";

/**
 * A local stand-in for api.twilio.com's Messages resource:
 * `POST /2010-04-01/Accounts/{sid}/Messages.json` with Basic auth and a form
 * body answers 201 `{ sid, status: "queued", … }`; errors look like
 * Twilio's (`{ code, message, more_info, status }`). The
 * `I-Twilio-Idempotency-Token` header is honoured: a token seen before gets
 * the first sid back and is not delivered again.
 */
export interface TwilioDelivery {
  sid: string;
  idempotencyKey?: string;
  to: string;
  from?: string;
  messagingServiceSid?: string;
  body: string;
  /** `performance.now()` when the fake accepted the message (benchmarks measure time to notify with it). */
  receivedAt: number;
}

export type TwilioStep =
  | number
  | {
      status: number;
      /** Twilio error code, e.g. 20429, 21610. */
      code?: number;
      message?: string;
      /** Seconds, sent as `Retry-After`. */
      retryAfter?: number;
      /** 2xx only: deliver, then cut the connection before answering. */
      drop?: boolean;
    };

export interface FakeTwilio {
  url: string;
  accountSid: string;
  authToken: string;
  requests: RecordedRequest[];
  deliveries: TwilioDelivery[];
  /** The next message requests get these answers, in order; then normal behaviour resumes. */
  script(steps: TwilioStep[]): void;
  /** Every message to `to` fails with this Twilio code (HTTP 400 unless told). */
  failFor(to: string, code: number, status?: number): void;
  close(): Promise<void>;
}

const MESSAGES: Record<number, string> = {
  20003: "Authenticate",
  20429: "Too Many Requests",
  21211: "Invalid 'To' Phone Number",
  21602: "Message body is required.",
  21603: "A 'From' or 'MessagingServiceSid' parameter is required to send a message",
  21604: "A 'To' phone number is required.",
  21610: "Attempt to send to unsubscribed recipient",
  21614: "'To' number is not a valid mobile number",
  21635: "'To' number cannot be a landline",
};

const hex = (n: number) =>
  Array.from(crypto.getRandomValues(new Uint8Array(n / 2)), (b) => b.toString(16).padStart(2, "0")).join("");

export async function startFakeTwilio(opts: { accountSid?: string; authToken?: string } = {}): Promise<FakeTwilio> {
  const accountSid = opts.accountSid ?? `AC${"0".repeat(31)}1`;
  const authToken = opts.authToken ?? "fake-twilio-auth-token";
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
  const path = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const requests: RecordedRequest[] = [];
  const deliveries: TwilioDelivery[] = [];
  const steps: TwilioStep[] = [];
  const failures = new Map<string, { code: number; status: number }>();
  const byKey = new Map<string, TwilioDelivery>();

  const error = (status: number, code?: number, message?: string, headers?: Record<string, string>): Reply => ({
    status,
    body: {
      code: code ?? null,
      message: message ?? (code ? MESSAGES[code] : undefined) ?? `fake Twilio answered ${status}`,
      more_info: code ? `https://www.twilio.com/docs/errors/${code}` : null,
      status,
    },
    ...(headers ? { headers } : {}),
  });
  const created = (d: TwilioDelivery, drop: boolean): Reply => ({
    status: 201,
    drop,
    body: {
      sid: d.sid,
      account_sid: accountSid,
      status: "queued",
      to: d.to,
      from: d.from ?? null,
      messaging_service_sid: d.messagingServiceSid ?? null,
      body: d.body,
      date_created: new Date().toUTCString(),
    },
  });

  const running = await startHttpFake(requests, (req) => {
    if (req.method !== "POST" || !req.path.endsWith("/Messages.json")) return error(404, 20404, "Not Found");
    if (req.path !== path || req.headers.authorization !== expectedAuth) return error(401, 20003);

    const step = steps.shift();
    let drop = false;
    if (step !== undefined) {
      const s = typeof step === "number" ? { status: step } : step;
      if (s.status >= 300) {
        const code = s.code ?? (s.status === 429 ? 20429 : undefined);
        const headers = s.retryAfter === undefined ? undefined : { "retry-after": String(s.retryAfter) };
        return error(s.status, code, s.message, headers);
      }
      drop = s.drop === true;
    }

    const form = (req.body ?? {}) as Record<string, string | undefined>;
    if (!form.To) return error(400, 21604);
    if (!form.Body) return error(400, 21602);
    if (!form.From && !form.MessagingServiceSid) return error(400, 21603);
    const failure = failures.get(form.To);
    if (failure) return error(failure.status, failure.code);

    const seen = req.idempotencyKey ? byKey.get(req.idempotencyKey) : undefined;
    if (seen) return created(seen, drop);
    const delivery: TwilioDelivery = {
      sid: `SM${hex(32)}`,
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      to: form.To,
      ...(form.From ? { from: form.From } : {}),
      ...(form.MessagingServiceSid ? { messagingServiceSid: form.MessagingServiceSid } : {}),
      body: form.Body,
      receivedAt: performance.now(),
    };
    if (req.idempotencyKey) byKey.set(req.idempotencyKey, delivery);
    deliveries.push(delivery);
    return created(delivery, drop);
  });

  return {
    url: running.url,
    accountSid,
    authToken,
    requests,
    deliveries,
    script: (next) => {
      steps.push(...next);
    },
    failFor: (to, code, status = 400) => {
      failures.set(to, { code, status });
    },
    close: running.close,
  };
}
