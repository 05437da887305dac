import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one error vocabulary of the HTTP API: code → status, exhaustively. */
export const ERROR_STATUS = {
  bad_request: 400,
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ERROR_STATUS;

export interface ErrorDetail {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** `{ error: { code, message, details?, requestId } }` — every error body looks like this. */
export function errorResponse(c: Context, error: AppError): Response {
  const requestId = (c.get("requestId" as never) as string | undefined) ?? "unknown";
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      requestId,
    },
  };
  return c.json(body, ERROR_STATUS[error.code], error.headers);
}

/** 400 validation_failed: the message names the first few fields, `details` names every one. */
export function validationFailed(what: string, issues: ErrorDetail[]): AppError {
  const named = issues.slice(0, 3).map((i) => i.field);
  const more = issues.length > named.length ? ` and ${issues.length - named.length} more` : "";
  return new AppError("validation_failed", `${what} is not valid: ${named.join(", ")}${more} (see details)`, issues);
}
