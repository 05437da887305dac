import { afterAll, beforeAll, expect, test } from "vitest";
import { LOGIN_WINDOW_MS } from "../../../src/auth/login-limit.ts";
import { hashToken } from "../../../src/auth/sessions.ts";
import { disableUser } from "../../../src/auth/users.ts";
import { addUser, Browser, PASSWORD, startDashboard } from "./harness.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
beforeAll(async () => {
  h = await startDashboard();
});
afterAll(() => h.stop());

test("signing in sets an HttpOnly, SameSite=Lax session cookie and lands on the overview", async () => {
  const user = await addUser(h.runtime, "manager", "Grace Hopper");
  const browser = new Browser(h.runtime);
  const response = await browser.login(user.email, PASSWORD);
  expect(response.status).toBe(303);
  expect(response.headers.get("location")).toBe("/dashboard");
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("mg_session="));
  expect(cookie).toMatch(/HttpOnly/);
  expect(cookie).toMatch(/SameSite=Lax/);
  expect(cookie).toMatch(/Path=\//);
  const overview = await browser.request("GET", "/dashboard");
  expect(overview.status).toBe(200);
  const html = await overview.text();
  expect(html).toContain("<h1>Overview</h1>");
  expect(html).toContain("manager");
  expect(html).toContain("Grace Hopper");
});

test("every sign-in gets a new session id, and the browser's previous session ends", async () => {
  const user = await addUser(h.runtime, "viewer");
  const browser = new Browser(h.runtime);
  await browser.login(user.email, PASSWORD);
  const first = browser.cookies.get("mg_session") as string;
  await browser.login(user.email, PASSWORD);
  const second = browser.cookies.get("mg_session") as string;
  expect(second).toBeTruthy();
  expect(second).not.toBe(first);
  expect(await h.runtime.prisma.session.findUnique({ where: { id: await hashToken(first) } })).toBeNull();
  const stale = await h.runtime.app.request("/dashboard", { headers: { cookie: `mg_session=${first}` } });
  expect(stale.status).toBe(302);
});

test("only a hash of the session token is stored", async () => {
  const user = await addUser(h.runtime, "viewer");
  const browser = new Browser(h.runtime);
  await browser.login(user.email, PASSWORD);
  const token = browser.cookies.get("mg_session") as string;
  const rows = await h.runtime.prisma.session.findMany({ where: { userId: user.id } });
  expect(rows.map((r) => r.id)).toEqual([await hashToken(token)]);
  expect(JSON.stringify(rows)).not.toContain(token);
});

test("a wrong password or an unknown email gets the same generic error and no session cookie", async () => {
  const user = await addUser(h.runtime, "viewer");
  for (const [email, password] of [
    [user.email, "wrong password here"],
    ["nobody@example.com", PASSWORD],
  ] as const) {
    const browser = new Browser(h.runtime);
    const response = await browser.login(email, password);
    expect(response.status).toBe(401);
    expect(await response.text()).toContain("email or password is wrong");
    expect(response.headers.getSetCookie().some((c) => c.startsWith("mg_session="))).toBe(false);
  }
});

test("the 6th failed sign-in in a row is refused with 429 and Retry-After, even with the right password", async () => {
  const user = await addUser(h.runtime, "viewer");
  const browser = new Browser(h.runtime);
  for (let i = 0; i < 5; i++) expect((await browser.login(user.email, `wrong password ${i}`)).status).toBe(401);
  const sixth = await browser.login(user.email, PASSWORD);
  expect(sixth.status).toBe(429);
  expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(Number(sixth.headers.get("retry-after"))).toBeLessThanOrEqual(LOGIN_WINDOW_MS / 1000);
  expect(sixth.headers.getSetCookie().some((c) => c.startsWith("mg_session="))).toBe(false);
  h.clock.advance(LOGIN_WINDOW_MS + 1000);
  expect((await browser.login(user.email, PASSWORD)).status).toBe(303);
});

test("after signing in, `next` is followed only when it is a local dashboard path", async () => {
  const user = await addUser(h.runtime, "viewer");
  const cases: Array<[string, string]> = [
    ["/dashboard/recoveries?page=2", "/dashboard/recoveries?page=2"],
    ["https://evil.example", "/dashboard"],
    ["//evil.example/dashboard", "/dashboard"],
    ["/dashboard/../../evil", "/dashboard"],
    ["/dashboard\\@evil.example", "/dashboard"],
    ["/dashboardevil", "/dashboard"],
  ];
  for (const [next, expected] of cases) {
    const response = await new Browser(h.runtime).login(user.email, PASSWORD, next);
    expect(response.headers.get("location"), next).toBe(expected);
  }
});

test("an anonymous visit is sent to the sign-in page with where it was going", async () => {
  const response = await h.runtime.app.request("/dashboard?tab=1", { headers: { accept: "text/html" } });
  expect(response.status).toBe(302);
  expect(response.headers.get("location")).toBe(`/dashboard/login?next=${encodeURIComponent("/dashboard?tab=1")}`);
  const api = await h.runtime.app.request("/dashboard", { headers: { accept: "application/json" } });
  expect(api.status).toBe(401);
});

test("signing out ends the session: the old cookie no longer works", async () => {
  const user = await addUser(h.runtime, "viewer");
  const browser = new Browser(h.runtime);
  await browser.login(user.email, PASSWORD);
  const token = browser.cookies.get("mg_session") as string;
  const csrf = await browser.csrfToken();
  const out = await browser.request("POST", "/dashboard/logout", { form: { _csrf: csrf } });
  expect(out.status).toBe(303);
  expect(out.headers.get("location")).toBe("/dashboard/login");
  expect(browser.cookies.has("mg_session")).toBe(false);
  const replay = await h.runtime.app.request("/dashboard", { headers: { cookie: `mg_session=${token}` } });
  expect(replay.status).toBe(302);
});

test("a disabled user cannot sign in and their open sessions end", async () => {
  const user = await addUser(h.runtime, "admin");
  const browser = new Browser(h.runtime);
  await browser.login(user.email, PASSWORD);
  expect(await disableUser(h.runtime.prisma, user.email, "test", h.now())).toBe(true);
  expect((await browser.request("GET", "/dashboard")).status).toBe(302);
  expect((await new Browser(h.runtime).login(user.email, PASSWORD)).status).toBe(401);
});

test("signing in and out, and failed attempts, are in the audit log with who and when", async () => {
  const user = await addUser(h.runtime, "manager");
  const browser = new Browser(h.runtime);
  await browser.login(user.email, "not the password");
  await browser.login(user.email, PASSWORD);
  const csrf = await browser.csrfToken();
  await browser.request("POST", "/dashboard/logout", { form: { _csrf: csrf } });
  const rows = await h.runtime.prisma.auditLog.findMany({
    where: { OR: [{ actor: user.id }, { target: user.email }] },
    orderBy: { at: "asc" },
  });
  expect(rows.map((r) => [r.action, r.actor])).toEqual([
    ["session.login_failed", "anonymous"],
    ["session.login", user.id],
    ["session.logout", user.id],
  ]);
  for (const row of rows) expect(row.at.getTime()).toBe(h.clock.now());
});
