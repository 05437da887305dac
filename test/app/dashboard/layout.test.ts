import { Hono } from "hono";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { DashboardEnv } from "../../../src/auth/session-middleware.ts";
import { page } from "../../../src/dashboard/register.ts";
import { addUser, Browser, mintSession, startDashboard } from "./harness.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
beforeAll(async () => {
  h = await startDashboard();
});
afterAll(() => h.stop());

async function overviewAs(role: "viewer" | "cx_editor" | "admin", name?: string) {
  const user = await addUser(h.runtime, role, name);
  const session = await mintSession(h.runtime, user.id, h.now());
  return h.runtime.app.request("/dashboard", { headers: { cookie: session.cookie } });
}

test("the navigation shows only what the role may see, with a sign-out form carrying the CSRF token", async () => {
  const viewer = await (await overviewAs("viewer")).text();
  for (const label of ["Overview", "Recoveries", "Approvals", "Templates", "Policies"])
    expect(viewer).toContain(`>${label}</a>`);
  expect(viewer).not.toContain(">Outbox</a>");
  expect(await (await overviewAs("cx_editor")).text()).toContain(">Outbox</a>");
  expect(viewer).toMatch(
    /<form method="post" action="\/dashboard\/logout"><input type="hidden" name="_csrf" value="[\w-]{43}"/,
  );
});

test("pages have a strict Content-Security-Policy with a per-response nonce, and are not cached", async () => {
  const [a, b] = [await overviewAs("viewer"), await overviewAs("viewer")];
  const csp = a.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");
  // Inline code never runs: scripts and style elements need the nonce; only style attributes (emails) are inline.
  expect(csp).toMatch(/script-src 'self' 'nonce-[\w-]+'(;|$)/);
  expect(csp).toMatch(/style-src 'self' 'nonce-[\w-]+'(;|$)/);
  expect(csp.replace("style-src-attr 'unsafe-inline'", "")).not.toContain("unsafe-inline");
  const nonce = /'nonce-([\w-]+)'/.exec(csp)?.[1];
  expect(await a.text()).toContain(`<style nonce="${nonce}">`);
  expect(b.headers.get("content-security-policy")).not.toContain(nonce);
  expect(a.headers.get("cache-control")).toBe("no-store");
  const login = await h.runtime.app.request("/dashboard/login");
  expect(login.headers.get("content-security-policy")).toContain("form-action 'self'");
});

test("user-supplied text is escaped", async () => {
  const user = await addUser(h.runtime, "viewer");
  await h.runtime.prisma.user.update({ where: { id: user.id }, data: { name: `<script>alert(1)</script>"'&` } });
  const session = await mintSession(h.runtime, user.id, h.now());
  const html = await (await h.runtime.app.request("/dashboard", { headers: { cookie: session.cookie } })).text();
  expect(html).not.toContain("<script>alert(1)");
  expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;");
  const login = await new Browser(h.runtime).request(
    "GET",
    `/dashboard/login?next=${encodeURIComponent('/dashboard?"><script>')}`,
  );
  expect(await login.text()).not.toContain('"><script>');
});

test("a page cannot be mounted without declaring who may see it", () => {
  const app = new Hono<DashboardEnv>();
  expect(() => page(app, "GET", "/dashboard/secret", (c) => c.text("secret"))).toThrow(/routes-list/);
});
