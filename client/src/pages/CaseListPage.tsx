import { useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/roles.js';
import type { CaseView } from '../../../shared/schemas/cases.js';
import { NextConferences } from '../components/conferences/NextConferences.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { CaseFlags, ReadinessBadge } from '../components/records/CaseFlags.js';
import { api, errorMessage } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { fullTime, relativeTime } from '../lib/format.js';
import { Link } from '../lib/router.js';
import { useReconnect, useSocketEvent } from '../lib/socket.js';
import { useTitle } from '../lib/useTitle.js';
import { EVENTS, UnreadChangedPayload } from '../../../shared/events.js';

type Load = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; cases: CaseView[] };

/**
 * The cases the user is on, active or archived, newest change first, each with its readiness
 * for conference and what needs attention (payer deadlines, overdue next steps, unread comments);
 * above them, the user's next conferences.
 */
export function CaseListPage() {
  useTitle('My cases');
  const { handleError } = useAuth();
  const [archived, setArchived] = useState(false);
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoad({ phase: 'loading' });
    api.listCases(archived).then(
      ({ cases }) => live && setLoad({ phase: 'ready', cases }),
      (err: unknown) => {
        handleError(err);
        if (live) setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [archived, attempt, handleError]);

  // Unread comments move while the list is open (a teammate posts, or I read on another device).
  useSocketEvent(EVENTS.unreadChanged, UnreadChangedPayload, (u) =>
    setLoad((l) =>
      l.phase === 'ready' ? { ...l, cases: l.cases.map((c) => (c.id === u.caseId ? { ...c, health: { ...c.health, unread: u.unread } } : c)) } : l,
    ),
  );
  useReconnect(() => setAttempt((n) => n + 1));

  return (
    <div className="page">
      <div className="page-head">
        <h1 tabIndex={-1}>My cases</h1>
        <Link to="/cases/new" className="btn primary">
          New case
        </Link>
      </div>
      <NextConferences onError={handleError} />
      <div className="segmented" role="group" aria-label="Which cases to show">
        <button type="button" aria-pressed={!archived} onClick={() => setArchived(false)}>
          Active
        </button>
        <button type="button" aria-pressed={archived} onClick={() => setArchived(true)}>
          Archived
        </button>
      </div>
      <div aria-live="polite" aria-busy={load.phase === 'loading'}>
        {load.phase === 'loading' && <p className="muted">Loading cases…</p>}
        {load.phase === 'error' && (
          <div className="notice error" role="alert">
            <p>{load.message}</p>
            <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
          </div>
        )}
        {load.phase === 'ready' && load.cases.length === 0 && <EmptyState archived={archived} />}
        {load.phase === 'ready' && load.cases.length > 0 && <CaseTable cases={load.cases} archived={archived} />}
      </div>
    </div>
  );
}

function EmptyState({ archived }: { archived: boolean }) {
  if (archived) return <div className="empty-state"><p>No archived cases.</p></div>;
  return (
    <div className="empty-state">
      <p className="empty-title">No cases yet — create the first</p>
      <p className="muted">A case gathers the team, the brief and the resistance your patient&apos;s plan is facing.</p>
      <Link to="/cases/new" className="btn primary">
        Create a case
      </Link>
    </div>
  );
}

function CaseTable({ cases, archived }: { cases: CaseView[]; archived: boolean }) {
  return (
    <div className="table-wrap">
      <table className="case-table">
        <caption className="visually-hidden">{archived ? 'Archived cases' : 'Active cases'}, newest change first</caption>
        <thead>
          <tr>
            <th scope="col">Case</th>
            <th scope="col">Patient ref</th>
            <th scope="col">Status</th>
            <th scope="col">Readiness</th>
            <th scope="col">Needs attention</th>
            <th scope="col">My role</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                <Link to={`/cases/${c.id}`}>{c.title}</Link>
              </th>
              <td className="mono">{c.patientRef}</td>
              <td>
                <StatusBadge status={c.status} />
              </td>
              <td>
                <ReadinessBadge readiness={c.health.readiness} />
              </td>
              <td>
                <CaseFlags health={c.health} showUnread />
              </td>
              <td>{ROLE_LABELS[c.myRole]}</td>
              <td>
                <time dateTime={c.updatedAt} title={fullTime(c.updatedAt)}>
                  {relativeTime(c.updatedAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
