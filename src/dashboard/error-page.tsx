import type { Context, ErrorHandler } from "hono";
import { wantsHtml } from "../auth/session-middleware.ts";
import { AppError, ERROR_STATUS, errorResponse } from "../http/errors.ts";
import { Shell } from "./layout.tsx";

const TITLES: Partial<Record<AppError["code"], string>> = {
  unauthenticated: "Please sign in",
  forbidden: "Not allowed",
  not_found: "Not found",
  rate_limited: "Too many attempts",
  payload_too_large: "Too large",
  validation_failed: "That address has a value we cannot read",
};

/** A small HTML page for a refused dashboard request (JSON for scripts that ask for it). */
export function errorPage(c: Context, error: AppError): Response | Promise<Response> {
  if (!wantsHtml(c)) return errorResponse(c, error);
  const title = TITLES[error.code] ?? "Something went wrong";
  const nonce = (c.get("cspNonce" as never) as string | undefined) ?? "";
  for (const [name, value] of Object.entries(error.headers ?? {})) c.header(name, value);
  return c.html(
    <Shell title={title} nonce={nonce}>
      <main class="narrow card">
        <h1>{title}</h1>
        <p>{error.message.replace(" (see details)", "")}</p>
        {error.details?.length ? (
          <ul class="issues">
            {error.details.map((d) => (
              <li>
                <code>{d.field}</code> {d.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p>
          {error.code === "validation_failed" ? (
            <>
              <a href={c.req.path}>Without these values</a>
              {" · "}
            </>
          ) : null}
          <a href="/dashboard">Back to the dashboard</a>
          {error.code === "unauthenticated" ? (
            <>
              {" · "}
              <a href="/dashboard/login">Sign in</a>
            </>
          ) : null}
        </p>
      </main>
    </Shell>,
    ERROR_STATUS[error.code],
  );
}

/** Dashboard errors: AppErrors become pages; anything else goes on to the app's handler (logged, 500). */
export const dashboardErrorHandler: ErrorHandler = (error, c) => {
  if (error instanceof AppError) return errorPage(c, error);
  throw error;
};
