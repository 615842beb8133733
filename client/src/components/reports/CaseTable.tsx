import { DISCIPLINE_LABELS, type Discipline } from '../../../../shared/disciplines.js';
import type { QualityReportView } from '../../../../shared/schemas/quality.js';
import { Link } from '../../lib/router.js';

type Row = QualityReportView['cases'][number];

const yesNo = (v: boolean | null) => (v === null ? <span className="muted">n/a</span> : v ? 'Yes' : <strong className="report-no">No</strong>);
const disciplines = (list: Discipline[]) => (list.length === 0 ? <span className="muted">none</span> : list.map((d) => DISCIPLINE_LABELS[d]).join(', '));

function decision(r: Row): string {
  if (r.decision === null) return 'None yet';
  const days = r.daysToDecision === null ? '' : ` after ${r.daysToDecision} ${r.daysToDecision === 1 ? 'day' : 'days'}`;
  return r.decision === 'decided' ? `Decided${days}` : r.decision === 'deferred' ? 'Deferred' : 'Not reached';
}

/**
 * One row per case discussed or decided in the period: whether it was ready and the patient's
 * views recorded before its meeting, which disciplines commented, added evidence and voted, and
 * its minutes planned against those it took.
 */
export function CaseTable({ cases }: { cases: Row[] }) {
  return (
    // A wide table scrolls sideways on a tablet; the region lets a keyboard user scroll it.
    <div className="report-table-wrap" role="region" aria-labelledby="cases-caption" tabIndex={0}>
      <table className="report-table case-table">
        <caption id="cases-caption">Per case: contributing disciplines and minutes in conference</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Ready before conference</th>
            <th scope="col">Patient's views</th>
            <th scope="col">Comments from</th>
            <th scope="col">Evidence from</th>
            <th scope="col">Ballots from</th>
            <th scope="col" className="num">Minutes planned</th>
            <th scope="col" className="num">Minutes actual</th>
            <th scope="col">Decision</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => {
            const over = c.actualMinutes !== null && c.actualMinutes > c.plannedMinutes;
            return (
              <tr key={c.id}>
                <th scope="row" className="case-cell">
                  <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.title}</Link>
                  <span className="muted small case-sub">
                    <span className="mono">{c.patientRef}</span> · {c.meetings} {c.meetings === 1 ? 'meeting' : 'meetings'}
                  </span>
                </th>
                <td>{yesNo(c.readyBeforeConference)}</td>
                <td>{yesNo(c.patientViewsRecorded)}</td>
                <td>{disciplines(c.commentDisciplines)}</td>
                <td>{disciplines(c.evidenceDisciplines)}</td>
                <td>{disciplines(c.ballotDisciplines)}</td>
                <td className="num">{c.plannedMinutes}</td>
                <td className={`num${over ? ' report-over' : ''}`}>
                  {c.actualMinutes === null ? <span className="muted">not timed</span> : c.actualMinutes}
                  {over && <span className="visually-hidden"> (over the plan)</span>}
                </td>
                <td>{decision(c)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
