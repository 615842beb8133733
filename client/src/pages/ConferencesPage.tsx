import { useCallback, useEffect, useState } from 'react';
import { ConferenceChangedPayload, EVENTS } from '../../../shared/events.js';
import type { ConferenceSummaryView } from '../../../shared/schemas/conferences.js';
import { ConferenceList } from '../components/conferences/ConferenceList.js';
import { SettingsPanel } from '../components/conferences/SettingsPanel.js';
import { errorMessage } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { conferencesApi } from '../lib/conferencesApi.js';
import { viewerTimeZone } from '../lib/conferenceTime.js';
import { Link } from '../lib/router.js';
import { useReconnect, useSocketEvent } from '../lib/socket.js';
import { useTitle } from '../lib/useTitle.js';

type Load = { phase: 'loading' } | { phase: 'error'; message: string } | { phase: 'ready'; upcoming: ConferenceSummaryView[]; past: ConferenceSummaryView[] };

/**
 * My conferences: polls waiting for my answer, upcoming meetings, and past ones, in my own time
 * zone; kept current as invitations and changes arrive; and my reminder and calendar settings.
 */
export function ConferencesPage() {
  useTitle('Conferences');
  const { handleError } = useAuth();
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    Promise.all([conferencesApi.list('upcoming', 50), conferencesApi.list('past', 20)]).then(
      ([u, p]) => live && setLoad({ phase: 'ready', upcoming: u.conferences, past: p.conferences }),
      (err: unknown) => {
        handleError(err);
        if (live) setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [attempt, handleError]);

  // An invitation, a picked time or a cancellation reaches every invitee: list again.
  useSocketEvent(EVENTS.conferenceChanged, ConferenceChangedPayload, reload);
  useReconnect(reload);

  const waiting = load.phase === 'ready' ? load.upcoming.filter((c) => c.pollWaiting) : [];
  const upcoming = load.phase === 'ready' ? load.upcoming.filter((c) => !c.pollWaiting) : [];

  return (
    <div className="page conf-page">
      <div className="page-head">
        <h1 tabIndex={-1}>Conferences</h1>
        <Link to="/conferences/new" className="btn primary">
          New conference
        </Link>
      </div>
      <p className="muted small">Times are in your time zone, {viewerTimeZone()}.</p>
      <div className="conf-columns">
        <div aria-live="polite" aria-busy={load.phase === 'loading'} className="conf-main-col">
          {load.phase === 'loading' && <p className="muted">Loading conferences…</p>}
          {load.phase === 'error' && (
            <div className="notice error" role="alert">
              <p>{load.message}</p>
              <button type="button" className="btn" onClick={reload}>
                Try again
              </button>
            </div>
          )}
          {load.phase === 'ready' && (
            <>
              {waiting.length > 0 && (
                <section aria-labelledby="waiting-heading" className="conf-section">
                  <h2 id="waiting-heading">Polls waiting for your answer</h2>
                  <ConferenceList conferences={waiting} label="Polls waiting for your answer" />
                </section>
              )}
              <section aria-labelledby="upcoming-heading" className="conf-section">
                <h2 id="upcoming-heading">Upcoming</h2>
                {upcoming.length === 0 ? (
                  <div className="empty-state">
                    <p className="empty-title">No upcoming conferences</p>
                    <p className="muted">Plan a case conference, an insurer peer-to-peer review or a family meeting, or let the team find a time.</p>
                    <Link to="/conferences/new" className="btn primary">
                      Plan a conference
                    </Link>
                  </div>
                ) : (
                  <ConferenceList conferences={upcoming} label="Upcoming conferences, soonest first" />
                )}
              </section>
              <section aria-labelledby="past-heading" className="conf-section">
                <h2 id="past-heading">Past</h2>
                {load.past.length === 0 ? (
                  <p className="muted">No past conferences in the last year.</p>
                ) : (
                  <ConferenceList conferences={load.past} label="Past conferences, latest first" />
                )}
              </section>
            </>
          )}
        </div>
        <aside className="conf-side-col card" aria-labelledby="settings-heading">
          <h2 id="settings-heading">Settings</h2>
          <SettingsPanel onError={handleError} />
        </aside>
      </div>
    </div>
  );
}
