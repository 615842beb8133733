import { useEffect, useState, type FormEvent } from 'react';
import { POLL_ANSWER_LABELS, POLL_ANSWERS, type ConferenceView, type PollAnswer } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { useUser } from '../../lib/auth.js';
import { viewerTimeZone } from '../../lib/conferenceTime.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { FormMessage } from '../Field.js';
import { MeetingTime } from './MeetingTime.js';
import { warningText } from './words.js';

interface Props {
  conference: ConferenceView;
  poll: NonNullable<ConferenceView['poll']>;
  /** Whether the viewer is invited (and so answers). */
  canAnswer: boolean;
  onChanged(c: ConferenceView): void;
  onError(err: unknown): void;
}

const count = (n: number, what: string) => `${n} ${what}`;

/**
 * Finding a time: each candidate slot in the viewer's zone (and the organizer's), the viewer's
 * answer per slot (yes / if need be / no), everyone's answers, the best slot so far marked, and
 * for the organizer "Pick this time".
 */
export function PollPanel({ conference, poll, canAnswer, onChanged, onError }: Props) {
  const me = useUser();
  const open = conference.status === 'polling';
  const [answers, setAnswers] = useState<Record<string, PollAnswer>>(poll.myAnswers);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const mine = JSON.stringify(poll.myAnswers);

  // Others' answers arrive live; the viewer's own draft is kept until they save it.
  useEffect(() => {
    if (!dirty) setAnswers(JSON.parse(mine) as Record<string, PollAnswer>);
  }, [mine, dirty]);

  const missing = poll.slots.filter((s) => !answers[s.id]).length;
  const answeredBefore = Object.keys(poll.myAnswers).length > 0;

  async function save(e: FormEvent) {
    e.preventDefault();
    if (missing > 0) {
      setMessage({ tone: 'error', text: `Answer every time: ${missing === 1 ? 'one is' : `${missing} are`} still open.` });
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      onChanged((await conferencesApi.answerPoll(conference.id, answers)).conference);
      setDirty(false);
      setMessage({ tone: 'success', text: 'Your answers were saved.' });
    } catch (err) {
      onError(err);
      setMessage({ tone: 'error', text: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  }

  async function pick(slotId: string) {
    try {
      onChanged((await conferencesApi.pickSlot(conference.id, slotId)).conference);
    } catch (err) {
      onError(err);
      setMessage({ tone: 'error', text: errorMessage(err) });
    }
  }

  const editable = open && canAnswer;
  // Only those who answer get a form; the organizer reads the same table and picks.
  const Wrapper = editable ? 'form' : 'div';
  return (
    <section className="conf-card card poll" aria-labelledby="poll-heading">
      <h2 id="poll-heading">{open ? 'Find a time' : 'The poll'}</h2>
      {open && poll.waitingFor.length > 0 && (
        <p className="muted small">Waiting for: {poll.waitingFor.map((p) => p.name).join(', ')}.</p>
      )}
      {open && poll.waitingFor.length === 0 && <p className="muted small">Everyone invited has answered.</p>}
      <Wrapper {...(editable ? { onSubmit: save, noValidate: true, 'aria-label': 'Your answers to the poll' } : {})}>
        <div className="table-wrap">
          <table className="poll-table">
            <caption className="visually-hidden">Proposed times, with answers{poll.bestSlotId ? '; the best so far is marked' : ''}</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">{editable ? 'Your answer' : 'Answers'}</th>
                <th scope="col">Everyone</th>
                {conference.canEdit && open && <th scope="col"><span className="visually-hidden">Pick</span></th>}
              </tr>
            </thead>
            <tbody>
              {poll.slots.map((s, n) => {
                const best = s.id === poll.bestSlotId;
                const chosen = s.id === poll.chosenSlotId;
                return (
                  <tr key={s.id} className={`${best ? 'is-best' : ''}${chosen ? ' is-chosen' : ''}`} aria-label={`Time ${n + 1}`} {...(best ? { 'aria-current': 'true' as const } : {})}>
                    <th scope="row">
                      <MeetingTime start={s.start} end={s.end} timeZone={conference.timeZone} stacked />
                      {best && !chosen && <span className="pill flag-ok best-badge">Best so far</span>}
                      {chosen && <span className="pill flag-ok best-badge">Chosen</span>}
                      <SlotConflicts conference={conference} start={s.start} meId={me.id} />
                    </th>
                    <td>
                      {editable ? (
                        <fieldset className="answer-group">
                          <legend className="visually-hidden">Your answer for time {n + 1}</legend>
                          {POLL_ANSWERS.map((a) => (
                            <label key={a} className={`answer-choice answer-${a}`} htmlFor={`poll-${s.id}-${a}`}>
                              <input id={`poll-${s.id}-${a}`} type="radio" name={`poll-${s.id}`} checked={answers[s.id] === a}
                                onChange={() => {
                                  setAnswers({ ...answers, [s.id]: a });
                                  setDirty(true);
                                  setMessage(null);
                                }} />
                              <span>{POLL_ANSWER_LABELS[a]}</span>
                            </label>
                          ))}
                        </fieldset>
                      ) : (
                        <span className="tally">
                          {count(s.yes, 'yes')} · {count(s.ifNeedBe, 'if need be')} · {count(s.no, 'no')}
                        </span>
                      )}
                    </td>
                    <td>
                      {editable && (
                        <span className="tally">
                          {count(s.yes, 'yes')} · {count(s.ifNeedBe, 'if need be')} · {count(s.no, 'no')}
                        </span>
                      )}
                      {s.answers.length > 0 ? (
                        <ul className="who-answered">
                          {s.answers.map((a) => (
                            <li key={a.person.id} className={`answer-${a.answer}`}>
                              {a.person.name}: {POLL_ANSWER_LABELS[a.answer].toLowerCase()}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        <span className="muted small"> No answers yet</span>
                      )}
                    </td>
                    {conference.canEdit && open && (
                      <td>
                        <ConfirmButton label="Pick this time" ariaLabel={`Pick time ${n + 1}`} question="Schedule the conference then? Everyone is told."
                          confirmLabel="Yes, pick it" onConfirm={() => pick(s.id)} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <FormMessage message={message?.text ?? null} tone={message?.tone ?? 'error'} />
        {editable && (
          <div className="form-actions tight">
            <button type="submit" className="btn primary small" disabled={busy}>
              {busy ? 'Saving…' : answeredBefore ? 'Change my answers' : 'Save my answers'}
            </button>
            {dirty && <span className="muted small">Not saved yet.</span>}
          </div>
        )}
      </Wrapper>
      {poll.bestSlotId && open && <p className="muted small">The best time has the most “yes” answers, then the fewest “no”.</p>}
    </section>
  );
}

/** The organizer's view of one slot: attendees who have another conference then (the server sends these to the organizer only). */
function SlotConflicts({ conference, start, meId }: { conference: ConferenceView; start: string; meId: string }) {
  const at = Date.parse(start);
  const ctx = { caseTitle: () => 'A case', viewerZone: viewerTimeZone(), meId };
  const lines = [...new Set(conference.warnings.filter((w) => w.kind === 'conflict' && Date.parse(w.occurrence) === at).map((w) => warningText(w, ctx)))];
  if (lines.length === 0) return null;
  return (
    <ul className="slot-conflicts" aria-label="Conflicts at this time">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}
