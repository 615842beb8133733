import { useState } from 'react';
import { userColor } from '../../../../shared/colors.js';
import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import { RESPONSE_LABELS, type ConferenceView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { Avatar } from '../Avatar.js';

const ANSWERS = [
  { response: 'accepted', label: 'Accept' },
  { response: 'tentative', label: 'Tentative' },
  { response: 'declined', label: 'Decline' },
] as const;

interface Props {
  conference: ConferenceView;
  meId: string;
  onChanged(c: ConferenceView): void;
  onError(err: unknown): void;
}

/** The viewer's own answer to the invitation: Accept, Tentative or Decline (invitees, once a time is fixed). */
export function MyResponse({ conference, meId, onChanged, onError }: Props) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (conference.myResponse === null || conference.organizer.id === meId || conference.status !== 'scheduled') return null;
  async function answer(response: (typeof ANSWERS)[number]['response']) {
    setBusy(true);
    setFailure(null);
    try {
      onChanged((await conferencesApi.respond(conference.id, response)).conference);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="conf-card card" aria-labelledby="my-response-heading">
      <h2 id="my-response-heading">Will you attend?</h2>
      <p className="muted small" role="status">
        Your answer: {RESPONSE_LABELS[conference.myResponse]}
      </p>
      <div className="segmented response-buttons" role="group" aria-label="Your answer">
        {ANSWERS.map((a) => (
          <button key={a.response} type="button" aria-pressed={conference.myResponse === a.response} disabled={busy} onClick={() => void answer(a.response)}>
            {a.label}
          </button>
        ))}
      </div>
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </section>
  );
}

/**
 * Who is invited, with each person's answer (while a time is being found: whether they answered
 * the poll); the organizer and the chair are named as such.
 */
export function AttendeeList({ conference }: { conference: ConferenceView }) {
  const polling = conference.status === 'polling' && conference.poll !== null;
  const waiting = new Set(conference.poll?.waitingFor.map((p) => p.id) ?? []);
  return (
    <section className="conf-card card" aria-labelledby="attendees-heading">
      <h2 id="attendees-heading">Attendees ({conference.attendees.length})</h2>
      <ul className="attendee-list">
        {conference.attendees.map((a) => {
          const roles = [a.id === conference.organizer.id && 'organizer', a.id === conference.chair.id && 'chair'].filter(Boolean).join(', ');
          const organizer = a.id === conference.organizer.id;
          return (
            <li key={a.id} className="attendee">
              <Avatar name={a.name} color={userColor(a.id)} size="sm" decorative />
              <span className="attendee-who">
                <span className="attendee-name">{a.name}</span>
                <span className="muted small">
                  {DISCIPLINE_LABELS[a.discipline]}
                  {roles && ` · ${roles}`}
                </span>
              </span>
              {polling && !organizer ? (
                <span className={`pill ${waiting.has(a.id) ? 'response-pending' : 'response-accepted'}`}>{waiting.has(a.id) ? 'Poll: no answer' : 'Poll answered'}</span>
              ) : (
                <span className={`pill response-${a.response}`}>{RESPONSE_LABELS[a.response]}</span>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
