import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, test } from "vitest";
import {
  classifyResendError,
  classifyTwilioError,
  DEFAULT_RETRY_AFTER_MS,
  parseRetryAfter,
  toStepError,
} from "../../../src/messaging/errors.ts";

describe("provider failures are classified by whether a retry helps", () => {
  test.each([
    [429, "rate_limit_exceeded", "retry_after"],
    [429, "daily_quota_exceeded", "retry_after"],
    [429, "monthly_quota_exceeded", "permanent"],
    [409, "concurrent_idempotent_requests", "retry"],
    [409, "invalid_idempotent_request", "permanent"],
    [500, "internal_server_error", "retry"],
    [503, "application_error", "retry"],
    [422, "validation_error", "permanent"],
    [403, "invalid_api_key", "permanent"],
    [null, "application_error", "retry"],
    [null, "invalid_parameter", "permanent"],
  ] as const)("Resend %s %s → %s", (status, name, kind) => {
    expect(classifyResendError(status, name, null).kind).toBe(kind);
  });

  test.each([
    [400, 21211, "permanent"],
    [400, 21610, "permanent"],
    [400, 21614, "permanent"],
    [400, 21635, "permanent"],
    [400, 30006, "permanent"],
    [400, 30003, "retry"],
    [429, 20429, "retry_after"],
    [500, null, "retry"],
    [404, 20404, "permanent"],
    [null, null, "retry"],
  ] as const)("Twilio %s %s → %s", (status, code, kind) => {
    expect(classifyTwilioError(status, code, null).kind).toBe(kind);
  });

  test("Retry-After is read in seconds or as an HTTP date, with a default when absent", () => {
    expect(classifyResendError(429, "rate_limit_exceeded", { "Retry-After": "1" }).retryAfterMs).toBe(1000);
    expect(classifyTwilioError(429, 20429, new Headers({ "retry-after": "0.5" })).retryAfterMs).toBe(500);
    expect(classifyTwilioError(429, 20429, {}).retryAfterMs).toBe(DEFAULT_RETRY_AFTER_MS);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:10 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(classifyResendError(500, "internal_server_error", { "retry-after": "5" }).retryAfterMs).toBeUndefined();
  });

  test("each kind becomes the Inngest error that makes the engine do the right thing", () => {
    const permanent = classifyTwilioError(400, 21610, null);
    const stepPermanent = toStepError(permanent);
    expect(stepPermanent).toBeInstanceOf(NonRetriableError);
    expect(stepPermanent.cause).toBe(permanent);
    expect(stepPermanent.message).toContain("21610");

    const throttled = toStepError(classifyResendError(429, "rate_limit_exceeded", { "retry-after": "2" }));
    expect(throttled).toBeInstanceOf(RetryAfterError);
    expect((throttled as RetryAfterError).retryAfter).toBe("2"); // the SDK keeps whole seconds

    const transient = toStepError(classifyResendError(500, "internal_server_error", null));
    expect(transient).not.toBeInstanceOf(NonRetriableError);
    expect(transient).not.toBeInstanceOf(RetryAfterError);
    expect(transient).toBeInstanceOf(Error);
  });
});
