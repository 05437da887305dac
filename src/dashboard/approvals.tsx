/** The approval queue (oldest first, with the customer's context) and the decide form for managers. */
import type { Context } from "hono";
import { can } from "../auth/roles.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { approvalDecideRoutes } from "./approval-decide.ts";
import { CONFIRM_ABOVE } from "./approval-limits.ts";
import { CsrfField, renderPage } from "./layout.tsx";
import { age, fmt, money, PageStyle } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const DAY_MS = 86_400_000;

export const APPROVALS_PAGE_SIZE = 25;

/** A page of pending approvals, oldest first, each with its grant and the customer's recent disruptions. */
export async function pendingApprovals(deps: DashboardDeps, query: { after?: string; before?: string } = {}) {
  const { prisma } = deps;
  const paged = await keysetPage(
    query,
    APPROVALS_PAGE_SIZE,
    "requestedAt",
    "asc",
    (a: { requestedAt: Date; id: string }) => ({ at: a.requestedAt, id: a.id }),
    ({ where, direction, take }) =>
      prisma.approval.findMany({
        where: { AND: [{ status: "pending" }, where] },
        orderBy: [{ requestedAt: direction }, { id: direction }],
        take,
        include: { disruption: { include: { customer: true } } },
      }),
  );
  const since = new Date(deps.now().getTime() - 90 * DAY_MS);
  const items = await Promise.all(
    paged.rows.map(async (a) => ({
      approval: a,
      grant: await prisma.gestureGrant.findUnique({ where: { id: a.grantId } }),
      recentDisruptions: await prisma.disruption.count({
        where: { customerId: a.disruption.customerId, detectedAt: { gte: since } },
      }),
    })),
  );
  return { ...paged, items };
}

type Pending = Awaited<ReturnType<typeof pendingApprovals>>["items"][number];

function DecideForm(props: { item: Pending; csrf: string }) {
  const { approval, grant } = props.item;
  const costly = Number(grant?.value ?? 0) > CONFIRM_ABOVE;
  return (
    <form class="decide" method="post" action={`/dashboard/approvals/${encodeURIComponent(approval.id)}/decide`}>
      <CsrfField token={props.csrf} />
      <label for={`note-${approval.id}`}>Note (optional)</label>
      <input type="text" id={`note-${approval.id}`} name="note" maxlength={1000} />
      {costly ? (
        <label class="check">
          <input type="checkbox" name="confirm" value="yes" /> I confirm granting{" "}
          {grant ? money(grant.value, grant.currency) : ""} (above {CONFIRM_ABOVE})
        </label>
      ) : null}
      <div class="buttons">
        <button type="submit" name="decision" value="approve">
          Approve
        </button>
        <button type="submit" name="decision" value="deny" class="deny">
          Deny
        </button>
      </div>
    </form>
  );
}

async function queue(c: Context<DashboardEnv>, deps: DashboardDeps) {
  const query = { after: c.req.query("after"), before: c.req.query("before") };
  const paged = await pendingApprovals(deps, query);
  const items = paged.items;
  const now = deps.now();
  const decider = can(c.var.user.role, "approvals:decide");
  return renderPage(
    c,
    "Approvals",
    <>
      <PageStyle nonce={c.var.cspNonce} />
      <h1>Approvals</h1>
      {items.length === 0 ? <p class="muted">Nothing is waiting for a decision.</p> : null}
      {items.map((item) => {
        const { approval: a, grant } = item;
        const d = a.disruption;
        return (
          <section class="card approval" data-approval={a.id}>
            <h2>
              <a href={`/dashboard/recoveries/${encodeURIComponent(d.id)}`}>
                {grant?.description ?? "a gesture"} for {d.customer.name}
              </a>
            </h2>
            <p>
              <strong>{grant ? money(grant.value, grant.currency) : "—"}</strong> · {d.kind} ({d.severity}) · waiting{" "}
              {age(a.requestedAt, now)} (since {fmt(a.requestedAt)}, expires {fmt(a.expiresAt)})
            </p>
            <p class="muted">
              Customer {d.customerId} · tier {d.customer.tier} · {item.recentDisruptions} disruption
              {item.recentDisruptions === 1 ? "" : "s"} in the last 90 days
            </p>
            {grant ? <p class="why">{grant.reason}</p> : null}
            {decider ? <DecideForm item={item} csrf={c.var.csrfToken} /> : null}
          </section>
        );
      })}
      <Pager
        path="/dashboard/approvals"
        query={query}
        paged={paged}
        labels={{ previous: "← Waiting longer", next: "Waiting less →" }}
      />
    </>,
  );
}

export function approvalsRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/approvals", (c) => queue(c, deps));
  approvalDecideRoutes(app, deps);
}
