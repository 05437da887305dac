/**
 * API keys for ops systems (admins): list, create (the secret is shown once, on the
 * response page only — never stored, redirected or logged) and revoke. Also the audit log.
 */
import type { Context } from "hono";
import { createApiKey, isScope, SCOPES, type Scope } from "../auth/api-keys.ts";
import { audit, userActor } from "../auth/audit.ts";
import { prismaApiKeyStore } from "../auth/prisma-key-store.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { AppError } from "../http/errors.ts";
import { CsrfField, renderPage } from "./layout.tsx";
import { fmt } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import type { FieldError } from "./policy-forms.ts";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const AUDIT_PAGE_SIZE = 50;

async function keysPage(
  c: Context<DashboardEnv>,
  deps: DashboardDeps,
  extra: { errors?: FieldError[]; created?: { name: string; prefix: string; secret: string } } = {},
) {
  const keys = (await prismaApiKeyStore(deps.prisma).list()).reverse();
  const errors = extra.errors ?? [];
  const revoked = c.req.method === "GET" ? c.req.query("revoked") : undefined;
  return renderPage(
    c,
    "API keys",
    <>
      <h1>API keys</h1>
      {errors.length ? (
        <div class="errors" role="alert">
          <p>No key was created. Please fix:</p>
          <ul>
            {errors.map((e) => (
              <li data-field={e.field}>
                <strong>{e.field}</strong>: {e.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {extra.created ? (
        <section class="card" data-new-key={extra.created.prefix}>
          <h2>Key "{extra.created.name}" created</h2>
          <p>Copy it now: it is shown only this once and cannot be recovered.</p>
          <p>
            <code data-secret>{extra.created.secret}</code>
          </p>
        </section>
      ) : null}
      {revoked ? <p class="saved">Revoked key {revoked}.</p> : null}
      <section class="card">
        <h2>Keys</h2>
        {keys.length === 0 ? <p class="muted">No API keys yet.</p> : null}
        <table>
          <thead>
            <tr>
              <th>Prefix</th>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Revoked</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr data-key={k.prefix}>
                <td data-label="Prefix">
                  <code>mg_{k.prefix}_…</code>
                </td>
                <td data-label="Name">{k.name}</td>
                <td data-label="Scopes">{k.scopes.join(", ")}</td>
                <td data-label="Created">{fmt(k.createdAt)}</td>
                <td data-label="Last used">{k.lastUsedAt ? fmt(k.lastUsedAt) : "never"}</td>
                <td data-label="Revoked">{k.revokedAt ? fmt(k.revokedAt) : "—"}</td>
                <td data-label="Revoke">
                  {k.revokedAt ? null : (
                    <form method="post" action={`/dashboard/keys/${encodeURIComponent(k.prefix)}/revoke`}>
                      <CsrfField token={c.var.csrfToken} />
                      <button type="submit" class="deny">
                        Revoke
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="card">
        <h2>Create a key</h2>
        <form method="post" action="/dashboard/keys">
          <CsrfField token={c.var.csrfToken} />
          <label for="key-name">Name (which system uses it)</label>
          <input type="text" id="key-name" name="name" maxlength={100} required />
          <fieldset>
            <legend>Scopes</legend>
            {SCOPES.map((s) => (
              <label class="check">
                <input type="checkbox" name="scopes" value={s} /> {s}
              </label>
            ))}
          </fieldset>
          <button type="submit">Create key</button>
        </form>
      </section>
    </>,
    errors.length ? 400 : 200,
  );
}

async function auditPage(c: Context<DashboardEnv>, deps: DashboardDeps) {
  const query = { after: c.req.query("after"), before: c.req.query("before") };
  const [paged, total] = await Promise.all([
    keysetPage(
      query,
      AUDIT_PAGE_SIZE,
      "at",
      "desc",
      (r: { at: Date; id: string }) => ({ at: r.at, id: r.id }),
      ({ where, direction, take }) =>
        deps.prisma.auditLog.findMany({ where, orderBy: [{ at: direction }, { id: direction }], take }),
    ),
    deps.prisma.auditLog.count(),
  ]);
  const rows = paged.rows;
  const userIds = [...new Set(rows.map((r) => r.actor))];
  const users = await deps.prisma.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return renderPage(
    c,
    "Audit log",
    <>
      <h1>Audit log</h1>
      <p class="muted">{total} entries, newest first</p>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-audit={r.id}>
              <td data-label="When">{fmt(r.at)}</td>
              <td data-label="Who">{names.get(r.actor) ?? r.actor}</td>
              <td data-label="Action">{r.action}</td>
              <td data-label="Target">{r.target}</td>
              <td data-label="Detail">
                <code>{r.detail ?? ""}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager path="/dashboard/audit" query={query} paged={paged} />
    </>,
  );
}

export function keysRoutes(app: DashboardApp, deps: DashboardDeps): void {
  const store = prismaApiKeyStore(deps.prisma);

  page(app, "GET", "/dashboard/keys", (c) => keysPage(c, deps));

  page(app, "POST", "/dashboard/keys", async (c) => {
    const body = await c.req.parseBody({ all: true });
    const name = typeof body.name === "string" ? body.name.trim() : "";
    const raw = body.scopes === undefined ? [] : Array.isArray(body.scopes) ? body.scopes : [body.scopes];
    const wanted = raw.filter((s): s is string => typeof s === "string");
    const errors: FieldError[] = [];
    if (!name) errors.push({ field: "name", message: "required" });
    else if (name.length > 100) errors.push({ field: "name", message: "at most 100 characters" });
    if (wanted.length === 0) errors.push({ field: "scopes", message: "choose at least one scope" });
    const unknown = wanted.filter((s) => !isScope(s));
    if (unknown.length) errors.push({ field: "scopes", message: `unknown scope(s); one of ${SCOPES.join(", ")}` });
    if (errors.length) return keysPage(c, deps, { errors });
    const scopes = [...new Set(wanted)] as Scope[];
    const key = await createApiKey(store, name, scopes);
    await audit(deps.prisma, userActor(c.var.user), "key.create", key.prefix, { id: key.id, name, scopes }, deps.now());
    return keysPage(c, deps, { created: { name, prefix: key.prefix, secret: key.secret } });
  });

  page(app, "POST", "/dashboard/keys/:prefix/revoke", async (c) => {
    const prefix = c.req.param("prefix") ?? "";
    const key = /^[0-9a-f]{12}$/.test(prefix) ? await store.findByPrefix(prefix) : undefined;
    if (!key) throw new AppError("not_found", "no API key with that prefix");
    if (key.revokedAt) throw new AppError("conflict", "this key is already revoked");
    await store.revoke(prefix, deps.now());
    await audit(deps.prisma, userActor(c.var.user), "key.revoke", prefix, { id: key.id, name: key.name }, deps.now());
    return c.redirect(`/dashboard/keys?revoked=${encodeURIComponent(prefix)}`, 303);
  });

  page(app, "GET", "/dashboard/audit", (c) => auditPage(c, deps));
}
