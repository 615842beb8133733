import { useId } from 'react';
import {
  IMPLEMENTATION_STATUS_LABELS,
  IMPLEMENTATION_STATUSES,
  NON_IMPLEMENTATION_REASON_LABELS,
  NON_IMPLEMENTATION_REASONS,
} from '../../../../shared/schemas/rounds.js';
import type { QualityReportView } from '../../../../shared/schemas/quality.js';

type Implementation = QualityReportView['implementation'];
type StatusKey = (typeof IMPLEMENTATION_STATUSES)[number] | 'unknown';

/** The statuses in the order they stack, with their words and colours. */
const STATUSES: { key: StatusKey; label: string; tone: string }[] = [
  ...IMPLEMENTATION_STATUSES.map((s) => ({ key: s, label: IMPLEMENTATION_STATUS_LABELS[s], tone: `fill-${s}` })),
  { key: 'unknown', label: 'No follow-up recorded', tone: 'fill-unknown' },
];

const ROWS = [
  { key: 'at30', label: 'At 30 days' },
  { key: 'at90', label: 'At 90 days' },
] as const;

const WIDTH = 520;
const LABEL_W = 110;
const ROW = 40;
const BAR_H = 24;
const LEGEND_ROW = 22;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Whether decisions were carried out, 30 and 90 days on: one bar per checkpoint, stacked by status
 * as shares of the decisions due, as inline SVG with its title, description and a table for screen
 * readers; then the reasons given for what was not (fully) carried out.
 */
export function ImplementationChart({ implementation }: { implementation: Implementation }) {
  const id = useId();
  const span = WIDTH - LABEL_W - 8;
  const legendY = ROWS.length * ROW + 12;
  const height = legendY + Math.ceil(STATUSES.length / 2) * LEGEND_ROW;
  const count = (row: (typeof ROWS)[number]['key'], s: StatusKey) => implementation[row].byStatus[s] ?? 0;
  const desc = ROWS.map((r) => {
    const i = implementation[r.key];
    if (i.due === 0) return `${r.label}: no decision is that old yet.`;
    return `${r.label}, of ${plural(i.due, 'decision')}: ${STATUSES.map((s) => `${count(r.key, s.key)} ${s.label.toLowerCase()}`).join(', ')}.`;
  }).join(' ');
  const reasons = NON_IMPLEMENTATION_REASONS.filter((r) => (implementation.at30.reasons[r] ?? 0) + (implementation.at90.reasons[r] ?? 0) > 0);

  return (
    <>
      <figure className="chart">
        <svg className="chart-svg" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} style={{ maxWidth: WIDTH }}>
          <title id={`${id}-t`}>Implementation at 30 and 90 days</title>
          <desc id={`${id}-d`}>{desc}</desc>
          {ROWS.map((r, ri) => {
            const i = implementation[r.key];
            const y = 6 + ri * ROW;
            let x = LABEL_W;
            return (
              <g key={r.key}>
                <text x={0} y={y + BAR_H / 2} className="chart-label" dominantBaseline="central">
                  {r.label}
                </text>
                <text x={0} y={y + BAR_H / 2 + 14} className="chart-sub" dominantBaseline="central">
                  {i.due === 0 ? 'none due yet' : `${i.due} due`}
                </text>
                {i.due === 0 ? (
                  <rect x={LABEL_W} y={y} width={span} height={BAR_H} rx={3} className="chart-empty" />
                ) : (
                  STATUSES.map((s) => {
                    const n = count(r.key, s.key);
                    if (n === 0) return null;
                    const w = (n / i.due) * span;
                    const seg = (
                      <g key={s.key}>
                        <rect x={x} y={y} width={w} height={BAR_H} className={`chart-bar ${s.tone}`} />
                        {w >= 22 && (
                          <text x={x + w / 2} y={y + BAR_H / 2} className={`chart-seg-value ${s.tone}`} textAnchor="middle" dominantBaseline="central">
                            {n}
                          </text>
                        )}
                      </g>
                    );
                    x += w;
                    return seg;
                  })
                )}
              </g>
            );
          })}
          {STATUSES.map((s, si) => {
            const lx = (si % 2) * (WIDTH / 2);
            const ly = legendY + Math.floor(si / 2) * LEGEND_ROW;
            return (
              <g key={s.key}>
                <rect x={lx} y={ly} width={14} height={14} rx={2} className={`chart-bar ${s.tone}`} />
                <text x={lx + 20} y={ly + 7} className="chart-legend" dominantBaseline="central">
                  {s.label}
                </text>
              </g>
            );
          })}
        </svg>
        <table className="visually-hidden">
          <caption>Implementation at 30 and 90 days, by status</caption>
          <thead>
            <tr>
              <th scope="col">Status</th>
              {ROWS.map((r) => (
                <th key={r.key} scope="col">
                  {r.label} ({implementation[r.key].due} due)
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {STATUSES.map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                {ROWS.map((r) => (
                  <td key={r.key}>{count(r.key, s.key)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </figure>
      <h3 className="report-subhead" id={`${id}-reasons`}>
        Reasons for not carrying out a recommendation
      </h3>
      {reasons.length === 0 ? (
        <p className="muted small">No reason was recorded: no follow-up said a recommendation was not (fully) carried out.</p>
      ) : (
        <table className="report-table reasons-table" aria-labelledby={`${id}-reasons`}>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col" className="num">
                At 30 days
              </th>
              <th scope="col" className="num">
                At 90 days
              </th>
            </tr>
          </thead>
          <tbody>
            {reasons.map((r) => (
              <tr key={r}>
                <th scope="row">{NON_IMPLEMENTATION_REASON_LABELS[r]}</th>
                <td className="num">{implementation.at30.reasons[r] ?? 0}</td>
                <td className="num">{implementation.at90.reasons[r] ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
