import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { randomToken } from "../auth/sessions.ts";
import { AppError } from "../http/errors.ts";

/** The largest form a dashboard page accepts (templates are the big ones). */
export const MAX_FORM_BYTES = 256 * 1024;

/**
 * Per response: a fresh CSP nonce (c.var.cspNonce) and a policy with no inline script or
 * style element except that nonce (style attributes are allowed for email previews), no
 * framing, forms only to us; pages are never cached (a static asset served at a content-hashed path,
 * which says `immutable` itself, keeps its own cache header: ./editor/asset.ts).
 */
export function dashboardHeaders(): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const nonce = randomToken(16);
    c.set("cspNonce", nonce);
    await next();
    c.res.headers.set(
      "content-security-policy",
      [
        "default-src 'none'",
        `script-src 'self' 'nonce-${nonce}'`,
        `style-src 'self' 'nonce-${nonce}'`,
        // Emails carry their styles in style attributes; previews (sandboxed srcdoc frames inherit this
        // policy) must show them as the customer sees them. Attributes can't run code, and customer data
        // is escaped, so it cannot add any.
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join("; "),
    );
    if (!c.res.headers.get("cache-control")?.includes("immutable")) c.res.headers.set("cache-control", "no-store");
  };
}

export const formBodyLimit = (): MiddlewareHandler =>
  bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: () => {
      throw new AppError("payload_too_large", `the form is larger than ${MAX_FORM_BYTES / 1024} KiB`);
    },
  });
