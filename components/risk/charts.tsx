import { niceScale } from "@/lib/chart-scale";

// Risk profiles' charts, drawn on the server as SVG (no script): a sparkline of monthly hits
// for the list, and the hits over time of one profile with a round axis (lib/chart-scale.ts).

type Month = { month: string; hits: number };

/** Small bars, one per month, oldest first; the label says the figures in words. */
export function Sparkline({ months, label }: { months: Month[]; label: string }) {
  const w = 96;
  const h = 24;
  const max = Math.max(1, ...months.map((m) => m.hits));
  const bw = w / months.length;
  return (
    <svg className="profile-spark" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label}>
      <line x1={0} y1={h - 0.5} x2={w} y2={h - 0.5} stroke="currentColor" strokeOpacity={0.25} />
      {months.map((m, i) => {
        const bh = m.hits === 0 ? 0 : Math.max(2, (m.hits / max) * (h - 2));
        return <rect key={m.month} x={i * bw + 1} y={h - bh} width={Math.max(1, bw - 2)} height={bh} fill="currentColor" />;
      })}
    </svg>
  );
}

/** Hits per month as bars over a round axis; month labels every few bars. */
export function HitsChart({ months, label, monthLabel }: { months: Month[]; label: string; monthLabel: (month: string) => string }) {
  const width = 720;
  const height = 220;
  const left = 44;
  const bottom = 28;
  const top = 10;
  const scale = niceScale(Math.max(0, ...months.map((m) => m.hits)), 4, true);
  const plotH = height - top - bottom;
  const plotW = width - left - 8;
  const bw = plotW / Math.max(1, months.length);
  // at most 6 labels: a Chinese month (2026年12月) is as wide as two bars of a year's chart
  const every = Math.max(1, Math.ceil(months.length / 6));
  const y = (v: number) => top + plotH - (v / scale.max) * plotH;
  return (
    <svg className="profile-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} data-testid="profile-hits-chart">
      {scale.ticks.map((tick) => (
        <g key={tick}>
          <line x1={left} x2={width - 8} y1={y(tick)} y2={y(tick)} stroke="currentColor" strokeOpacity={0.15} />
          <text x={left - 6} y={y(tick) + 4} textAnchor="end" fontSize={11} fill="currentColor">{tick}</text>
        </g>
      ))}
      {months.map((m, i) => {
        const bh = (m.hits / scale.max) * plotH;
        return (
          <g key={m.month}>
            <rect x={left + i * bw + 1} y={top + plotH - bh} width={Math.max(1, bw - 2)} height={bh} className="profile-bar" />
            {i % every === 0 && (
              <text x={left + i * bw + bw / 2} y={height - 10} textAnchor="middle" fontSize={11} fill="currentColor">{monthLabel(m.month)}</text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
