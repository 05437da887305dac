/** The overview page — a placeholder the dashboard pages will replace. */
import { renderPage } from "./layout.tsx";
import { type DashboardApp, page } from "./register.ts";

export function overviewRoutes(app: DashboardApp): void {
  page(app, "GET", "/dashboard", (c) =>
    renderPage(
      c,
      "Overview",
      <>
        <h1>Overview</h1>
        <p>
          Signed in as {c.var.user.name} ({c.var.user.email}) with the role <strong>{c.var.user.role}</strong>.
        </p>
      </>,
    ),
  );
}
