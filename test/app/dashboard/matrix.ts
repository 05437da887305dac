/**
 * The role × route matrix (R12): for every declared dashboard route,
 * - anonymous: GET → 302 to the sign-in page, other methods → 401 (public routes: GET 200, POST 403 without a token);
 * - each role: allowed → not 401/403 (GET without a sample: 200), not allowed → 403;
 * - every POST/PUT/PATCH/DELETE without the CSRF token → 403, for every role.
 * Returns the mismatches as readable lines; an empty list means the matrix holds.
 */
import { can, ROLES, type Role } from "../../../src/auth/roles.ts";
import type { DashboardRoute } from "../../../src/dashboard/routes-list.ts";
import type { NodeRuntime } from "../../../src/node-runtime.ts";
import { mintSession, ORIGIN } from "./harness.ts";

export async function checkRouteMatrix(
  runtime: NodeRuntime,
  routes: readonly DashboardRoute[],
  users: Record<Role, { id: string }>,
  now: () => Date,
): Promise<string[]> {
  const problems: string[] = [];
  const send = (route: DashboardRoute, headers: Record<string, string>) => {
    const path = route.sample ?? route.path;
    const unsafe = route.method !== "GET";
    return runtime.app.request(path, {
      method: route.method,
      headers: {
        accept: "text/html",
        ...(unsafe ? { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" } : {}),
        ...headers,
      },
      ...(unsafe ? { body: "" } : {}),
    });
  };
  const expect = (route: DashboardRoute, who: string, status: number, ok: (s: number) => boolean, want: string) => {
    if (!ok(status))
      problems.push(`${route.method} ${route.sample ?? route.path} as ${who}: ${status}, expected ${want}`);
  };
  const allowed = (s: number) => s !== 401 && s !== 403 && s < 500;

  for (const route of routes) {
    if (route.path.includes(":") && !route.sample) {
      problems.push(`${route.method} ${route.path} has parameters but no sample path`);
      continue;
    }
    const unsafe = route.method !== "GET";
    const anonymous = (await send(route, {})).status;
    if (route.capability === "public") {
      expect(route, "anonymous", anonymous, (s) => (unsafe ? s === 403 : s === 200), unsafe ? "403" : "200");
      continue;
    }
    expect(route, "anonymous", anonymous, (s) => (unsafe ? s === 401 : s === 302), unsafe ? "401" : "302");

    for (const role of ROLES) {
      const capable = can(role, route.capability);
      const session = await mintSession(runtime, users[role].id, now());
      if (unsafe) {
        const noToken = (await send(route, { cookie: session.cookie })).status;
        expect(route, `${role} without CSRF token`, noToken, (s) => s === 403, "403");
      }
      const headers = { cookie: session.cookie, ...(unsafe ? { "x-csrf-token": session.csrf } : {}) };
      const status = (await send(route, headers)).status;
      if (!capable) expect(route, role, status, (s) => s === 403, "403");
      else if (!unsafe && !route.sample) expect(route, role, status, (s) => s === 200, "200");
      else expect(route, role, status, allowed, "neither 401 nor 403 nor 5xx");
    }
  }
  return problems;
}
