import { NonRetriableError, RetryAfterError } from "inngest";

/**
 * One classification for every provider failure, so a step knows whether a
 * retry helps:
 * - `retry`: transient (5xx, network, "maybe temporary" carrier codes)
 * - `retry_after`: throttled; wait `retryAfterMs` before the next attempt
 * - `permanent`: retrying cannot succeed (bad number, opted out, validation)
 */
export type FailureKind = "retry" | "retry_after" | "permanent";
export type Provider = "resend" | "twilio";

export type HeadersLike = Headers | Record<string, string | undefined> | null | undefined;

/** When a 429 carries no usable Retry-After, wait this long (Resend allows 2 req/s). */
export const DEFAULT_RETRY_AFTER_MS = 1_000;

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly provider: Provider;
  readonly kind: FailureKind;
  /** Provider's code: a Twilio error code ("21610") or a Resend error name ("validation_error"). */
  readonly code: string;
  /** A sentence for people (dashboard, run history). */
  readonly reason: string;
  /** HTTP status, or null when no response arrived. */
  readonly status: number | null;
  readonly retryAfterMs?: number;

  constructor(init: {
    provider: Provider;
    kind: FailureKind;
    code: string;
    reason: string;
    status?: number | null;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(
      `${init.provider} ${init.code}: ${init.reason}`,
      init.cause === undefined ? undefined : { cause: init.cause },
    );
    this.provider = init.provider;
    this.kind = init.kind;
    this.code = init.code;
    this.reason = init.reason;
    this.status = init.status ?? null;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
  }
}

export const isProviderError = (err: unknown): err is ProviderError => err instanceof ProviderError;

/** Twilio 21610: the recipient texted STOP. Suppress every channel, not only SMS. */
export const TWILIO_OPTED_OUT = "21610";
export const isOptOut = (err: Pick<ProviderError, "provider" | "code">): boolean =>
  err.provider === "twilio" && err.code === TWILIO_OPTED_OUT;

const TWILIO_CODES: Record<number, { kind: FailureKind; reason: string }> = {
  21211: { kind: "permanent", reason: "The phone number is not valid." },
  21610: { kind: "permanent", reason: "The recipient has opted out (replied STOP)." },
  21614: { kind: "permanent", reason: "The number cannot receive SMS (not a mobile number)." },
  21635: { kind: "permanent", reason: "The number is a landline and cannot receive SMS." },
  30003: { kind: "retry", reason: "The handset is unreachable; this may be temporary." },
  30006: { kind: "permanent", reason: "Landline or unreachable carrier; do not retry." },
};

const RESEND_NAMES: Record<string, { kind: FailureKind; reason: string }> = {
  rate_limit_exceeded: { kind: "retry_after", reason: "Resend rate limit reached." },
  daily_quota_exceeded: { kind: "retry_after", reason: "Resend daily sending quota reached." },
  monthly_quota_exceeded: { kind: "permanent", reason: "Resend monthly sending quota reached." },
  concurrent_idempotent_requests: {
    kind: "retry",
    reason: "A request with this idempotency key is still in progress.",
  },
  invalid_idempotent_request: {
    kind: "permanent",
    reason: "This idempotency key was already used with a different message.",
  },
};

export function classifyResendError(
  statusCode: number | null | undefined,
  name: string,
  headers?: HeadersLike,
  message?: string,
  cause?: unknown,
): ProviderError {
  const status = statusCode ?? null;
  const known = RESEND_NAMES[name];
  const kind: FailureKind =
    known?.kind ??
    (status === null
      ? name === "application_error"
        ? "retry" // no response: network failure or timeout
        : "permanent" // the SDK rejected the request before sending it
      : byStatus(status));
  const reason = known?.reason ?? message ?? `Resend answered ${status ?? "nothing"} (${name}).`;
  const wait = retryAfter(kind, headers);
  return new ProviderError({ provider: "resend", kind, code: name, reason, status, cause, ...wait });
}

export function classifyTwilioError(
  httpStatus: number | null | undefined,
  twilioCode: number | null | undefined,
  headers?: HeadersLike,
  message?: string,
  cause?: unknown,
): ProviderError {
  const status = httpStatus ?? null;
  const known = twilioCode == null ? undefined : TWILIO_CODES[twilioCode];
  const kind: FailureKind = known?.kind ?? (status === null ? "retry" : byStatus(status));
  const code = twilioCode == null ? (status === null ? "network_error" : `http_${status}`) : String(twilioCode);
  const reason = known?.reason ?? message ?? `Twilio answered ${status ?? "nothing"}.`;
  const wait = retryAfter(kind, headers);
  return new ProviderError({ provider: "twilio", kind, code, reason, status, cause, ...wait });
}

function byStatus(status: number): FailureKind {
  if (status === 429) return "retry_after";
  if (status >= 500 || status === 408) return "retry";
  return "permanent";
}

function retryAfter(kind: FailureKind, headers: HeadersLike): { retryAfterMs?: number } {
  if (kind !== "retry_after") return {};
  return { retryAfterMs: parseRetryAfter(header(headers, "retry-after")) ?? DEFAULT_RETRY_AFTER_MS };
}

/** `Retry-After` is seconds (`"1"`, `"0.5"`) or an HTTP date; returns milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function header(headers: HeadersLike, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The Inngest error to throw from a step, so the engine retries (or not) as the failure warrants. */
export function toStepError(err: ProviderError): Error {
  switch (err.kind) {
    case "permanent":
      return new NonRetriableError(err.message, { cause: err });
    case "retry_after":
      return new RetryAfterError(err.message, err.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS, { cause: err });
    case "retry":
      return new Error(err.message, { cause: err });
  }
}
