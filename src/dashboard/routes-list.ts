import type { Capability } from "../auth/roles.ts";

/**
 * Every dashboard route and the capability it needs — the one place access is declared.
 * `page(app, method, path, handler)` (./register.ts) refuses to mount a route missing here
 * and applies `requireUser(capability)` from this entry; `test/app/dashboard/routes.test.ts`
 * fails when a route is mounted around it, and the role × route matrix tests each entry.
 *
 * To add a page: add its entry here, then `page(app, "GET", "/dashboard/…", handler)`.
 * `"public"` is for the sign-in form only. A path with parameters needs a `sample`
 * (a concrete path the matrix can request; a 404 there is fine for an unknown id).
 */
export type DashboardMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface DashboardRoute {
  method: DashboardMethod;
  /** The full path, as Hono writes it: `/dashboard/recoveries/:id`. */
  path: string;
  capability: Capability | "public";
  sample?: string;
}

export const DASHBOARD_ROUTES: readonly DashboardRoute[] = [
  { method: "GET", path: "/dashboard/login", capability: "public" },
  { method: "POST", path: "/dashboard/login", capability: "public" },
  { method: "POST", path: "/dashboard/logout", capability: "dashboard:view" },
  { method: "GET", path: "/dashboard", capability: "dashboard:view" },
  { method: "GET", path: "/dashboard/templates", capability: "templates:view" },
  {
    method: "GET",
    path: "/dashboard/templates/:kind/:channel/:locale",
    capability: "templates:edit",
    sample: "/dashboard/templates/shipment_delay/sms/en",
  },
  {
    method: "POST",
    path: "/dashboard/templates/:kind/:channel/:locale/preview",
    capability: "templates:edit",
    sample: "/dashboard/templates/shipment_delay/sms/en/preview",
  },
  {
    method: "POST",
    path: "/dashboard/templates/:kind/:channel/:locale/save",
    capability: "templates:edit",
    sample: "/dashboard/templates/shipment_delay/sms/en/save",
  },
  {
    method: "GET",
    path: "/dashboard/templates/:kind/:channel/:locale/versions",
    capability: "templates:edit",
    sample: "/dashboard/templates/shipment_delay/sms/en/versions",
  },
  {
    method: "GET",
    path: "/dashboard/templates/:kind/:channel/:locale/replay/:version",
    capability: "templates:edit",
    sample: "/dashboard/templates/shipment_delay/sms/en/replay/999",
  },
  {
    method: "POST",
    path: "/dashboard/templates/:kind/:channel/:locale/publish/:version",
    capability: "templates:publish",
    sample: "/dashboard/templates/shipment_delay/sms/en/publish/999",
  },
  {
    method: "POST",
    path: "/dashboard/templates/:kind/:channel/:locale/rollback/:version",
    capability: "templates:publish",
    sample: "/dashboard/templates/shipment_delay/sms/en/rollback/999",
  },
  {
    method: "GET",
    path: "/dashboard/assets/:file",
    capability: "templates:edit",
    sample: "/dashboard/assets/editor.0000000000000000.js",
  },
  { method: "GET", path: "/dashboard/recoveries", capability: "recoveries:view" },
  {
    method: "GET",
    path: "/dashboard/recoveries/:id",
    capability: "recoveries:view",
    sample: "/dashboard/recoveries/dis_sample",
  },
  { method: "GET", path: "/dashboard/attention", capability: "attention:view" },
  { method: "GET", path: "/dashboard/approvals", capability: "approvals:view" },
  {
    method: "POST",
    path: "/dashboard/approvals/:id/decide",
    capability: "approvals:decide",
    sample: "/dashboard/approvals/appr_sample/decide",
  },
  { method: "GET", path: "/dashboard/outbox", capability: "outbox:view" },
  { method: "GET", path: "/dashboard/policies", capability: "policies:view" },
  { method: "POST", path: "/dashboard/policies/gestures", capability: "policies:edit" },
  {
    method: "POST",
    path: "/dashboard/policies/gestures/:id",
    capability: "policies:edit",
    sample: "/dashboard/policies/gestures/no-such-gesture",
  },
  {
    method: "POST",
    path: "/dashboard/policies/gestures/:id/texts/:language",
    capability: "policies:edit",
    sample: "/dashboard/policies/gestures/no-such-gesture/texts/fr",
  },
  { method: "POST", path: "/dashboard/policies/rules", capability: "policies:edit" },
  {
    method: "POST",
    path: "/dashboard/policies/rules/:id",
    capability: "policies:edit",
    sample: "/dashboard/policies/rules/no-such-policy",
  },
  {
    method: "POST",
    path: "/dashboard/policies/rules/:id/replay",
    capability: "policies:edit",
    sample: "/dashboard/policies/rules/no-such-policy/replay",
  },
  {
    method: "GET",
    path: "/dashboard/policies/rules/:id/delete",
    capability: "policies:edit",
    sample: "/dashboard/policies/rules/no-such-policy/delete",
  },
  {
    method: "POST",
    path: "/dashboard/policies/rules/:id/delete",
    capability: "policies:edit",
    sample: "/dashboard/policies/rules/no-such-policy/delete",
  },
  { method: "POST", path: "/dashboard/policies/budget", capability: "policies:edit" },
  { method: "POST", path: "/dashboard/policies/settings", capability: "policies:edit" },
  { method: "POST", path: "/dashboard/policies/budget/replay", capability: "policies:edit" },
  { method: "POST", path: "/dashboard/policies/settings/replay", capability: "policies:edit" },
  { method: "GET", path: "/dashboard/keys", capability: "keys:manage" },
  { method: "POST", path: "/dashboard/keys", capability: "keys:manage" },
  {
    method: "POST",
    path: "/dashboard/keys/:prefix/revoke",
    capability: "keys:manage",
    sample: "/dashboard/keys/000000000000/revoke",
  },
  { method: "GET", path: "/dashboard/audit", capability: "audit:view" },
  {
    method: "POST",
    path: "/dashboard/customers/:id/erase",
    capability: "customers:erase",
    sample: "/dashboard/customers/no-such-customer/erase",
  },
];

export function findDashboardRoute(method: string, path: string): DashboardRoute | undefined {
  return DASHBOARD_ROUTES.find((r) => r.method === method && r.path === path);
}
