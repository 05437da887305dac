/** Small server-rendered SVG charts: no script, no external assets, readable without colour alone. */

export function DailyBars(props: { days: Array<{ day: string; proactive: number; complainedFirst: number }> }) {
  const width = 640;
  const height = 160;
  const max = Math.max(1, ...props.days.map((d) => d.proactive + d.complainedFirst));
  const slot = width / Math.max(1, props.days.length);
  const bar = Math.max(2, slot * 0.7);
  const y = (n: number) => (n / max) * (height - 20);
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={`Disruptions per day: ${props.days.map((d) => `${d.day} ${d.proactive} told first, ${d.complainedFirst} complained first`).join("; ")}`}
    >
      <line x1="0" y1={height - 1} x2={width} y2={height - 1} stroke="#999" />
      {props.days.map((d, i) => {
        const x = i * slot + (slot - bar) / 2;
        const told = y(d.proactive);
        const complained = y(d.complainedFirst);
        return (
          <g>
            <title>{`${d.day}: ${d.proactive} told first, ${d.complainedFirst} complained first`}</title>
            <rect x={x} y={height - 1 - told} width={bar} height={told} fill="#0b6e4f" />
            <rect x={x} y={height - 1 - told - complained} width={bar} height={complained} fill="#c2410c" />
          </g>
        );
      })}
    </svg>
  );
}

export function Meter(props: { label: string; value: number; max: number; unit: string }) {
  const share = props.max > 0 ? Math.min(1, props.value / props.max) : 0;
  return (
    <svg
      class="meter"
      viewBox="0 0 300 24"
      role="img"
      aria-label={`${props.label}: ${props.value} of ${props.max} ${props.unit}`}
    >
      <rect x="0" y="4" width="300" height="16" rx="4" fill="#e5e7eb" />
      <rect x="0" y="4" width={300 * share} height="16" rx="4" fill={share > 0.9 ? "#c2410c" : "#0b6e4f"} />
    </svg>
  );
}
