import { ConferenceGone } from '../components/conferences/ConferenceGone.js';
import { LiveMeeting } from '../components/conferences/LiveMeeting.js';
import { MeetingTime } from '../components/conferences/MeetingTime.js';
import { useConference } from '../components/conferences/useConference.js';
import { useAuth } from '../lib/auth.js';
import { Link, useLocation } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';
import '../components/conferences/conferences.css';

/**
 * Live mode of one meeting (?occurrence=KEY; the running or next one otherwise): the chair runs
 * it, everyone else follows the same screen as it changes.
 */
export function ConferenceLivePage({ conferenceId }: { conferenceId: string }) {
  const { handleError } = useAuth();
  const { load, apply, retry, following } = useConference(conferenceId, handleError);
  const wanted = new URLSearchParams(useLocation().split('?')[1] ?? '').get('occurrence');
  useTitle(load.phase === 'ready' ? `Live: ${load.conference.title}` : 'Live mode');
  if (load.phase !== 'ready') return <ConferenceGone load={load} retry={retry} />;
  const c = load.conference;
  const runningKey = Object.entries(c.live).find(([, l]) => l.status === 'live')?.[0];
  const key = (wanted && c.occurrences.some((o) => o.key === wanted) ? wanted : null) ?? runningKey ?? c.next?.key ?? null;
  const occurrence = c.occurrences.find((o) => o.key === key) ?? null;
  return (
    <div className="page live-page">
      <p className="breadcrumb">
        <Link to="/conferences">Conferences</Link> <span aria-hidden="true">/</span> <Link to={`/conferences/${c.id}`}>{c.title}</Link>{' '}
        <span aria-hidden="true">/</span> Live
      </p>
      <div className="conf-head">
        <h1 tabIndex={-1}>{c.title}</h1>
        {occurrence && (
          <p className="conf-head-facts">
            <MeetingTime start={occurrence.start} end={occurrence.end} timeZone={c.timeZone} />
          </p>
        )}
      </div>
      {following === false && <p className="notice warn" role="status">Reconnecting: changes by the chair will appear when the connection is back.</p>}
      {c.status !== 'scheduled' || !occurrence ? (
        <p className="notice">
          {c.status === 'cancelled' ? 'This conference was cancelled.' : c.status === 'polling' ? 'No time has been picked yet.' : 'That meeting is not part of this conference.'}{' '}
          <Link to={`/conferences/${c.id}`}>Back to the conference</Link>
        </p>
      ) : (
        <LiveMeeting conference={c} occurrence={occurrence.key} onChanged={apply} onError={handleError} />
      )}
    </div>
  );
}
