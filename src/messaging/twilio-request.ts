import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "../engine/types.ts";
import { AppError } from "../http/errors.ts";
import { verifyTwilioWebhook } from "./webhooks.ts";

/** A Twilio webhook is a few hundred bytes of form fields. */
const MAX_TWILIO_BYTES = 64 * 1024;

/** Twilio's routes exist only when Twilio is configured (its auth token verifies them): 404 otherwise. */
export function twilioConfigured(authToken: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!authToken) throw new AppError("not_found", `no route for ${c.req.method} ${c.req.path}`);
    await next();
  };
}

export const twilioBodyLimit = bodyLimit({
  maxSize: MAX_TWILIO_BYTES,
  onError: () => {
    throw new AppError("payload_too_large", `the body is larger than the ${MAX_TWILIO_BYTES} bytes limit`);
  },
});

/**
 * The form fields of a Twilio webhook whose `X-Twilio-Signature` matches, else 403 (415 when the
 * body is not a form). The signed URL is the request's, or the same path on the public origin
 * (APP_URL) when a proxy changed it.
 */
export async function signedTwilioForm(
  c: Context,
  deps: { twilioAuthToken?: string; publicUrl?: string; logger: Logger },
): Promise<URLSearchParams> {
  const authToken = deps.twilioAuthToken as string;
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    throw new AppError(
      "unsupported_media_type",
      "Twilio webhooks are form-encoded (application/x-www-form-urlencoded)",
    );
  }
  const params = new URLSearchParams(await c.req.text());
  let reason = "missing_headers";
  for (const url of signedUrlCandidates(c.req.url, deps.publicUrl)) {
    const check = await verifyTwilioWebhook({ authToken, url, params, headers: c.req.raw.headers });
    if (check.ok) return params;
    reason = check.reason;
  }
  deps.logger.warn("twilio webhook rejected", { path: c.req.path, reason });
  throw new AppError("forbidden", "the X-Twilio-Signature header is missing or does not match this request");
}

function signedUrlCandidates(requestUrl: string, publicUrl: string | undefined): string[] {
  const urls = [requestUrl];
  if (publicUrl) {
    const req = new URL(requestUrl);
    urls.push(`${new URL(publicUrl).origin}${req.pathname}${req.search}`);
  }
  return [...new Set(urls)];
}
