import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

/**
 * Dashboard cookies: HttpOnly, SameSite=Lax, Path=/, and Secure with the `__Host-`
 * prefix — except over plain http on localhost / 127.0.0.1 / [::1], where a browser
 * would drop a Secure cookie (tests and `npm start` on one machine).
 */
const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isSecureRequest(c: Context): boolean {
  const url = new URL(c.req.url);
  return !(url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname));
}

export function cookieName(c: Context, base: string): string {
  return isSecureRequest(c) ? `__Host-${base}` : base;
}

export function readCookie(c: Context, base: string): string | undefined {
  return getCookie(c, cookieName(c, base));
}

export function writeCookie(c: Context, base: string, value: string, maxAgeSeconds: number): void {
  const secure = isSecureRequest(c);
  setCookie(c, base, value, {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    maxAge: maxAgeSeconds,
    ...(secure ? { prefix: "host", secure: true } : {}),
  });
}

export function clearCookie(c: Context, base: string): void {
  const secure = isSecureRequest(c);
  deleteCookie(c, base, { path: "/", httpOnly: true, sameSite: "Lax", ...(secure ? { prefix: "host", secure } : {}) });
}
