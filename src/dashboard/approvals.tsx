/** The approval queue (oldest first, with the customer's context) and the decide form for managers. */
import type { Context } from "hono";
import { can } from "../auth/roles.ts";
import type { DashboardEnv } from "../auth/session-middleware.ts";
import { type ApprovalCardData, approvalCard, type PreviewMessage } from "./approval-card.ts";
import { approvalDecideRoutes } from "./approval-decide.ts";
import { CONFIRM_ABOVE } from "./approval-limits.ts";
import { Facts, howLate, parseFacts } from "./facts.tsx";
import { CsrfField, renderPage } from "./layout.tsx";
import { age, MessagePreview, money, PageStyle } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { Time } from "./time.tsx";
import { channelLabel, kindLabel, purposeLabel, reasonText, tierLabel } from "./words.ts";

export const APPROVALS_PAGE_SIZE = 25;

/** A page of pending approvals, oldest first, with their disruption and customer (the card reads the rest). */
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
  const items = paged.rows.map((approval) => ({ approval }));
  return { ...paged, items };
}

/** A refused decision, shown on its card with what the manager typed. */
export interface DecideFormState {
  approvalId: string;
  message: string;
  field: "confirm" | "decision" | "limit";
  note: string;
}

function DecideForm(props: { card: ApprovalCardData; csrf: string; form?: DecideFormState }) {
  const { approval, grant } = props.card;
  const costly = Number(grant?.value ?? 0) > CONFIRM_ABOVE;
  const form = props.form;
  const id = approval.id;
  return (
    <form class="decide" method="post" action={`/dashboard/approvals/${encodeURIComponent(id)}/decide`}>
      <CsrfField token={props.csrf} />
      {form ? (
        <p class="error" role="alert" id={`error-${id}`}>
          {form.message}
        </p>
      ) : null}
      <label for={`note-${id}`}>Note (optional, kept with the decision)</label>
      <input type="text" id={`note-${id}`} name="note" maxlength={1000} value={form?.note ?? ""} />
      {costly ? (
        <label class="check" for={`confirm-${id}`}>
          <input
            type="checkbox"
            id={`confirm-${id}`}
            name="confirm"
            value="yes"
            autofocus={form?.field === "confirm"}
            aria-invalid={form?.field === "confirm" ? "true" : undefined}
            aria-describedby={form?.field === "confirm" ? `error-${id}` : undefined}
          />{" "}
          I confirm granting {grant ? money(grant.value, grant.currency) : ""} (above {CONFIRM_ABOVE})
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

function Previews(props: { title: string; messages: PreviewMessage[]; empty: string; kind: string }) {
  return (
    <section class="preview-choice" data-preview={props.kind}>
      <h3>{props.title}</h3>
      {props.messages.length === 0 ? <p class="muted">{props.empty}</p> : null}
      {props.messages.map((m) => (
        <MessagePreview message={m} />
      ))}
    </section>
  );
}

function ApprovalCard(props: {
  card: ApprovalCardData;
  now: Date;
  decider: boolean;
  csrf: string;
  form?: DecideFormState;
}) {
  const { approval: a, grant, history, budget } = props.card;
  const d = a.disruption;
  const facts = parseFacts(d.facts);
  const late = howLate(facts);
  const cost = grant ? money(grant.value, grant.currency) : "—";
  const value = Number(grant?.value ?? 0);
  const limit = props.card.managerLimit;
  return (
    <section class="card approval" data-approval={a.id} aria-labelledby={`title-${a.id}`}>
      <h2 id={`title-${a.id}`}>
        <a href={`/dashboard/recoveries/${encodeURIComponent(d.id)}`}>
          {grant?.description ?? "A gesture"} for {d.customer.name}
        </a>
      </h2>
      <p class="lead">
        <strong>{cost}</strong> · {kindLabel(d.kind)}
        {late ? `, ${late}` : ""} · waiting {age(a.requestedAt, props.now)}; if nobody decides by{" "}
        <Time at={a.expiresAt} />, the customer gets the lesser gesture.
      </p>
      <div class="facts-grid">
        <div>
          <h3>Customer</h3>
          <p>
            {d.customer.name} · {tierLabel(d.customer.tier)}
          </p>
          <p class="muted">
            {history.recoveries === 0 && history.gestures === 0
              ? "No other recovery in the last 12 months."
              : `${history.recoveries} other recover${history.recoveries === 1 ? "y" : "ies"} and ${history.gestures} gesture${history.gestures === 1 ? "" : "s"} (${money(history.gestureTotal, history.currency)}) in the last 12 months.`}
          </p>
        </div>
        <div>
          <h3>What happened</h3>
          <Facts facts={facts} customerZone={d.customer.timeZone} />
        </div>
        <div>
          <h3>Already told</h3>
          {props.card.told.length === 0 ? (
            <p>Nothing yet: the customer has not heard from us.</p>
          ) : (
            <ul class="told">
              {props.card.told.map((m) => (
                <li>
                  {purposeLabel(m.purpose)} by {channelLabel(m.channel)},{" "}
                  <Time at={m.at} customerZone={d.customer.timeZone} />
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>The gesture</h3>
          <p>
            {grant?.description ?? "—"}: <strong>{cost}</strong>
          </p>
          {grant ? <p class="why">{reasonText(grant.reason)}</p> : null}
          <p>
            {budget
              ? `Budget left this month: ${money(budget.left, budget.currency)} of ${money(budget.limit, budget.currency)}.`
              : "No budget is set for this month."}
          </p>
          <p>
            {limit === null
              ? "You have no approval limit."
              : value > limit
                ? `Above your approval limit of ${money(limit, grant?.currency ?? "")}: ask someone with a higher limit.`
                : `Within your approval limit of ${money(limit, grant?.currency ?? "")}.`}
          </p>
        </div>
      </div>
      <div class="previews">
        <Previews
          kind="approve"
          title="If you approve, the customer gets"
          messages={props.card.ifApproved}
          empty="No message: the customer cannot be reached."
        />
        <Previews
          kind="deny"
          title={
            props.card.lesser
              ? `If you deny (or nobody decides): ${props.card.lesser.description}, ${money(props.card.lesser.value, props.card.lesser.currency)}`
              : "If you deny (or nobody decides)"
          }
          messages={props.card.ifDenied}
          empty="No further message: the policy has no lesser gesture; the apology already sent stands."
        />
      </div>
      {props.decider ? <DecideForm card={props.card} csrf={props.csrf} form={props.form} /> : null}
    </section>
  );
}

/** The queue, each approval as a card; `form` puts a refused decision back on its card (400). */
export async function renderQueue(c: Context<DashboardEnv>, deps: DashboardDeps, form?: DecideFormState) {
  const query = { after: c.req.query("after"), before: c.req.query("before") };
  const paged = await pendingApprovals(deps, query);
  const now = deps.now();
  const decider = can(c.var.user.role, "approvals:decide");
  const cards = await Promise.all(paged.items.map((item) => approvalCard(deps, item.approval, c.var.user)));
  return renderPage(
    c,
    "Approvals",
    <>
      <PageStyle nonce={c.var.cspNonce} />
      <h1>Approvals</h1>
      {cards.length === 0 ? <p class="muted">Nothing is waiting for a decision.</p> : null}
      {cards.map((card) => (
        <ApprovalCard
          card={card}
          now={now}
          decider={decider}
          csrf={c.var.csrfToken}
          form={form?.approvalId === card.approval.id ? form : undefined}
        />
      ))}
      <Pager
        path="/dashboard/approvals"
        query={query}
        paged={paged}
        labels={{ previous: "← Waiting longer", next: "Waiting less →" }}
      />
    </>,
    form ? (form.field === "limit" ? 403 : 400) : 200,
  );
}

export function approvalsRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/approvals", (c) => renderQueue(c, deps));
  approvalDecideRoutes(app, deps, (c, form) => renderQueue(c, deps, form));
}
