/**
 * The overview's small trend charts, server-rendered SVG like ./charts.tsx: no script, every bar a
 * link to the recoveries behind it (named by its aria-label, with the figure in its <title>), the
 * previous period as a dashed line, the chart named as a group. Colour is never the only signal:
 * each bar's words say what it is.
 */

export interface TrendPoint {
  /** "3 Nov" or "27 Oct – 2 Nov". */
  label: string;
  /** The bar's height (null: nothing to show that day). */
  value: number | null;
  /** What the bar says: "62% told first (8 of 13)". */
  words: string;
  href: string;
}

const WIDTH = 300;
const HEIGHT = 72;
const BASE = HEIGHT - 2;

/** Bars of one figure per day or week, with the previous period's figure as a dashed line. */
export function TrendBars(props: {
  name: string;
  points: TrendPoint[];
  /** The top of the scale (1 for rates); else the largest value. */
  max?: number;
  previous?: { value: number | null; words: string };
}) {
  const values = props.points.map((p) => p.value ?? 0);
  const max = props.max ?? Math.max(1e-9, ...values, props.previous?.value ?? 0);
  const slot = WIDTH / Math.max(1, props.points.length);
  const bar = Math.max(2, slot * 0.7);
  const y = (v: number) => BASE - (Math.max(0, v) / max) * (BASE - 4);
  const prev = props.previous?.value;
  return (
    <svg class="trend" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-label={props.name}>
      <title>{props.name}</title>
      <line x1="0" y1={BASE} x2={WIDTH} y2={BASE} stroke="#8a8f98" />
      {props.points.map((p, i) => {
        const x = i * slot + (slot - bar) / 2;
        if (p.value === null)
          return (
            <g>
              <title>{`${p.label}: ${p.words}`}</title>
              <rect x={x} y={BASE - 1} width={bar} height="1" fill="#8a8f98" />
            </g>
          );
        const top = y(p.value);
        return (
          <a href={p.href} aria-label={`${p.label}: ${p.words}. Show these recoveries`}>
            <title>{`${p.label}: ${p.words}`}</title>
            {/* The whole slot is the link's target, so a thin bar stays easy to click. */}
            <rect x={i * slot} y="0" width={slot} height={BASE} fill="transparent" />
            <rect x={x} y={top} width={bar} height={Math.max(1, BASE - top)} fill="#0b6e4f" />
          </a>
        );
      })}
      {prev !== null && prev !== undefined ? (
        <g>
          <title>{props.previous?.words}</title>
          <line
            x1="0"
            y1={y(prev)}
            x2={WIDTH}
            y2={y(prev)}
            stroke="#8a5a00"
            stroke-width="1.5"
            stroke-dasharray="5 4"
          />
        </g>
      ) : null}
    </svg>
  );
}

/**
 * This month's gesture spend, added up day by day, against the month's budget (solid line) and
 * an even pace (dashed diagonal from nothing to the budget at the month's end): a line above the
 * diagonal spends faster than the budget lasts.
 */
export function BudgetBurn(props: {
  month: string;
  daysInMonth: number;
  /** Cumulative spend after each day so far (index 0: the 1st). */
  cumulative: number[];
  budget: number;
  currency: string;
}) {
  const w = 300;
  const h = 110;
  const base = h - 4;
  const max = Math.max(props.budget, props.cumulative.at(-1) ?? 0) * 1.08 || 1;
  const x = (day: number) => (day / props.daysInMonth) * w;
  const y = (v: number) => base - (v / max) * (base - 4);
  const points = [`0,${base}`, ...props.cumulative.map((v, i) => `${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`)];
  const spent = props.cumulative.at(-1) ?? 0;
  return (
    <svg
      class="burn"
      viewBox={`0 0 ${w} ${h}`}
      role="img"
      aria-label={`Gesture spend in ${props.month}: ${spent} of ${props.budget} ${props.currency} after ${props.cumulative.length} of ${props.daysInMonth} days`}
    >
      <title>{props.cumulative.map((v, i) => `day ${i + 1}: ${v} ${props.currency}`).join("; ")}</title>
      <line x1="0" y1={base} x2={w} y2={base} stroke="#8a8f98" />
      <line x1="0" y1={y(props.budget)} x2={w} y2={y(props.budget)} stroke="#b3261e" stroke-width="1.5" />
      <line x1="0" y1={base} x2={w} y2={y(props.budget)} stroke="#8a5a00" stroke-width="1.5" stroke-dasharray="5 4" />
      <polyline points={points.join(" ")} fill="none" stroke="#0b6e4f" stroke-width="2.5" />
    </svg>
  );
}
