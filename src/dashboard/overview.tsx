/**
 * The overview: "are we doing well?" — the four headline figures of a period with the previous
 * period beside them and their trends (./overview-figures.tsx), this month's spend against its
 * budget, and the other trust metrics of PRODUCT.md, for a kind or all. Every figure links to the
 * recoveries behind it. The period is the last 7, 30 or 90 UTC days, today's so far included.
 */
import { DISRUPTION_KINDS } from "../detection/types.ts";
import { validationFailed } from "../http/errors.ts";
import { loadGestureFollowUps } from "../recovery/approval-metrics.ts";
import { loadDeliveryMetrics } from "../recovery/delivery-metrics.ts";
import { loadTrustMetrics } from "../recovery/metrics-query.ts";
import { loadSeries, previousPeriod } from "../recovery/metrics-series.ts";
import { DailyBars } from "./charts.tsx";
import { renderPage } from "./layout.tsx";
import { disruptionBars, duration, HeadlineFigures, money, percent } from "./overview-figures.tsx";
import { recoveriesHref } from "./recovery-filters.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";
import { BudgetBurn } from "./trend-charts.tsx";
import { kindLabel } from "./words.ts";

const PERIODS = [7, 30, 90] as const;
const DAY = 86_400_000;

/** `?days=&kind=`: empty means the default; anything else unreadable is a 400 naming it. */
function readQuery(q: Record<string, string | undefined>) {
  const issues: Array<{ field: string; message: string }> = [];
  const days = q.days ? PERIODS.find((p) => String(p) === q.days) : 30;
  if (days === undefined) issues.push({ field: "days", message: `must be one of: ${PERIODS.join(", ")}` });
  const kind = q.kind ? DISRUPTION_KINDS.find((k) => k === q.kind) : undefined;
  if (q.kind && !kind) issues.push({ field: "kind", message: `must be one of: ${DISRUPTION_KINDS.join(", ")}` });
  if (issues.length) throw validationFailed("the overview's period", issues);
  return { days: days ?? 30, kind };
}

export function overviewRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard", async (c) => {
    const { days, kind } = readQuery(c.req.query());
    const now = deps.now();
    const from = new Date(Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY);
    const before = previousPeriod(from, now);
    const size = days === 90 ? 7 : 1;
    const month = now.toISOString().slice(0, 7);
    const monthStart = new Date(`${month}-01T00:00:00.000Z`);
    const [m, delivery, current, previous, thisMonth, budget, decided] = await Promise.all([
      loadTrustMetrics(deps.prisma, { from, to: now, kind }, now),
      loadDeliveryMetrics(deps.prisma, { from, to: now, kind }, now),
      loadSeries(deps.prisma, { from, to: now, kind }, now, size),
      loadSeries(deps.prisma, { ...before, kind }, now, size),
      // The budget is the month's, for every kind.
      loadSeries(deps.prisma, { from: monthStart, to: now }, now, 1),
      deps.prisma.budget.findUnique({ where: { period: month } }),
      loadGestureFollowUps(deps.prisma, { from, to: now, kind }, now),
    ]);
    const currency = budget?.currency ?? current.totals.spend[0]?.currency ?? "EUR";
    let spent = 0;
    const cumulative = thisMonth.buckets.map((b) => {
      spent += b.spend.find((s) => s.currency === currency)?.total ?? 0;
      return Math.round(spent * 100) / 100;
    });
    const daysInMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    const limit = budget ? Number(budget.limit) : 0;
    const pace = limit * (cumulative.length / daysInMonth);
    const failures = m.deliveryFailures + delivery.channels.reduce((n, ch) => n + ch.failed, 0);
    return renderPage(
      c,
      "Overview",
      <>
        <h1>Overview</h1>
        <form method="get" action="/dashboard" class="filters">
          <label>
            Period{" "}
            <select name="days">
              {PERIODS.map((p) => (
                <option value={String(p)} selected={p === days}>{`last ${p} days`}</option>
              ))}
            </select>
          </label>{" "}
          <label>
            Kind{" "}
            <select name="kind">
              <option value="">all kinds</option>
              {DISRUPTION_KINDS.map((k) => (
                <option value={k} selected={k === kind}>
                  {kindLabel(k)}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">Show</button>
        </form>
        <p class="muted">
          {`The last ${days} UTC days, today's so far included; "previous" is the ${days} days before, to the same time of day. ${days === 90 ? "Bars are weeks" : "Bars are days"}; the dashed line is the previous period. Every figure and bar opens the recoveries behind it.`}
        </p>
        <HeadlineFigures
          days={days}
          kind={kind}
          current={current}
          previous={previous}
          currency={currency}
          timeToNotifyP95Ms={m.timeToNotifyMs.p95}
        />
        <section class="card" data-metric="budget">
          <h2>{`Spend against this month's budget (${month})`}</h2>
          {budget ? (
            <>
              <BudgetBurn
                month={month}
                daysInMonth={daysInMonth}
                cumulative={cumulative}
                budget={limit}
                currency={currency}
              />
              <p class="muted">
                {`${money(spent, currency)} of ${money(limit, currency)} spent after ${cumulative.length} of ${daysInMonth} days — ${spent > pace ? "faster than" : "within"} an even pace (${money(Math.round(pace), currency)} by today). Green: spent so far, added up day by day; red: the budget; dashed: an even pace to the budget at the month's end — above it, the budget runs out early. All kinds: the budget is shared.`}
              </p>
            </>
          ) : (
            <p class="muted">No budget is set for this month.</p>
          )}
        </section>
        <section class="cards">
          <div class="card metric" data-metric="promise-kept">
            <h2>Promise kept</h2>
            <p class="big">{percent(m.promiseKept.rate)}</p>
            <p class="muted">{`${m.promiseKept.kept} of ${m.promiseKept.promised} follow-ups sent on time`}</p>
          </div>
          <div class="card metric" data-metric="pending-approvals">
            <h2>Waiting for a manager</h2>
            <p class="big">{String(m.pendingApprovals.count)}</p>
            <p class="muted">
              {m.pendingApprovals.oldestAgeMs === null
                ? "nothing pending"
                : `oldest waiting ${duration(m.pendingApprovals.oldestAgeMs)}`}
            </p>
          </div>
          <div class="card metric" data-metric="gesture-follow-ups">
            <h2>Apology before the decision</h2>
            <p class="big">
              {decided.requested === 0 ? (
                "—"
              ) : (
                <a href={recoveriesHref({ outcome: "needed_approval", kind, from, to: now })}>
                  {percent(decided.apologyFirstRate)}
                </a>
              )}
            </p>
            <p class="muted">
              {decided.requested === 0
                ? "no gesture waited for a manager"
                : `of ${decided.requested} customers whose gesture waited for a manager had our apology first. ${decided.approved} approved, ${decided.denied} denied, ${decided.timedOut} timed out, ${decided.pending} waiting; the gesture's own message went ${decided.decisionToMessageMs.p50 === null ? "—" : duration(decided.decisionToMessageMs.p50)} after the decision (median).`}
            </p>
          </div>
          <div class="card metric" data-metric="delivery-failures">
            <h2>Delivery failures</h2>
            <p class="big">{String(failures)}</p>
            <p class="muted">{`refused at once or bounced / undelivered later; ${delivery.fallbacks} sent on the other channel instead`}</p>
          </div>
        </section>
        <section class="card" data-metric="delivery">
          <h2>Delivered</h2>
          {delivery.channels.length === 0 ? <p class="muted">Nothing sent in this period.</p> : null}
          <table>
            <thead>
              <tr>
                <th>Channel</th>
                <th>Provider</th>
                <th>Sent</th>
                <th>Delivered</th>
                <th>Failed</th>
                <th>Time to delivered</th>
              </tr>
            </thead>
            <tbody>
              {delivery.channels.map((ch) => (
                <tr>
                  <td data-label="Channel">{ch.channel}</td>
                  <td data-label="Provider">{ch.provider}</td>
                  <td data-label="Sent">{String(ch.sent)}</td>
                  <td data-label="Delivered">
                    {ch.reported ? `${percent(ch.deliveredRate)} of ${ch.reported} reported` : "no reports"}
                  </td>
                  <td data-label="Failed">{String(ch.failed)}</td>
                  <td data-label="Time to delivered">{`${duration(ch.timeToDeliveredMs.p50)} (p95 ${duration(ch.timeToDeliveredMs.p95)})`}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="muted">{`From the providers' delivery reports (webhooks). ${delivery.complaints} marked as spam.`}</p>
        </section>
        <section class="card" data-metric="disruptions">
          <h2>
            {`Disruptions per ${days === 90 ? "week" : "day"} (`}
            <a href={recoveriesHref({ outcome: "counted", kind, from, to: now })}>{String(m.disruptions)}</a>)
          </h2>
          <DailyBars
            name={`Disruptions per ${days === 90 ? "week" : "day"}, by what happened`}
            bars={disruptionBars(current, kind)}
          />
          <p class="muted">
            Green: we told the customer first. Orange: the customer complained first. Grey: not told yet. Each part
            opens its recoveries.
          </p>
        </section>
        <section class="card" data-metric="gesture-spend">
          <h2>Gestures granted in the period</h2>
          <table>
            <thead>
              <tr>
                <th>Gesture</th>
                <th>Granted</th>
                <th>Total</th>
              </tr>
            </thead>
            <tbody>
              {m.gestureSpend.map((s) => (
                <tr>
                  <td data-label="Gesture">{s.kind.replaceAll("_", " ")}</td>
                  <td data-label="Granted">{String(s.count)}</td>
                  <td data-label="Total">{`${s.total} ${s.currency}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </>,
    );
  });
}
