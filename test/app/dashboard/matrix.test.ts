import { afterAll, beforeAll, expect, test } from "vitest";
import { ROLES, type Role } from "../../../src/auth/roles.ts";
import { dashboardRoutes } from "../../../src/dashboard/index.ts";
import { DASHBOARD_ROUTES } from "../../../src/dashboard/routes-list.ts";
import { addUser, startDashboard } from "./harness.ts";
import { checkRouteMatrix } from "./matrix.ts";

let h: Awaited<ReturnType<typeof startDashboard>>;
const users = {} as Record<Role, { id: string }>;
beforeAll(async () => {
  h = await startDashboard();
  for (const role of ROLES) users[role] = await addUser(h.runtime, role);
});
afterAll(() => h.stop());

test("every dashboard route denies by default: anonymous, each role and missing CSRF tokens get what routes-list says", async () => {
  expect(await checkRouteMatrix(h.runtime, DASHBOARD_ROUTES, users, h.now)).toEqual([]);
});

test("every route mounted under /dashboard is declared in routes-list.ts, and every declared route is mounted", () => {
  const app = dashboardRoutes({ prisma: h.runtime.prisma, reference: h.runtime.services.reference, now: h.now });
  const mounted = new Set<string>();
  for (const r of app.routes) {
    if (r.method === "ALL") {
      expect(r.path, "only middleware may answer every method").toMatch(/^\/?\*$/);
      continue;
    }
    mounted.add(`${r.method} ${r.path === "/" ? "/dashboard" : `/dashboard${r.path}`}`);
  }
  const declared = new Set(DASHBOARD_ROUTES.map((r) => `${r.method} ${r.path}`));
  expect([...mounted].sort()).toEqual([...declared].sort());
});

test("unknown paths under /dashboard are 404 whoever asks", async () => {
  expect((await h.runtime.app.request("/dashboard/nope")).status).toBe(404);
});

test("the matrix notices a route that lets in a role it should not", async () => {
  const problems = await checkRouteMatrix(
    h.runtime,
    [{ method: "GET", path: "/dashboard", capability: "users:manage" }],
    users,
    h.now,
  );
  expect(problems).toEqual([
    "GET /dashboard as viewer: 200, expected 403",
    "GET /dashboard as cx_editor: 200, expected 403",
    "GET /dashboard as manager: 200, expected 403",
  ]);
});
