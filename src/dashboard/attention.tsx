/**
 * Signals that needed attention: parts of accepted events makegood did not act
 * on and a person should look at — a booking, order or deliverable whose
 * customer is unknown (held, released or expired), a delay without its length,
 * a complaint matching nothing. Newest first, a page at a time, filterable by reason.
 * Every value shown comes from senders; Hono JSX escapes it.
 */
import type { SignalIssue } from "../db/generated/node/client.ts";
import { ATTENTION_REASONS, parseStoredOutcome } from "../recovery/outcome.ts";
import { supersededBy } from "../recovery/signal-issues.ts";
import { renderPage } from "./layout.tsx";
import { fmt, PageStyle } from "./message-preview.tsx";
import { keysetPage, Pager } from "./paging.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const PAGE_SIZE = 25;

/** What each reason means to a person. */
export const ATTENTION_LABELS: Record<string, string> = {
  unknown_customer: "Unknown customer",
  no_delay_length: "Delay without its length",
  complaint_unmatched: "Complaint matching no disruption",
};

function HoldState(props: { issue: SignalIssue; now: Date }) {
  const { issue, now } = props;
  if (!issue.heldUntil) return <span class="muted">—</span>;
  const newer = supersededBy(issue.releaseOutcome);
  if (issue.releasedAt && newer) {
    return (
      <span>
        <span class="badge">superseded</span> by {newer}
      </span>
    );
  }
  if (issue.releasedAt) {
    const opened = issue.releaseOutcome ? parseStoredOutcome(issue.releaseOutcome).opened : [];
    return (
      <span>
        <span class="badge">released</span> {fmt(issue.releasedAt)}
        {opened.map((id) => (
          <>
            {" "}
            <a href={`/dashboard/recoveries/${encodeURIComponent(id)}`}>recovery</a>
          </>
        ))}
      </span>
    );
  }
  return issue.heldUntil < now ? (
    <span>
      <span class="badge">expired</span> {fmt(issue.heldUntil)}
    </span>
  ) : (
    <span>
      <span class="badge pending">held</span> until {fmt(issue.heldUntil)}
    </span>
  );
}

export function attentionRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard/attention", async (c) => {
    const wanted = c.req.query("reason");
    const reason = wanted && ATTENTION_REASONS.has(wanted as never) ? wanted : undefined;
    const query = { reason, after: c.req.query("after"), before: c.req.query("before") };
    const paged = await keysetPage(
      query,
      PAGE_SIZE,
      "createdAt",
      "desc",
      (i: SignalIssue) => ({ at: i.createdAt, id: i.id }),
      ({ where, direction, take }) =>
        deps.prisma.signalIssue.findMany({
          where: { AND: [reason ? { reason } : {}, where] },
          orderBy: [{ createdAt: direction }, { id: direction }],
          take,
        }),
    );
    const rows = paged.rows;
    const now = deps.now();
    return renderPage(
      c,
      "Attention",
      <>
        <PageStyle nonce={c.var.cspNonce} />
        <h1>Signals that need attention</h1>
        <p class="muted">
          Parts of accepted events makegood could not act on. A booking, order or deliverable of an unknown customer is
          held: when the customer's record arrives before the hold ends, its recovery starts.
        </p>
        <form class="filters" method="get" action="/dashboard/attention">
          <label>
            Reason
            <select name="reason">
              <option value="">any</option>
              {[...ATTENTION_REASONS].map((r) => (
                <option value={r} selected={reason === r}>
                  {ATTENTION_LABELS[r] ?? r}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Filter</button>
        </form>
        {rows.length === 0 ? (
          <p class="muted">Nothing needs attention.</p>
        ) : (
          <table class="attention">
            <thead>
              <tr>
                <th>When</th>
                <th>Reason</th>
                <th>Event</th>
                <th>Customer</th>
                <th>Subject</th>
                <th>Detail</th>
                <th>Hold</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((issue) => (
                <tr data-issue={issue.id}>
                  <td data-label="When">{fmt(issue.createdAt)}</td>
                  <td data-label="Reason">{ATTENTION_LABELS[issue.reason] ?? issue.reason}</td>
                  <td data-label="Event">
                    {issue.eventId} <span class="muted">({issue.eventType})</span>
                  </td>
                  <td data-label="Customer">{issue.customerId ?? "—"}</td>
                  <td data-label="Subject">{issue.subjectKey ?? "—"}</td>
                  <td data-label="Detail">{issue.detail}</td>
                  <td data-label="Hold">
                    <HoldState issue={issue} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager path="/dashboard/attention" query={query} paged={paged} />
      </>,
    );
  });
}
