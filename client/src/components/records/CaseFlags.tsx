import type { CaseHealth } from '../../../../shared/schemas/cases.js';
import './records.css';

interface Props {
  health: CaseHealth;
  /** The case list shows unread comments too; the workspace leaves them to the discussion panel. */
  showUnread?: boolean;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Readiness for conference, as a short badge: "Ready" or "3/7 ready", with a full sentence for screen readers. */
export function ReadinessBadge({ readiness, long = false }: { readiness: CaseHealth['readiness']; long?: boolean }) {
  const { complete, required, ready } = readiness;
  const full = ready ? 'Ready for conference' : `Not ready for conference: ${complete} of ${required} required items complete`;
  return (
    <span className={`pill flag ${ready ? 'flag-ok' : 'flag-neutral'}`} title={full}>
      <span aria-hidden="true">{ready ? (long ? 'Ready for conference' : 'Ready') : `${complete}/${required} ready`}</span>
      <span className="visually-hidden">{full}</span>
    </span>
  );
}

/**
 * The flags a case carries: readiness, overdue stakeholder next steps, payer deadlines due
 * within seven days or past, and (optionally) unread comments. Each is text, not colour alone.
 */
export function CaseFlags({ health, showUnread = false }: Props) {
  const flags: { key: string; tone: string; text: string }[] = [];
  if (health.deadlinesOverdue > 0) flags.push({ key: 'dl-over', tone: 'flag-danger', text: plural(health.deadlinesOverdue, 'payer deadline overdue', 'payer deadlines overdue') });
  if (health.deadlinesDueSoon > 0) flags.push({ key: 'dl-soon', tone: 'flag-warn', text: plural(health.deadlinesDueSoon, 'payer deadline within 7 days', 'payer deadlines within 7 days') });
  if (health.overdueNextSteps > 0) flags.push({ key: 'steps', tone: 'flag-danger', text: plural(health.overdueNextSteps, 'overdue next step', 'overdue next steps') });
  if (showUnread && health.unread > 0) flags.push({ key: 'unread', tone: 'flag-info', text: plural(health.unread, 'unread comment', 'unread comments') });
  if (flags.length === 0) return null;
  return (
    // Spans, so that the flags may sit inside a line of text (a <p>) as well as a table cell.
    <span className="flags" role="list" aria-label="Case flags">
      {flags.map((f) => (
        <span key={f.key} role="listitem" className={`pill flag ${f.tone}`}>
          {f.text}
        </span>
      ))}
    </span>
  );
}
