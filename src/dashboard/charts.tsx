/** Small server-rendered SVG charts: no script, no external assets, readable without colour alone. */

export interface DayBar {
  /** "2026-11-03", or "27 Oct – 2 Nov" for a week. */
  label: string;
  /** Stacked from the bottom; each part links to its recoveries. */
  parts: Array<{ count: number; words: string; fill: string; href: string }>;
}

/** Disruptions per day (or week), stacked by what happened, each part a link to its recoveries. */
export function DailyBars(props: { name: string; bars: DayBar[] }) {
  const width = 640;
  const height = 160;
  const max = Math.max(1, ...props.bars.map((b) => b.parts.reduce((n, p) => n + p.count, 0)));
  const slot = width / Math.max(1, props.bars.length);
  const bar = Math.max(2, slot * 0.7);
  const y = (n: number) => (n / max) * (height - 20);
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} aria-label={props.name}>
      <title>{props.name}</title>
      <line x1="0" y1={height - 1} x2={width} y2={height - 1} stroke="#999" />
      {props.bars.map((d, i) => {
        const x = i * slot + (slot - bar) / 2;
        let top = height - 1;
        return (
          <g>
            <title>{`${d.label}: ${d.parts.map((p) => `${p.count} ${p.words}`).join(", ")}`}</title>
            {d.parts.map((p) => {
              if (p.count === 0) return null;
              const h = y(p.count);
              top -= h;
              return (
                <a href={p.href} aria-label={`${d.label}: ${p.count} ${p.words}. Show them`}>
                  <rect x={x} y={top} width={bar} height={h} fill={p.fill} />
                </a>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
