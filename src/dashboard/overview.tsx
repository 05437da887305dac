/** The overview: the trust metrics of PRODUCT.md for a period, by disruption kind, with charts. */
import { DISRUPTION_KINDS } from "../detection/types.ts";
import { loadDeliveryMetrics } from "../recovery/delivery-metrics.ts";
import { disruptionsPerDay, loadTrustMetrics } from "../recovery/metrics-query.ts";
import { DailyBars, Meter } from "./charts.tsx";
import { renderPage } from "./layout.tsx";
import { type DashboardApp, type DashboardDeps, page } from "./register.ts";

const PERIODS = [7, 30, 90] as const;
const DAY = 86_400_000;

const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
const duration = (ms: number | null) =>
  ms === null
    ? "—"
    : ms < 1000
      ? `${Math.round(ms)} ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`;

export function overviewRoutes(app: DashboardApp, deps: DashboardDeps): void {
  page(app, "GET", "/dashboard", async (c) => {
    const days = PERIODS.find((p) => String(p) === c.req.query("days")) ?? 30;
    const kind = DISRUPTION_KINDS.find((k) => k === c.req.query("kind"));
    const now = deps.now();
    const from = new Date(now.getTime() - days * DAY);
    const [m, delivery, perDay, budget] = await Promise.all([
      loadTrustMetrics(deps.prisma, { from, to: now, kind }, now),
      loadDeliveryMetrics(deps.prisma, { from, to: now, kind }),
      disruptionsPerDay(deps.prisma, { from, to: now, kind }),
      deps.prisma.budget.findUnique({ where: { period: now.toISOString().slice(0, 7) } }),
    ]);
    const spent = m.gestureSpend
      .filter((s) => s.currency === (budget?.currency ?? "EUR"))
      .reduce((sum, s) => sum + s.total, 0);
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
                  {k.replace("_", " ")}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit">Show</button>
        </form>
        <section class="cards">
          <div class="card metric" data-metric="proactive-rate">
            <h2>Told first</h2>
            <p class="big">{percent(m.proactiveRate)}</p>
            <p class="muted">{`of ${m.notified} notified disruptions, our message came before any complaint`}</p>
          </div>
          <div class="card metric" data-metric="time-to-notify">
            <h2>Time to notify</h2>
            <p class="big">{duration(m.timeToNotifyMs.p50)}</p>
            <p class="muted">{`median; p95 ${duration(m.timeToNotifyMs.p95)} (signal → provider accepted)`}</p>
          </div>
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
          <div class="card metric" data-metric="delivery-failures">
            <h2>Delivery failures</h2>
            <p class="big">{String(m.deliveryFailures + delivery.channels.reduce((n, ch) => n + ch.failed, 0))}</p>
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
        <section class="card">
          <h2>{`Disruptions per day (${m.disruptions})`}</h2>
          <DailyBars days={perDay} />
          <p class="muted">Green: we told the customer first. Orange: the customer complained first.</p>
        </section>
        <section class="card" data-metric="gesture-spend">
          <h2>Gesture spend</h2>
          {budget ? (
            <>
              <Meter label="Spent this month" value={spent} max={Number(budget.limit)} unit={budget.currency} />
              <p class="muted">{`${spent} of ${Number(budget.limit)} ${budget.currency} budget for ${budget.period}`}</p>
            </>
          ) : (
            <p class="muted">No budget is set for this month.</p>
          )}
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
                  <td data-label="Gesture">{s.kind.replace("_", " ")}</td>
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
