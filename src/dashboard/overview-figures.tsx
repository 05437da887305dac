/**
 * The overview's four headline figures — told first, time to notify, delivered, gesture spend —
 * each with the previous period beside it, a per-day (per-week) trend, and links to the
 * recoveries behind every number and every bar (./recovery-filters.tsx).
 */
import type { PeriodFigures, Series, SeriesBucket } from "../recovery/metrics-series.ts";
import type { Outcome } from "../recovery/queries.ts";
import type { DayBar } from "./charts.tsx";
import { recoveriesHref } from "./recovery-filters.tsx";
import { TrendBars, type TrendPoint } from "./trend-charts.tsx";

export const percent = (v: number | null) => (v === null ? "—" : `${Math.round(v * 100)}%`);
export const duration = (ms: number | null) =>
  ms === null
    ? "—"
    : ms < 1000
      ? `${Math.round(ms)} ms`
      : ms < 120_000
        ? `${(ms / 1000).toFixed(1)} s`
        : `${Math.round(ms / 60_000)} min`;
export const money = (v: number, currency: string) =>
  `${(Math.round(v * 100) / 100).toLocaleString("en-GB", { maximumFractionDigits: 2 })} ${currency}`;

export interface OverviewPeriods {
  days: number;
  kind?: string;
  current: Series;
  previous: Series;
  currency: string;
  /** The period's p95 time to notify (from the totals' histograms), said under the median. */
  timeToNotifyP95Ms: number | null;
}

const shortDay = (day: string) =>
  new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
export const bucketLabel = (b: SeriesBucket) =>
  b.first === b.last ? shortDay(b.first) : `${shortDay(b.first)} – ${shortDay(b.last)}`;

const spendIn = (f: PeriodFigures, currency: string) =>
  f.spend.find((s) => s.currency === currency) ?? { total: 0, count: 0 };

/** "▲ 7 points, better" — the change in words, so the arrow's colour is never needed. */
function change(now: number | null, before: number | null, unit: "points" | "ms" | "money", lowerIsBetter = false) {
  if (now === null || before === null) return "";
  const diff = now - before;
  const size =
    unit === "points" ? Math.round(diff * 100) : unit === "ms" ? Math.round(diff) : Math.round(diff * 100) / 100;
  if (size === 0) return " · = no change";
  const better = lowerIsBetter ? diff < 0 : diff > 0;
  const amount =
    unit === "points" ? `${Math.abs(size)} points` : unit === "ms" ? duration(Math.abs(size)) : `${Math.abs(size)}`;
  const verdict = unit === "money" ? "" : better ? ", better" : ", worse";
  return ` · ${diff > 0 ? "▲" : "▼"} ${amount}${verdict}`;
}

function Figure(props: {
  name: string;
  title: string;
  big: string;
  href: string;
  previous: { text: string; href: string; change: string };
  periodWords: string;
  children?: unknown;
}) {
  return (
    <section class="card metric figure" data-metric={props.name}>
      <h2>{props.title}</h2>
      <p class="big">
        <a href={props.href} aria-label={`${props.title}: ${props.big}. Show the recoveries behind it`}>
          {props.big}
        </a>
      </p>
      <p class="compare" data-compare>
        {`previous ${props.periodWords} `}
        <a href={props.previous.href}>{props.previous.text}</a>
        {props.previous.change}
      </p>
      {props.children}
    </section>
  );
}

/** The four figures, side by side on a wide screen, one under the other on a phone. */
export function HeadlineFigures(props: OverviewPeriods) {
  const { current: cur, previous: prev, kind, currency } = props;
  const c = cur.totals;
  const p = prev.totals;
  const per = props.days === 90 ? "week" : "day";
  const periodWords = `${props.days} days`;
  const link = (outcome: Outcome, f: { from: Date; to: Date }) =>
    recoveriesHref({ outcome, kind, from: f.from, to: f.to });
  const points = (value: (b: SeriesBucket) => number | null, words: (b: SeriesBucket) => string, outcome: Outcome) =>
    cur.buckets.map(
      (b): TrendPoint => ({ label: bucketLabel(b), value: value(b), words: words(b), href: link(outcome, b) }),
    );
  const cSpend = spendIn(c, currency);
  const pSpend = spendIn(p, currency);
  return (
    <section class="figures" aria-label="How we are doing">
      <Figure
        name="proactive-rate"
        title="Told first"
        big={percent(c.toldFirstRate)}
        href={link("notified", c)}
        periodWords={periodWords}
        previous={{
          text: percent(p.toldFirstRate),
          href: link("notified", p),
          change: change(c.toldFirstRate, p.toldFirstRate, "points"),
        }}
      >
        <p class="muted">
          {`of ${c.notified} notified disruptions: `}
          <a href={link("told_first", c)}>{`${c.toldFirst} told first`}</a>
          {" · "}
          <a href={link("not_told_first", c)}>{`${c.notToldFirst} complained first`}</a>
        </p>
        <TrendBars
          name={`Told first per ${per}; the dashed line is the previous ${periodWords}`}
          max={1}
          previous={{ value: p.toldFirstRate, words: `previous ${periodWords}: ${percent(p.toldFirstRate)}` }}
          points={points(
            (b) => b.toldFirstRate,
            (b) =>
              b.notified ? `${percent(b.toldFirstRate)} told first (${b.toldFirst} of ${b.notified})` : "no one told",
            "notified",
          )}
        />
      </Figure>
      <Figure
        name="time-to-notify"
        title="Time to notify"
        big={duration(c.timeToNotifyP50Ms)}
        href={link("notified", c)}
        periodWords={periodWords}
        previous={{
          text: duration(p.timeToNotifyP50Ms),
          href: link("notified", p),
          change: change(c.timeToNotifyP50Ms, p.timeToNotifyP50Ms, "ms", true),
        }}
      >
        <p class="muted">{`median, signal → first message accepted, of ${c.notified} notified; p95 ${duration(props.timeToNotifyP95Ms)}`}</p>
        <TrendBars
          name={`Median time to notify per ${per}; the dashed line is the previous ${periodWords}`}
          previous={{ value: p.timeToNotifyP50Ms, words: `previous ${periodWords}: ${duration(p.timeToNotifyP50Ms)}` }}
          points={points(
            (b) => b.timeToNotifyP50Ms,
            (b) => (b.notified ? `median ${duration(b.timeToNotifyP50Ms)} (${b.notified} notified)` : "no one told"),
            "notified",
          )}
        />
      </Figure>
      <Figure
        name="delivered-rate"
        title="Delivered"
        big={percent(c.deliveredRate)}
        href={link("undelivered", c)}
        periodWords={periodWords}
        previous={{
          text: percent(p.deliveredRate),
          href: link("undelivered", p),
          change: change(c.deliveredRate, p.deliveredRate, "points"),
        }}
      >
        <p class="muted">
          {`of ${c.reported} messages the providers reported on; `}
          <a href={link("undelivered", c)}>{`${c.undelivered} messages bounced or not delivered`}</a>
        </p>
        <TrendBars
          name={`Delivered rate per ${per}; the dashed line is the previous ${periodWords}`}
          max={1}
          previous={{ value: p.deliveredRate, words: `previous ${periodWords}: ${percent(p.deliveredRate)}` }}
          points={points(
            (b) => b.deliveredRate,
            (b) =>
              b.reported
                ? `${percent(b.deliveredRate)} delivered (${b.delivered} of ${b.reported}; ${b.undelivered} not)`
                : "no delivery reports",
            "undelivered",
          )}
        />
      </Figure>
      <Figure
        name="spend"
        title="Gesture spend"
        big={money(cSpend.total, currency)}
        href={link("gesture_granted", c)}
        periodWords={periodWords}
        previous={{
          text: money(pSpend.total, currency),
          href: link("gesture_granted", p),
          change: change(cSpend.total, pSpend.total, "money"),
        }}
      >
        <p class="muted">
          <a href={link("gesture_granted", c)}>{`${cSpend.count} gestures granted`}</a>
        </p>
        <TrendBars
          name={`Gesture spend per ${per} in ${currency}; the dashed line is the previous ${periodWords}' ${per}ly average`}
          previous={{
            value: prev.buckets.length ? pSpend.total / prev.buckets.length : null,
            words: `previous ${periodWords}: ${money(pSpend.total, currency)}`,
          }}
          points={points(
            (b) => (spendIn(b, currency).count ? spendIn(b, currency).total : null),
            (b) => {
              const s = spendIn(b, currency);
              return s.count ? `${money(s.total, currency)} granted (${s.count})` : "nothing granted";
            },
            "gesture_granted",
          )}
        />
      </Figure>
    </section>
  );
}

/** The disruptions per day (week) chart's bars: told first, complained first, not told yet. */
export function disruptionBars(series: Series, kind: string | undefined): DayBar[] {
  return series.buckets.map((b) => ({
    label: bucketLabel(b),
    parts: [
      {
        count: b.toldFirst,
        words: "told first",
        fill: "#0b6e4f",
        href: recoveriesHref({ outcome: "told_first", kind, from: b.from, to: b.to }),
      },
      {
        count: b.complainedFirst,
        words: "complained first",
        fill: "#c2410c",
        href: recoveriesHref({ outcome: "complained_first", kind, from: b.from, to: b.to }),
      },
      {
        count: b.notToldYet,
        words: "not told yet",
        fill: "#8a8f98",
        href: recoveriesHref({ outcome: "not_told_yet", kind, from: b.from, to: b.to }),
      },
    ],
  }));
}
