import type { QualityReportView } from '../../../../shared/schemas/quality.js';

const percent = (s: { share: number | null }) => (s.share === null ? '–' : `${Math.round(s.share * 100)}%`);
const num = (n: number | null, unit: string) => (n === null ? '–' : `${n} ${unit}`);

/** The report's headline figures, each with what it counts. */
export function Figures({ report: r }: { report: QualityReportView }) {
  const shareDetail = (s: { count: number; of: number }, what: string) => (s.of === 0 ? 'no case was discussed in the period' : `${s.count} of ${s.of} ${what}`);
  const m = r.minutes;
  const figures: { label: string; value: string; detail: string }[] = [
    { label: 'Cases discussed', value: String(r.casesDiscussed), detail: 'on the agenda of a meeting held in the period' },
    { label: 'Ready before conference', value: percent(r.readyBeforeConference), detail: shareDetail(r.readyBeforeConference, 'with every required checklist item complete') },
    { label: "Patient's views recorded", value: percent(r.patientViewsRecorded), detail: shareDetail(r.patientViewsRecorded, 'by someone who met the patient') },
    { label: 'Decisions made', value: String(r.decisions.decided), detail: `${r.decisions.deferred} deferred, ${r.decisions.notReached} not reached` },
    {
      label: 'Median days to decision',
      value: num(r.medianDaysToDecision, r.medianDaysToDecision === 1 ? 'day' : 'days'),
      detail: r.medianDaysToDecision === null ? 'no decision in the period' : 'from the case’s creation to its decision',
    },
    {
      label: 'Minutes per case',
      value: m.plannedMedian === null ? '–' : `${m.plannedMedian} planned`,
      detail: m.items === 0 ? 'no case on a meeting’s agenda' : m.actualMedian === null ? `no actual times recorded (medians of ${m.items} agenda items)` : `${m.actualMedian} actual (medians of ${m.items} agenda items)`,
    },
    { label: 'Cases over time', value: m.items === 0 ? '–' : `${m.overPlan} of ${m.items}`, detail: 'agenda items that ran over their planned minutes' },
  ];
  return (
    <dl className="report-figures">
      {figures.map((f) => (
        <div key={f.label} className="report-figure">
          <dt>{f.label}</dt>
          <dd>
            <span className="report-figure-value">{f.value}</span>
            <span className="report-figure-detail">{f.detail}</span>
          </dd>
        </div>
      ))}
    </dl>
  );
}
