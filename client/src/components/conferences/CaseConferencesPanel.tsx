import { useEffect, useState } from 'react';
import { ConferenceChangedPayload, EVENTS } from '../../../../shared/events.js';
import type { ConferenceSummaryView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { Link } from '../../lib/router.js';
import { useSocketEvent } from '../../lib/socket.js';
import { ConferenceList } from './ConferenceList.js';

type Load = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; upcoming: ConferenceSummaryView[]; past: ConferenceSummaryView[] };

/** The workspace's Conferences tab: the meetings whose agenda holds this case, upcoming and past. */
export function CaseConferencesPanel({ caseId, canPlan, onError }: { caseId: string; canPlan: boolean; onError(err: unknown): void }) {
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    conferencesApi.forCase(caseId).then(
      ({ upcoming, past }) => live && setLoad({ phase: 'ready', upcoming, past }),
      (err: unknown) => {
        onError(err);
        if (live) setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [caseId, attempt, onError]);

  // A conference this user is invited to changed (maybe this case's agenda): list again.
  useSocketEvent(EVENTS.conferenceChanged, ConferenceChangedPayload, () => setAttempt((n) => n + 1));

  return (
    <section className="case-conferences" aria-labelledby="case-conferences-heading">
      <div className="records-head">
        <h3 id="case-conferences-heading">Conferences</h3>
        {canPlan && (
          <Link to="/conferences/new" className="btn small">
            Plan a conference
          </Link>
        )}
      </div>
      {load.phase === 'loading' && <p className="muted">Loading the conferences…</p>}
      {load.phase === 'error' && (
        <div className="notice error" role="alert">
          <p>{load.message}</p>
          <button type="button" className="btn small" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      )}
      {load.phase === 'ready' && load.upcoming.length === 0 && load.past.length === 0 && (
        <div className="records-empty">
          <p>This case is on no conference agenda yet.</p>
          <p className="muted small">When its readiness checklist is complete, an owner or editor can put it on a conference's agenda.</p>
        </div>
      )}
      {load.phase === 'ready' && load.upcoming.length > 0 && (
        <>
          <h4 className="conf-subhead">Upcoming</h4>
          <ConferenceList conferences={load.upcoming} label="Upcoming conferences with this case" compact />
        </>
      )}
      {load.phase === 'ready' && load.past.length > 0 && (
        <>
          <h4 className="conf-subhead">Past</h4>
          <ConferenceList conferences={load.past} label="Past conferences with this case" compact />
        </>
      )}
    </section>
  );
}
