import { afterAll, beforeAll, expect, test } from "vitest";
import { addUser, Browser, PASSWORD, startDashboard } from "./harness.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
let browser: Browser;
beforeAll(async () => {
  h = await startDashboard();
  const user = await addUser(h.runtime, "admin");
  browser = new Browser(h.runtime);
  await browser.login(user.email, PASSWORD);
});
afterAll(() => h.stop());

test("a signed-in POST without the CSRF token is refused with a 403 page", async () => {
  const response = await browser.request("POST", "/dashboard/logout", { form: {} });
  expect(response.status).toBe(403);
  expect(response.headers.get("content-type")).toMatch(/text\/html/);
  expect(await response.text()).toContain("Not allowed");
  expect((await browser.request("GET", "/dashboard")).status).toBe(200); // still signed in
});

test("a wrong CSRF token is refused; the JSON form of the error uses the API vocabulary", async () => {
  const response = await browser.request("POST", "/dashboard/logout", {
    headers: { "x-csrf-token": "not-the-token", accept: "application/json" },
  });
  expect(response.status).toBe(403);
  expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
});

test("a POST from a foreign origin is refused even with the right token", async () => {
  const csrf = await browser.csrfToken();
  const foreign: Array<Record<string, string>> = [
    { origin: "https://evil.example" },
    { "sec-fetch-site": "cross-site" },
  ];
  for (const headers of foreign) {
    const response = await browser.request("POST", "/dashboard/logout", { form: { _csrf: csrf }, headers });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/request refused \(cross-(origin|site)\)/);
  }
  const json = await browser.request("POST", "/dashboard/logout", {
    headers: { origin: "https://evil.example", "x-csrf-token": csrf, "content-type": "application/json" },
  });
  expect(json.status).toBe(403);
  expect((await browser.request("GET", "/dashboard")).status).toBe(200);
});

test("a form POST that names no origin at all is refused (Hono's csrf origin check)", async () => {
  const csrf = await browser.csrfToken();
  const cookie = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const response = await h.runtime.app.request("/dashboard/logout", {
    method: "POST",
    headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
    body: `_csrf=${csrf}`,
  });
  expect(response.status).toBe(403);
  expect(await response.text()).toContain("origin unknown");
});

test("the token in the x-csrf-token header works for scripts (progressive enhancement)", async () => {
  const other = new Browser(h.runtime);
  const user = await addUser(h.runtime, "viewer");
  await other.login(user.email, PASSWORD);
  const csrf = await other.csrfToken();
  const response = await other.request("POST", "/dashboard/logout", { headers: { "x-csrf-token": csrf } });
  expect(response.status).toBe(303);
});

test("the sign-in form has its own CSRF token: a login post without it is refused", async () => {
  const user = await addUser(h.runtime, "viewer");
  const fresh = new Browser(h.runtime);
  const response = await fresh.request("POST", "/dashboard/login", {
    form: { email: user.email, password: PASSWORD, _csrf: "forged" },
  });
  expect(response.status).toBe(403);
  expect(response.headers.getSetCookie().some((c) => c.startsWith("mg_session="))).toBe(false);
});

test("over https the cookies are Secure with the __Host- prefix", async () => {
  const response = await h.runtime.app.request("https://makegood.example.com/dashboard/login");
  const cookie = response.headers.getSetCookie().join("\n");
  expect(cookie).toMatch(/^__Host-mg_login_csrf=[^;]+;.*Secure/m);
  expect(cookie).toMatch(/HttpOnly/);
  const plainHttp = await h.runtime.app.request("http://makegood.example.com/dashboard/login");
  expect(plainHttp.headers.getSetCookie().join("\n")).toMatch(/^__Host-mg_login_csrf=.*Secure/m);
});
