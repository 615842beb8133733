import { useCallback, useEffect, useState } from 'react';
import { ConferenceChangedPayload, EVENTS } from '../../../../shared/events.js';
import type { ConferenceSummaryView } from '../../../../shared/schemas/conferences.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { Link } from '../../lib/router.js';
import { useReconnect, useSocketEvent } from '../../lib/socket.js';
import { ConferenceList } from './ConferenceList.js';

/** The case list's "My next conferences": the next three meetings or open polls, with a link to all. */
export function NextConferences({ onError }: { onError(err: unknown): void }) {
  const [list, setList] = useState<ConferenceSummaryView[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  useEffect(() => {
    let live = true;
    conferencesApi.list('upcoming', 3).then(
      ({ conferences }) => {
        if (!live) return;
        setList(conferences);
        setFailed(false);
      },
      (err: unknown) => {
        onError(err);
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [attempt, onError]);
  useSocketEvent(EVENTS.conferenceChanged, ConferenceChangedPayload, reload);
  useReconnect(reload);

  return (
    <section className="next-conferences" aria-labelledby="next-conferences-heading">
      <div className="next-conferences-head">
        <h2 id="next-conferences-heading">My next conferences</h2>
        <Link to="/conferences">All conferences</Link>
      </div>
      {failed ? (
        <p className="muted small">
          Your conferences could not be loaded.{' '}
          <button type="button" className="linkish small" onClick={reload}>
            Try again
          </button>
        </p>
      ) : list === null ? (
        <p className="muted small">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted small">
          No upcoming conference. <Link to="/conferences/new">Plan one</Link> when cases are ready.
        </p>
      ) : (
        <ConferenceList conferences={list} label="My next conferences" compact />
      )}
    </section>
  );
}
