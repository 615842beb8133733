import { useId } from 'react';

export interface Bar {
  label: string;
  value: number;
  /** A class for the bar's colour (see reports.css), e.g. "fill-ok". */
  tone: string;
}

interface Props {
  title: string;
  /** One sentence that says what the chart shows, read by screen readers with the title. */
  desc: string;
  bars: Bar[];
  /** Words after a value in the text equivalent: "decisions". */
  unit: string;
}

const WIDTH = 520;
const LABEL_W = 150;
const ROW = 34;
const BAR_H = 22;
const VALUE_W = 44;

/**
 * A horizontal bar chart drawn as inline SVG (no chart library): a <title> and <desc> name it,
 * each bar carries its number, and a table below says the same for screen readers.
 */
export function BarChart({ title, desc, bars, unit }: Props) {
  const id = useId();
  const max = Math.max(1, ...bars.map((b) => b.value));
  const span = WIDTH - LABEL_W - VALUE_W;
  const height = bars.length * ROW + 8;
  return (
    <figure className="chart">
      <svg className="chart-svg" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} style={{ maxWidth: WIDTH }}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{desc}</desc>
        <line x1={LABEL_W} x2={LABEL_W} y1={0} y2={height - 4} className="chart-axis" />
        {bars.map((b, i) => {
          const y = 4 + i * ROW;
          const w = b.value === 0 ? 0 : Math.max(3, (b.value / max) * span);
          return (
            <g key={b.label}>
              <text x={LABEL_W - 8} y={y + BAR_H / 2} className="chart-label" textAnchor="end" dominantBaseline="central">
                {b.label}
              </text>
              <rect x={LABEL_W} y={y} width={w} height={BAR_H} rx={3} className={`chart-bar ${b.tone}`} />
              <text x={LABEL_W + w + 6} y={y + BAR_H / 2} className="chart-value" dominantBaseline="central">
                {b.value}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>
                {b.value} {unit}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
