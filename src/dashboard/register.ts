import type { Context, Handler, Hono, MiddlewareHandler } from "hono";
import { type DashboardEnv, requireUser } from "../auth/session-middleware.ts";
import type { PrismaClient } from "../db/generated/node/client.ts";
import type { MakegoodInngest } from "../inngest/client.ts";
import type { ErasableStore } from "../privacy/erase.ts";
import type { ReferenceData } from "../recovery/reference-data.ts";
import { type DashboardMethod, findDashboardRoute } from "./routes-list.ts";

export interface DashboardDeps {
  prisma: PrismaClient;
  /** Read for previews (templates, gestures, policies); told after every change to them. */
  reference: ReferenceData;
  now: () => Date;
  /** The app's public URL (APP_URL): its origin is accepted by the CSRF origin check. */
  publicUrl?: string;
  /** The client's IP, as the runtime knows it (Node: the socket; Workers: cf-connecting-ip). */
  clientIp?: (c: Context) => string | undefined;
  /** Sends `makegood/approval.decided` so a waiting workflow continues (required to decide approvals). */
  inngest?: MakegoodInngest;
  /** The embedded engine's run history, erased with the customer. */
  engineStore?: ErasableStore;
}

export type DashboardApp = Hono<DashboardEnv>;
export const DASHBOARD_PREFIX = "/dashboard";

/**
 * Mounts a dashboard route with the access declared for it in routes-list.ts:
 * `requireUser(capability)` runs first (nothing for "public"). A route missing from
 * the list is refused at start-up, so no page can be added without declaring who may see it.
 *
 *   page(app, "GET", "/dashboard/recoveries", async (c) => renderPage(c, "Recoveries", <List … />));
 */
export function page(
  app: DashboardApp,
  method: DashboardMethod,
  path: string,
  ...handlers: [...MiddlewareHandler<DashboardEnv>[], Handler<DashboardEnv>]
): void {
  const route = findDashboardRoute(method, path);
  if (!route) throw new Error(`${method} ${path} is not declared in src/dashboard/routes-list.ts`);
  const relative = path === DASHBOARD_PREFIX ? "/" : path.slice(DASHBOARD_PREFIX.length);
  if (!path.startsWith(`${DASHBOARD_PREFIX}/`) && path !== DASHBOARD_PREFIX)
    throw new Error(`${path} is not under /dashboard`);
  const guard = route.capability === "public" ? [] : [requireUser(route.capability)];
  app.on(method, relative, ...(guard as [MiddlewareHandler<DashboardEnv>]), ...(handlers as [Handler<DashboardEnv>]));
}
