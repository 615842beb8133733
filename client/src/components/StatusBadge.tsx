import { CASE_STATUS_LABELS, type CaseStatus } from '../../../shared/schemas/cases.js';

/** The case status as a small labelled pill. */
export function StatusBadge({ status }: { status: CaseStatus }) {
  return <span className={`pill status-${status}`}>{CASE_STATUS_LABELS[status]}</span>;
}
