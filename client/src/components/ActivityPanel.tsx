import { useEffect, useState } from 'react';
import type { AuditEntryView, MemberView } from '../../../shared/schemas/cases.js';
import { api, errorMessage } from '../lib/api.js';
import { fullTime, relativeTime } from '../lib/format.js';

const FIELD_NAMES: Record<string, string> = {
  title: 'title',
  patientRef: 'patient reference',
  problem: 'problem',
  resistance: 'resistance',
  requiredDisciplines: 'required disciplines',
  status: 'status',
  role: 'role',
  discipline: 'discipline',
};

/** A sentence for an audit entry, e.g. "changed title, status" or "added Ana Ruiz". */
export function describeAction(entry: AuditEntryView, members: MemberView[]): string {
  const who = members.find((m) => m.userId === entry.target)?.name ?? 'a member';
  const fields = entry.fields.map((f) => FIELD_NAMES[f] ?? f).join(', ');
  switch (entry.action) {
    case 'case.created':
      return 'created the case';
    case 'case.updated':
      return fields ? `changed ${fields}` : 'changed the details';
    case 'case.archived':
      return 'archived the case';
    case 'case.restored':
      return 'restored the case';
    case 'member.added':
      return `added ${who} to the team`;
    case 'member.updated':
      return fields ? `changed the ${fields} of ${who}` : `changed ${who}'s membership`;
    case 'member.removed':
      return `removed ${who} from the team`;
    default:
      return entry.action.replace(/[._]/g, ' ') + (fields ? ` (${fields})` : '');
  }
}

interface Props {
  caseId: string;
  members: MemberView[];
  /** Changes whenever the case or team changed, so the list is fetched again. */
  refreshKey: number;
  /** Only the case's owners see (and may export) its audit log. */
  canView: boolean;
  onError(err: unknown): void;
}

/** The case's audit trail: who did what, when (never the clinical content itself). */
export function ActivityPanel({ caseId, members, refreshKey, canView, onError }: Props) {
  const [entries, setEntries] = useState<AuditEntryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!canView) return;
    let live = true;
    api.listAudit(caseId).then(
      (r) => {
        if (!live) return;
        setEntries([...r.entries].sort((a, b) => Date.parse(b.at) - Date.parse(a.at)));
        setError(null);
      },
      (err: unknown) => {
        onError(err);
        if (live) setError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [caseId, refreshKey, canView, onError]);

  if (!canView) return <p className="muted">The activity log of this case is kept for its owners. Ask an owner if you need it.</p>;
  if (error) return <p className="notice error" role="alert">{error}</p>;
  if (!entries) return <p className="muted">Loading activity…</p>;
  if (entries.length === 0) return <p className="muted">No activity yet.</p>;
  return (
    <>
    <p>
      <a href={`/api/cases/${encodeURIComponent(caseId)}/audit.csv`} download>
        Download the whole audit log (CSV)
      </a>
    </p>
    <ol className="activity" aria-label="Recent activity, newest first">
      {entries.map((e) => (
        <li key={e.id}>
          <span className="activity-text">
            <strong>{e.actor?.name ?? 'Someone'}</strong> {describeAction(e, members)}
          </span>
          <time className="muted small" dateTime={e.at} title={fullTime(e.at)}>
            {relativeTime(e.at)}
          </time>
        </li>
      ))}
    </ol>
    </>
  );
}
