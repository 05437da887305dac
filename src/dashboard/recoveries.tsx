/** The recoveries list: filters in the query string, newest first, a page at a time. */
import type { Context } from "hono";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { DISRUPTION_KINDS } from "../detection/types.ts";
import { listDisruptions, OUTCOMES } from "../recovery/queries.ts";
import { renderPage } from "./layout.tsx";
import { fmt, PageStyle } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import { recoveryDetailRoutes } from "./recovery-detail.tsx";
import { ActiveFilters, describeFilters, isDay, type Query, readFilters, STATUSES } from "./recovery-filters.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { viewerZone } from "./time.tsx";
import { kindLabel, outcomeLabel, severityLabel, statusLabel } from "./words.ts";

export const PAGE_SIZE = 25;

function Filters(props: { q: Query }) {
  const { q } = props;
  const opt = (value: string, current: string | undefined, label = value) => (
    <option value={value} selected={current === value}>
      {label}
    </option>
  );
  return (
    <form class="filters" method="get" action="/dashboard/recoveries">
      <label>
        Customer (id or name)
        <input type="text" name="customer" value={q.customer ?? ""} maxlength={200} />
      </label>
      <label>
        Kind
        <select name="kind">
          {opt("", q.kind, "any")}
          {DISRUPTION_KINDS.map((k) => opt(k, q.kind, kindLabel(k)))}
        </select>
      </label>
      <label>
        Status
        <select name="status">
          {opt("", q.status, "any")}
          {STATUSES.map((s) => opt(s, q.status, statusLabel(s)))}
        </select>
      </label>
      {(["from", "to"] as const).map((name) =>
        q[name] && !isDay(q[name]) ? (
          <input type="hidden" name={name} value={q[name]} />
        ) : (
          <label>
            {name === "from" ? "From" : "To"}
            <input type="date" name={name} value={q[name] ?? ""} />
          </label>
        ),
      )}
      <label>
        Proactive
        <select name="proactive">
          {opt("", q.proactive, "either")}
          {opt("yes", q.proactive, "we wrote first")}
          {opt("no", q.proactive, "customer complained first")}
        </select>
      </label>
      <label>
        Outcome
        <select name="outcome">
          {opt("", q.outcome, "any")}
          {OUTCOMES.map((o) => opt(o, q.outcome, outcomeLabel(o)))}
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="approval" value="pending" checked={q.approval === "pending"} /> Needs approval
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}

async function list(c: Context<DashboardEnv>, deps: DashboardDeps) {
  const q = c.req.query();
  const filters = readFilters(q);
  const paged = await keysetPage(
    q,
    PAGE_SIZE,
    "detectedAt",
    "desc",
    (d: { detectedAt: Date; id: string }) => ({ at: d.detectedAt, id: d.id }),
    (page) => listDisruptions(deps.prisma, filters, page),
  );
  const rows = paged.rows;
  return renderPage(
    c,
    "Recoveries",
    <>
      <PageStyle nonce={c.var.cspNonce} />
      <h1>Recoveries</h1>
      <Filters q={q} />
      <ActiveFilters words={describeFilters(q, filters, viewerZone(c), deps.now())} />
      {rows.length === 0 ? (
        <p class="muted">No recoveries match.</p>
      ) : (
        <table class="recoveries">
          <thead>
            <tr>
              <th>Detected</th>
              <th>Customer</th>
              <th>What</th>
              <th>Severity</th>
              <th>Status</th>
              <th>We wrote first</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr>
                <td data-label="Detected">
                  <a href={`/dashboard/recoveries/${encodeURIComponent(d.id)}`}>{fmt(d.detectedAt)}</a>
                </td>
                <td data-label="Customer">
                  {d.customer.name} <span class="muted">({d.customerId})</span>
                </td>
                <td data-label="What">{kindLabel(d.kind)}</td>
                <td data-label="Severity">{severityLabel(d.severity)}</td>
                <td data-label="Status">
                  <span class={`badge ${d.status === "awaiting_approval" ? "pending" : ""}`}>
                    {statusLabel(d.status)}
                  </span>
                </td>
                <td data-label="We wrote first">{d.complainedFirst ? "no (complaint first)" : "yes"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/dashboard/recoveries" query={q} paged={paged} />
    </>,
  );
}

export function recoveriesRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/recoveries", (c) => list(c, deps));
  recoveryDetailRoutes(app, deps);
}
