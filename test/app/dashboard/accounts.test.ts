import { Hono } from "hono";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MAX_FAILURES_PER_IP } from "../../../src/auth/login-limit.ts";
import { createUser, DEMO_ADMIN_EMAIL, ensureDemoAdmin } from "../../../src/auth/users.ts";
import { dashboardRoutes } from "../../../src/dashboard/index.ts";
import { addUser, Browser, ORIGIN, PASSWORD, startDashboard } from "./harness.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
beforeAll(async () => {
  h = await startDashboard({ DEMO_DATA: "true" });
});
afterAll(() => h.stop());

test("the first start of a demo creates an admin and returns its password once; it can sign in", async () => {
  expect(h.started.demoAdmin?.email).toBe(DEMO_ADMIN_EMAIL);
  const password = h.started.demoAdmin?.password as string;
  expect(password).toMatch(/^[\w]{20}$/);
  expect(await ensureDemoAdmin(h.runtime.prisma, h.now())).toBeUndefined(); // users exist: never again
  expect((await new Browser(h.runtime).login(DEMO_ADMIN_EMAIL, password)).status).toBe(303);
  const row = await h.runtime.prisma.user.findUniqueOrThrow({ where: { email: DEMO_ADMIN_EMAIL } });
  expect(row.role).toBe("admin");
  expect(row.passwordHash).not.toContain(password);
  const created = await h.runtime.prisma.auditLog.findFirst({ where: { action: "user.created", target: row.id } });
  expect(created?.actor).toBe("system (first start)");
});

test("accounts refuse bad emails, unknown roles and short passwords", async () => {
  const make = (over: object) =>
    createUser(
      h.runtime.prisma,
      { email: "x@example.com", name: "X", role: "viewer", password: PASSWORD, ...over },
      "t",
    );
  await expect(make({ email: "not an email" })).rejects.toThrow(/email/);
  await expect(make({ role: "root" })).rejects.toThrow(/unknown role/);
  await expect(make({ password: "short" })).rejects.toThrow(/12/);
  const user = await addUser(h.runtime, "viewer");
  await expect(make({ email: user.email.toUpperCase() })).rejects.toThrow(/exists/);
});

test(`sign-in is limited per client IP too (${MAX_FAILURES_PER_IP} failures, across emails)`, async () => {
  const app = new Hono().route(
    "/dashboard",
    dashboardRoutes({
      prisma: h.runtime.prisma,
      reference: h.runtime.services.reference,
      now: h.now,
      clientIp: () => "203.0.113.9",
    }),
  );
  const attempt = async (email: string) => {
    const form = await app.request("/dashboard/login");
    const cookie = (form.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
    const body = new URLSearchParams({ _csrf: csrf, email, password: "wrong password!" });
    return app.request("/dashboard/login", {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
    });
  };
  for (let i = 0; i < MAX_FAILURES_PER_IP; i++) expect((await attempt(`spray-${i}@example.com`)).status).toBe(401);
  expect((await attempt("someone-else@example.com")).status).toBe(429);
});
