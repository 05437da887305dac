/**
 * CSRF protection for the dashboard, two layers on every POST/PUT/PATCH/DELETE:
 * 1. origin: Hono's `csrf()` (a form post must come from our origin: `Origin` or
 *    `Sec-Fetch-Site: same-origin`), and any request naming a foreign `Origin`
 *    or `Sec-Fetch-Site: cross-site` is refused, whatever its content type;
 * 2. a secret token: the session's `csrfToken` in the hidden form field `_csrf` or
 *    the `x-csrf-token` header (checked by `requireUser`); before sign-in, a
 *    double-submit cookie `mg_login_csrf` (the login form).
 * Any failure is a 403 (AppError "forbidden").
 */
import type { Context, MiddlewareHandler } from "hono";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import { AppError } from "../http/errors.ts";
import { clearCookie, readCookie, writeCookie } from "./cookies.ts";
import { randomToken } from "./sessions.ts";

export const CSRF_FIELD = "_csrf";
export const CSRF_HEADER = "x-csrf-token";
export const LOGIN_CSRF_COOKIE = "mg_login_csrf";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
export const isUnsafeMethod = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

const refused = (why: string) => new AppError("forbidden", `request refused (${why}); reload the page and try again`);

/** Layer 1. `publicUrl` (APP_URL) is accepted as an origin too, for a proxy that changes the host. */
export function originCheck(opts: { publicUrl?: string } = {}): MiddlewareHandler {
  const extra = opts.publicUrl ? new URL(opts.publicUrl).origin : undefined;
  const allowed = (origin: string, c: Context) => origin === new URL(c.req.url).origin || origin === extra;
  const hono = csrf({ origin: allowed });
  return async (c, next) => {
    if (!isUnsafeMethod(c.req.method)) return next();
    const origin = c.req.header("origin");
    if (origin !== undefined && !allowed(origin, c)) throw refused("cross-origin");
    if (c.req.header("sec-fetch-site") === "cross-site") throw refused("cross-site");
    try {
      await hono(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) throw refused("origin unknown");
      throw error;
    }
  };
}

/** The token the request presents: `x-csrf-token`, else the `_csrf` form field. */
export async function presentedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header(CSRF_HEADER);
  if (header) return header;
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return undefined;
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  const field = body[CSRF_FIELD];
  return typeof field === "string" ? field : undefined;
}

/** Layer 2 with a session: throws 403 unless the request presents `expected`. */
export async function checkCsrfToken(c: Context, expected: string): Promise<void> {
  const token = await presentedToken(c);
  if (!token || !sameToken(token, expected)) throw refused("missing or wrong CSRF token");
}

/** The login form's token: a fresh random value in a short-lived cookie, echoed by the form. */
export function issueLoginCsrf(c: Context): string {
  const current = readCookie(c, LOGIN_CSRF_COOKIE);
  const token = current && /^[\w-]{43}$/.test(current) ? current : randomToken();
  writeCookie(c, LOGIN_CSRF_COOKIE, token, 60 * 60);
  return token;
}

export async function checkLoginCsrf(c: Context): Promise<void> {
  const expected = readCookie(c, LOGIN_CSRF_COOKIE);
  if (!expected) throw refused("the sign-in form expired");
  await checkCsrfToken(c, expected);
}

export function clearLoginCsrf(c: Context): void {
  clearCookie(c, LOGIN_CSRF_COOKIE);
}

function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
