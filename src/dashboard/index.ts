/**
 * The dashboard for people (server-rendered with Hono JSX), mounted at /dashboard.
 * Every request passes, in order: security headers (CSP nonce, no-store), the form size
 * limit, the CSRF origin check, the session loader; then each route's own
 * `requireUser(capability)` from routes-list.ts (see register.ts).
 */
import { Hono } from "hono";
import { originCheck } from "../auth/csrf.ts";
import { type DashboardEnv, loadSession } from "../auth/session-middleware.ts";
import { approvalsRoutes } from "./approvals.tsx";
import { attentionRoutes } from "./attention.tsx";
import { customerEraseRoutes } from "./customer-erase.tsx";
import { dashboardErrorHandler } from "./error-page.tsx";
import { dashboardHeaders, formBodyLimit } from "./headers.ts";
import { keysRoutes } from "./keys.tsx";
import { loginRoutes } from "./login.tsx";
import { outboxRoutes } from "./outbox.tsx";
import { overviewRoutes } from "./overview.tsx";
import { policiesRoutes } from "./policies.tsx";
import { recoveriesRoutes } from "./recoveries.tsx";
import type { DashboardDeps } from "./register.ts";
import { templateStudioRoutes } from "./template-studio.tsx";

export type { DashboardDeps } from "./register.ts";

export function dashboardRoutes(deps: DashboardDeps): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>();
  app.use(dashboardHeaders());
  app.use(formBodyLimit());
  app.use(originCheck({ publicUrl: deps.publicUrl }));
  app.use(loadSession(deps));
  app.onError(dashboardErrorHandler);

  loginRoutes(app, deps);
  overviewRoutes(app, deps);
  templateStudioRoutes(app, deps);
  recoveriesRoutes(app, deps);
  approvalsRoutes(app, deps);
  attentionRoutes(app, deps);
  outboxRoutes(app, deps);
  policiesRoutes(app, deps);
  keysRoutes(app, deps);
  customerEraseRoutes(app, deps);
  return app;
}
