import { type RecordedRequest, type Reply, startHttpFake } from "./http-fake.ts";

/**
 * A local stand-in for api.resend.com that the real `resend` SDK can talk to
 * (`new Resend(key, { baseUrl: fake.url })`). `POST /emails` answers `{ id }`
 * like Resend; errors look like Resend's (`{ statusCode, name, message }`).
 * An Idempotency-Key seen before returns the first id and is not delivered
 * again; the same key with a different payload gets 409, as at Resend.
 */
export interface ResendDelivery {
  id: string;
  idempotencyKey?: string;
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  reply_to?: string | string[];
  tags?: { name: string; value: string }[];
  /** `performance.now()` when the fake accepted the email (benchmarks measure time to notify with it). */
  receivedAt: number;
}

/** A bare status, or a status with details. 2xx means "behave normally". */
export type ResendStep =
  | number
  | {
      status: number;
      /** Seconds, sent as `retry-after`. */
      retryAfter?: number;
      name?: string;
      message?: string;
      /** Answer with this non-JSON body instead (a proxy's error page). */
      raw?: string;
      /** 2xx only: deliver, then cut the connection before answering. */
      drop?: boolean;
    };

export interface FakeResend {
  url: string;
  apiKey: string;
  requests: RecordedRequest[];
  deliveries: ResendDelivery[];
  /** The next POST /emails requests get these answers, in order; then normal behaviour resumes. */
  script(steps: ResendStep[]): void;
  /** Every email to `to` fails with this status and Resend error name. */
  failFor(to: string, status: number, name: string, message?: string): void;
  close(): Promise<void>;
}

const NAME_BY_STATUS: Record<number, string> = {
  400: "invalid_parameter",
  401: "missing_api_key",
  403: "invalid_api_key",
  409: "concurrent_idempotent_requests",
  422: "validation_error",
  429: "rate_limit_exceeded",
  500: "internal_server_error",
};

export async function startFakeResend(opts: { apiKey?: string } = {}): Promise<FakeResend> {
  const apiKey = opts.apiKey ?? "re_test_key";
  const requests: RecordedRequest[] = [];
  const deliveries: ResendDelivery[] = [];
  const steps: ResendStep[] = [];
  const failures = new Map<string, { status: number; name: string; message?: string }>();
  const byKey = new Map<string, { payload: string; id: string }>();

  const error = (status: number, name?: string, message?: string, headers?: Record<string, string>): Reply => ({
    status,
    body: {
      statusCode: status,
      name: name ?? NAME_BY_STATUS[status] ?? "application_error",
      message: message ?? `fake Resend answered ${status}`,
    },
    ...(headers ? { headers } : {}),
  });

  const running = await startHttpFake(requests, (req) => {
    if (req.method !== "POST" || req.path !== "/emails") return error(404, "not_found", "Route not found.");
    if (req.headers.authorization !== `Bearer ${apiKey}`) return error(403, "invalid_api_key", "API key is invalid.");

    const step = steps.shift();
    let drop = false;
    if (step !== undefined) {
      const s = typeof step === "number" ? { status: step } : step;
      if (s.raw !== undefined) return { status: s.status, body: s.raw };
      if (s.status >= 300) {
        const headers = s.retryAfter === undefined ? undefined : { "retry-after": String(s.retryAfter) };
        return error(s.status, s.name, s.message, headers);
      }
      drop = s.drop === true;
    }

    const body = (req.body ?? {}) as Partial<ResendDelivery> & { to?: string | string[] };
    const to = body.to === undefined ? [] : Array.isArray(body.to) ? body.to : [body.to];
    if (!body.from || to.length === 0 || !body.subject || !(body.html || body.text)) {
      return error(422, "validation_error", "from, to, subject and html or text are required.");
    }
    for (const address of to) {
      const f = failures.get(address);
      if (f) return error(f.status, f.name, f.message);
    }

    const payload = JSON.stringify(req.body);
    if (req.idempotencyKey) {
      const seen = byKey.get(req.idempotencyKey);
      if (seen && seen.payload !== payload) {
        return error(409, "invalid_idempotent_request", "Same idempotency key used with a different payload.");
      }
      if (seen) return { status: 200, body: { id: seen.id }, drop };
    }
    const id = crypto.randomUUID();
    if (req.idempotencyKey) byKey.set(req.idempotencyKey, { payload, id });
    deliveries.push({
      id,
      ...(req.idempotencyKey ? { idempotencyKey: req.idempotencyKey } : {}),
      from: body.from,
      to,
      subject: body.subject,
      ...(body.html !== undefined ? { html: body.html } : {}),
      ...(body.text !== undefined ? { text: body.text } : {}),
      ...(body.reply_to !== undefined ? { reply_to: body.reply_to } : {}),
      ...(body.tags !== undefined ? { tags: body.tags } : {}),
      receivedAt: performance.now(),
    });
    return { status: 200, body: { id }, drop };
  });

  return {
    url: running.url,
    apiKey,
    requests,
    deliveries,
    script: (next) => {
      steps.push(...next);
    },
    failFor: (to, status, name, message) => {
      failures.set(to, { status, name, ...(message ? { message } : {}) });
    },
    close: running.close,
  };
}
