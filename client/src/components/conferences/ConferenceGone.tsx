import { Link } from '../../lib/router.js';
import type { ConferenceLoad } from './useConference.js';

/** What a conference page shows before (or instead of) the conference: loading, missing, gone, an error. */
export function ConferenceGone({ load, retry }: { load: Exclude<ConferenceLoad, { phase: 'ready' }>; retry(): void }) {
  switch (load.phase) {
    case 'loading':
      return <p className="muted page" role="status">Loading the conference…</p>;
    case 'missing':
    case 'gone':
      return (
        <div className="card narrow gone" role="alert">
          <h1 tabIndex={-1}>{load.phase === 'missing' ? 'Conference not found' : 'You can no longer see this conference'}</h1>
          <p>
            {load.phase === 'missing'
              ? 'Check the link. Conferences are visible to their organizer, the invitees and the teams of the cases on their agenda.'
              : 'You were taken off the invitation or off the cases on its agenda. Ask the organizer if this is a mistake.'}
          </p>
          <Link to="/conferences" className="btn primary">
            Back to conferences
          </Link>
        </div>
      );
    case 'error':
      return (
        <div className="card narrow" role="alert">
          <h1 tabIndex={-1}>Could not open the conference</h1>
          <p>{load.message}</p>
          <button type="button" className="btn primary" onClick={retry}>
            Try again
          </button>
        </div>
      );
  }
}
