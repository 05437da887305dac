/**
 * The dashboard's HTML shell. Pages render with `renderPage(c, title, content)` after
 * `requireUser(...)`; forms carry `<CsrfField token={c.var.csrfToken} />`.
 * Everything is escaped by Hono JSX; `raw` is used only for constants below.
 */
import type { Context } from "hono";
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { type Capability, can } from "../auth/roles.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import type { SessionUser } from "../auth/sessions.ts";
import { DASHBOARD_CSS } from "./styles.ts";
import { Viewer, viewerZone, ZONE_SCRIPT } from "./time.tsx";
import { roleLabel } from "./words.ts";

/** The navigation, each link shown only to roles with its capability. */
export const NAV: ReadonlyArray<{ href: string; label: string; capability: Capability }> = [
  { href: "/dashboard", label: "Overview", capability: "dashboard:view" },
  { href: "/dashboard/recoveries", label: "Recoveries", capability: "recoveries:view" },
  { href: "/dashboard/approvals", label: "Approvals", capability: "approvals:view" },
  { href: "/dashboard/attention", label: "Attention", capability: "attention:view" },
  { href: "/dashboard/templates", label: "Templates", capability: "templates:view" },
  { href: "/dashboard/policies", label: "Policies", capability: "policies:view" },
  { href: "/dashboard/outbox", label: "Outbox", capability: "outbox:view" },
  { href: "/dashboard/keys", label: "API keys", capability: "keys:manage" },
  { href: "/dashboard/audit", label: "Audit log", capability: "audit:view" },
];

export const CsrfField = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

export function Shell(props: { title: string; nonce: string; children?: Child }) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="referrer" content="same-origin" />
          <title>{`${props.title} · makegood`}</title>
          <style nonce={props.nonce}>{raw(DASHBOARD_CSS)}</style>
          <script nonce={props.nonce}>{raw(ZONE_SCRIPT)}</script>
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

const isCurrent = (href: string, path: string) =>
  href === "/dashboard" ? path === href : path === href || path.startsWith(`${href}/`);

function NavLinks(props: { user: SessionUser; path: string }) {
  return (
    <>
      {NAV.filter((item) => can(props.user.role, item.capability)).map((item) => (
        <a href={item.href} aria-current={isCurrent(item.href, props.path) ? "page" : undefined}>
          {item.label}
        </a>
      ))}
    </>
  );
}

/**
 * The header: the navigation inline on wide screens; on narrow ones (CSS, no script) a
 * `<details>` menu instead, so the header stays one row at 390 px.
 */
export function Layout(props: {
  title: string;
  nonce: string;
  user: SessionUser;
  csrfToken: string;
  path: string;
  zone: string;
  children?: Child;
}) {
  const { user } = props;
  return (
    <Shell title={props.title} nonce={props.nonce}>
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href="/dashboard">
          makegood
        </a>
        <nav class="main wide" aria-label="Main">
          <NavLinks user={user} path={props.path} />
        </nav>
        <details class="menu">
          <summary>Menu</summary>
          <nav class="main" aria-label="Main (menu)">
            <NavLinks user={user} path={props.path} />
          </nav>
        </details>
        <div class="who">
          <span>
            {user.name} <span class="muted">({roleLabel(user.role)})</span>
          </span>
          <form method="post" action="/dashboard/logout">
            <CsrfField token={props.csrfToken} />
            <button type="submit" class="link">
              Sign out
            </button>
          </form>
        </div>
      </header>
      <main id="content">
        <Viewer.Provider value={{ zone: props.zone, now: new Date() }}>{props.children}</Viewer.Provider>
        <p class="muted zone">Times are shown in {props.zone === "UTC" ? "UTC" : props.zone.replaceAll("_", " ")}.</p>
      </main>
    </Shell>
  );
}

/** Renders a page for the signed-in user (after requireUser). */
export function renderPage(
  c: Context<DashboardEnv>,
  title: string,
  content: Child,
  status: 200 | 400 | 403 | 404 = 200,
) {
  return c.html(
    <Layout
      title={title}
      nonce={c.var.cspNonce}
      user={c.var.user}
      csrfToken={c.var.csrfToken}
      path={c.req.path}
      zone={viewerZone(c)}
    >
      {content}
    </Layout>,
    status,
  );
}
