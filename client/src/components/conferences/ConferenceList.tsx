import { CONFERENCE_KIND_LABELS, RESPONSE_LABELS, type ConferenceSummaryView } from '../../../../shared/schemas/conferences.js';
import { Link } from '../../lib/router.js';
import { MeetingTime } from './MeetingTime.js';
import './conferences.css';

interface Props {
  conferences: ConferenceSummaryView[];
  /** Names the list for screen readers. */
  label: string;
  /** Compact rows leave out the kind and the cases (the case list, a case's tab). */
  compact?: boolean;
}

/** Conferences, one row each: title, when (or that a time is still being found), and what needs the viewer. */
export function ConferenceList({ conferences, label, compact = false }: Props) {
  return (
    <ul className={`conf-list${compact ? ' compact' : ''}`} aria-label={label}>
      {conferences.map((c) => (
        <li key={`${c.id}-${c.occurrence?.key ?? 'poll'}`} className="conf-row">
          <div className="conf-row-main">
            <Link to={`/conferences/${c.id}`} className="conf-row-title">
              {c.title}
            </Link>
            <span className="conf-row-when">
              {c.occurrence ? (
                <MeetingTime start={c.occurrence.start} end={c.occurrence.end} timeZone={c.timeZone} />
              ) : c.status === 'cancelled' ? (
                'Cancelled'
              ) : (
                'Time not chosen yet: a poll is open'
              )}
            </span>
          </div>
          <div className="conf-row-flags">
            {!compact && <span className="pill">{CONFERENCE_KIND_LABELS[c.kind]}</span>}
            {c.live && <span className="pill flag-live">Live now</span>}
            {c.pollWaiting && <span className="pill flag-warn">Your answer is needed</span>}
            {c.recurring && <span className="pill">Repeats</span>}
            {c.occurrence?.moved && <span className="pill">Moved</span>}
            {c.myResponse && c.myResponse !== 'accepted' && c.status === 'scheduled' && (
              <span className={`pill response-${c.myResponse}`}>You: {RESPONSE_LABELS[c.myResponse].toLowerCase()}</span>
            )}
          </div>
          {!compact && c.cases.length > 0 && (
            <p className="conf-row-cases">
              <span className="muted">Cases: </span>
              {c.cases.map((k, i) => (
                <span key={k.id}>
                  {i > 0 && ', '}
                  <Link to={`/cases/${k.id}`}>{k.title}</Link>
                </span>
              ))}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
