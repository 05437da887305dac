/**
 * Dashboard authentication and authorization middleware.
 *
 *   loadSession(deps)        — once for all of /dashboard: reads the cookie, checks the timeouts,
 *                              sets c.var.session (or null)
 *   requireUser(capability)  — per route: anonymous → 302 to the sign-in page (GET for HTML) or 401;
 *                              POST/PUT/PATCH/DELETE without the session's CSRF token → 403;
 *                              a role without the capability → 403; sets c.var.user and c.var.csrfToken
 */
import type { Context, MiddlewareHandler } from "hono";
import type { PrismaClient } from "../db/generated/node/client.ts";
import { AppError } from "../http/errors.ts";
import { clearCookie, readCookie } from "./cookies.ts";
import { checkCsrfToken, isUnsafeMethod } from "./csrf.ts";
import { type Capability, can } from "./roles.ts";
import { type ActiveSession, SESSION_COOKIE, type SessionUser, touchSession, validateSession } from "./sessions.ts";

export type DashboardVariables = {
  /** The signed-in session, or null (set by loadSession for every /dashboard request). */
  session: ActiveSession | null;
  /** Set by requireUser. */
  user: SessionUser;
  /** Set by requireUser: put it in every form as `_csrf` (or send it as `x-csrf-token`). */
  csrfToken: string;
  /** Set by dashboard headers: the CSP nonce for an inline <script nonce> or <style nonce>. */
  cspNonce: string;
};
export type DashboardEnv = { Variables: DashboardVariables };

export const LOGIN_PATH = "/dashboard/login";

export function loadSession(deps: {
  prisma: Pick<PrismaClient, "session">;
  now: () => Date;
}): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const token = readCookie(c, SESSION_COOKIE);
    const now = deps.now();
    const session = await validateSession(deps.prisma, token, now);
    if (token && !session) clearCookie(c, SESSION_COOKIE);
    if (session) await touchSession(deps.prisma, session, now);
    c.set("session", session);
    await next();
  };
}

/** A browser navigation (not a script asking for JSON). */
export function wantsHtml(c: Context): boolean {
  const accept = c.req.header("accept") ?? "";
  return !accept.includes("application/json") || accept.includes("text/html");
}

export function requireUser(capability: Capability): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const session = c.get("session");
    if (!session) {
      if ((c.req.method === "GET" || c.req.method === "HEAD") && wantsHtml(c)) {
        const url = new URL(c.req.url);
        return c.redirect(`${LOGIN_PATH}?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
      }
      throw new AppError("unauthenticated", "sign in first (your session may have expired)");
    }
    if (isUnsafeMethod(c.req.method)) await checkCsrfToken(c, session.csrfToken);
    if (!can(session.user.role, capability)) {
      throw new AppError("forbidden", `your role (${session.user.role}) does not allow this (${capability})`);
    }
    c.set("user", session.user);
    c.set("csrfToken", session.csrfToken);
    await next();
  };
}
