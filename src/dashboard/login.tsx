/** Sign-in (GET form, POST rate limited) and sign-out. */
import type { Context } from "hono";
import { audit } from "../auth/audit.ts";
import { clearCookie, readCookie, writeCookie } from "../auth/cookies.ts";
import { checkLoginCsrf, clearLoginCsrf, issueLoginCsrf } from "../auth/csrf.ts";
import { clearLoginFailures, loginRetryAfter, recordLoginFailure } from "../auth/login-limit.ts";
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyNothing, verifyPassword } from "../auth/passwords.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { createSession, endSession, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from "../auth/sessions.ts";
import { AppError } from "../http/errors.ts";
import { CsrfField, Shell } from "./layout.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

export const WRONG_CREDENTIALS = "email or password is wrong";

/** Where to go after signing in: a local dashboard path, never another site. */
export function safeNext(next: unknown): string {
  const fallback = "/dashboard";
  if (typeof next !== "string" || next.length > 512 || !next.startsWith("/dashboard")) return fallback;
  if (/[\\\s\p{Cc}]/u.test(next)) return fallback;
  const base = "http://local.invalid";
  const url = new URL(next, base);
  const inside = url.pathname === "/dashboard" || url.pathname.startsWith("/dashboard/");
  if (url.origin !== base || !inside || /^\/dashboard\/(login|logout)\b/.test(url.pathname)) return fallback;
  return url.pathname + url.search;
}

function LoginPage(props: { nonce: string; csrf: string; next: string; email?: string; error?: string }) {
  return (
    <Shell title="Sign in" nonce={props.nonce}>
      <main class="narrow card">
        <h1>Sign in to makegood</h1>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/dashboard/login">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="next" value={props.next} />
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="username" required value={props.email ?? ""} />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            maxlength={MAX_PASSWORD_LENGTH}
            required
          />
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </main>
    </Shell>
  );
}

const field = (body: Record<string, unknown>, name: string, max: number) => {
  const value = body[name];
  return typeof value === "string" && value.length <= max ? value : "";
};

export function loginRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const { prisma } = deps;
  const form = (c: Context<DashboardEnv>, props: { next: string; email?: string; error?: string }, status = 200) =>
    c.html(<LoginPage nonce={c.var.cspNonce} csrf={issueLoginCsrf(c)} {...props} />, status as 200);

  // Shown even when signed in (to switch accounts): signing in again ends the current session.
  page(app, "GET", "/dashboard/login", (c) => form(c, { next: safeNext(c.req.query("next")) }));

  page(app, "POST", "/dashboard/login", async (c) => {
    await checkLoginCsrf(c);
    const body = await c.req.parseBody();
    const email = field(body, "email", 254).trim().toLowerCase();
    const password = field(body, "password", MAX_PASSWORD_LENGTH);
    const next = safeNext(body.next);
    const now = deps.now();
    const source = { email, ip: deps.clientIp?.(c) };
    const retryAfter = await loginRetryAfter(prisma, source, now);
    if (retryAfter > 0) {
      throw new AppError(
        "rate_limited",
        `too many failed sign-ins; try again in ${Math.ceil(retryAfter / 60)} min`,
        undefined,
        {
          "retry-after": String(retryAfter),
        },
      );
    }
    const user = email ? await prisma.user.findUnique({ where: { email } }) : null;
    const ok =
      user && !user.disabledAt ? await verifyPassword(password, user.passwordHash) : await verifyNothing(password);
    if (!user || !ok) {
      await recordLoginFailure(prisma, source, now);
      await audit(
        prisma,
        "anonymous",
        "session.login_failed",
        email.slice(0, 254) || "(empty)",
        { ip: source.ip },
        now,
      );
      return form(c, { next, email, error: WRONG_CREDENTIALS }, 401);
    }
    await clearLoginFailures(prisma, email);
    await endSession(prisma, readCookie(c, SESSION_COOKIE)); // never carry a session across sign-ins
    const session = await createSession(prisma, user.id, now, { ip: source.ip, userAgent: c.req.header("user-agent") });
    writeCookie(c, SESSION_COOKIE, session.token, SESSION_ABSOLUTE_MS / 1000);
    clearLoginCsrf(c);
    if (needsRehash(user.passwordHash)) {
      await prisma.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    }
    await audit(prisma, user.id, "session.login", user.id, { ip: source.ip }, now);
    return c.redirect(next, 303);
  });

  page(app, "POST", "/dashboard/logout", async (c) => {
    await endSession(prisma, readCookie(c, SESSION_COOKIE));
    clearCookie(c, SESSION_COOKIE);
    await audit(prisma, c.var.user.id, "session.logout", c.var.user.id, undefined, deps.now());
    return c.redirect("/dashboard/login", 303);
  });
}
