import { useState } from 'react';
import type { AgendaItemView, ConferenceView, LiveView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { timeText, viewerTimeZone } from '../../lib/conferenceTime.js';
import { Link } from '../../lib/router.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { LiveTimer } from './LiveTimer.js';
import { OutcomeForm } from './OutcomeForm.js';

type ItemState = 'current' | 'done' | 'next' | 'upcoming';
const STATE_LABELS: Record<ItemState, string> = { current: 'Now', done: 'Done', next: 'Next', upcoming: 'Later' };

interface Props {
  conference: ConferenceView;
  occurrence: string;
  onChanged(c: ConferenceView): void;
  onError(err: unknown): void;
}

const titleOf = (i: AgendaItemView, n: number) => i.case?.title ?? `Case ${n + 1} (one you are not on)`;

/** Where each agenda item stands: discussed, being discussed, next, or later. */
function statesOf(items: AgendaItemView[], run: LiveView | undefined): ItemState[] {
  const at = run ? items.findIndex((i) => i.id === run.currentItemId) : -1;
  const states = items.map((i, n): ItemState => {
    if (n === at) return 'current';
    if (run && (i.actualMinutes !== null || (run.currentItemId === null && run.status === 'live') || run.status === 'ended')) return 'done';
    return 'upcoming';
  });
  const nextAt = at === -1 ? (run ? -1 : 0) : states.findIndex((s, n) => n > at && s === 'upcoming');
  if (nextAt >= 0 && states[nextAt] === 'upcoming') states[nextAt] = 'next';
  return states;
}

/**
 * Live mode: the case being discussed, large, with a running timer against its minutes; the
 * agenda with what is done, now and next; attendance; and for the chair the controls (next case,
 * go to any case, end) and a short outcome per case. Everyone else sees the same, read-only,
 * following the chair through the socket.
 */
export function LiveMeeting({ conference: c, occurrence, onChanged, onError }: Props) {
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [recording, setRecording] = useState<string | null>(null);
  // Ticks show at once; the list is the server's again once it has answered.
  const [attendedDraft, setAttendedDraft] = useState<string[] | null>(null);
  const run = c.live[occurrence];
  const items = c.agenda[occurrence] ?? [];
  const states = statesOf(items, run);
  const at = items.findIndex((_, n) => states[n] === 'current');
  const current = at >= 0 ? items[at]! : null;
  const nextAt = states.indexOf('next');
  const chair = c.canChair && run?.status !== 'ended';
  const zone = viewerTimeZone();

  async function act(action: 'start' | 'next' | 'goto' | 'end', itemId?: string) {
    setBusy(true);
    setFailure(null);
    try {
      onChanged((await conferencesApi.live(c.id, { occurrence, action, ...(itemId ? { itemId } : {}) })).conference);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function attend(userId: string, present: boolean) {
    if (!run) return;
    setFailure(null);
    const before = attendedDraft ?? run.attended;
    const attended = present ? [...before.filter((u) => u !== userId), userId] : before.filter((u) => u !== userId);
    setAttendedDraft(attended);
    try {
      onChanged((await conferencesApi.record(c.id, { occurrence, attended })).conference);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    } finally {
      setAttendedDraft((cur) => (cur === attended ? null : cur));
    }
  }

  const status = !run ? 'Not started' : run.status === 'live' ? 'Live' : 'Ended';
  return (
    <div className="live">
      <p className={`live-status live-status-${run?.status ?? 'waiting'}`} role="status">
        <strong>{status}</strong>
        {run?.status === 'live' && <> · chaired by {run.chair.name}, started {timeText(run.startedAt, zone)}</>}
        {run?.status === 'ended' && run.endedAt && <> · ended {timeText(run.endedAt, zone)}</>}
        {!run && (c.canChair ? ' · start the meeting when everyone is here.' : ' · this page follows along as soon as the chair starts.')}
        {run?.status === 'live' && !c.canChair && <span className="muted"> · You are following live; this page updates by itself.</span>}
      </p>
      {failure && <p className="notice error" role="alert">{failure}</p>}
      <div className="live-grid">
        <section className="live-current card" aria-labelledby="live-current-heading">
          <h2 id="live-current-heading" className="live-label" aria-live="polite">{current ? 'Now discussing' : run?.status === 'ended' ? 'Meeting ended' : run ? 'All cases discussed' : 'Up first'}</h2>
          {current ? (
            <>
              <p className="live-case-title" aria-live="polite">{titleOf(current, at)}</p>
              {current.case && <p className="muted">Patient <span className="mono">{current.case.patientRef}</span>{current.presenter ? ` · presented by ${current.presenter.name}` : ''}</p>}
              {run?.currentSince && <LiveTimer key={`timer-${current.id}`} since={run.currentSince} minutes={current.minutes} />}
              {current.case && (
                <p className="live-links">
                  <Link to={`/cases/${current.case.id}`} className="btn small">Open the brief</Link>
                  <Link to={`/cases/${current.case.id}?tab=decide`} className="btn small">Vote (Decide)</Link>
                </p>
              )}
              {current.canRecord && current.case && (
                <OutcomeForm key={`outcome-${current.id}`} conferenceId={c.id} occurrence={occurrence} itemId={current.id} caseTitle={current.case.title} outcome={current.outcome} onSaved={onChanged} onError={onError} />
              )}
              {!current.canRecord && current.outcome && <p className="agenda-outcome"><span className="muted">Outcome: </span>{current.outcome}</p>}
            </>
          ) : !run && items[0] ? (
            <p className="live-case-title muted">{titleOf(items[0], 0)}</p>
          ) : items.length === 0 ? (
            <p className="muted">This meeting has no agenda.</p>
          ) : null}
          {chair && (
            <div className="live-controls" role="group" aria-label="Chair controls">
              {!run ? (
                <button type="button" className="btn primary" disabled={busy} onClick={() => void act('start')}>Start the meeting</button>
              ) : (
                <>
                  <button type="button" className="btn primary" disabled={busy || !current} onClick={() => void act('next')}>
                    {current && nextAt === -1 ? 'Finish this case' : 'Next case'}
                  </button>
                  <ConfirmButton label="End meeting" question="End the meeting for everyone?" confirmLabel="Yes, end it" onConfirm={() => act('end')} danger />
                </>
              )}
            </div>
          )}
        </section>

        <div className="live-side">
          <section className="card conf-card" aria-labelledby="live-agenda-heading">
            <h2 id="live-agenda-heading">Agenda</h2>
            {items.length === 0 ? (
              <p className="muted">No case on this meeting's agenda.</p>
            ) : (
              <ol className="live-agenda">
                {items.map((i, n) => {
                  const st = states[n]!;
                  const title = titleOf(i, n);
                  return (
                    <li key={i.id} className={`live-item is-${st}`} {...(st === 'current' ? { 'aria-current': 'step' as const } : {})}>
                      <div className="live-item-row">
                        <span className={`pill live-state live-state-${st}`}>{STATE_LABELS[st]}</span>
                        <span className="live-item-title">
                          {i.case ? <Link to={`/cases/${i.case.id}`}>{title}</Link> : <span className="muted">{title}</span>}
                          <span className="muted small"> · {i.minutes} min{i.actualMinutes !== null && st !== 'current' ? `, took ${i.actualMinutes < 1 ? 'under a minute' : `${Math.round(i.actualMinutes)} min`}` : ''}</span>
                        </span>
                        {chair && run?.status === 'live' && st !== 'current' && (
                          <button type="button" className="btn small ghost" disabled={busy} onClick={() => void act('goto', i.id)} aria-label={`Go to ${title}`}>
                            Go to
                          </button>
                        )}
                      </div>
                      {i.outcome && st !== 'current' && <p className="agenda-outcome small"><span className="muted">Outcome: </span>{i.outcome}</p>}
                      {i.canRecord && run && i.case && st !== 'current' && (
                        recording === i.id ? (
                          <OutcomeForm conferenceId={c.id} occurrence={occurrence} itemId={i.id} caseTitle={i.case.title} outcome={i.outcome} onError={onError}
                            onSaved={(v) => {
                              onChanged(v);
                              setRecording(null);
                            }} />
                        ) : (
                          st === 'done' && (
                            <button type="button" className="linkish small" onClick={() => setRecording(i.id)}>
                              {i.outcome ? 'Change the outcome' : 'Record an outcome'}
                            </button>
                          )
                        )
                      )}
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
          <section className="card conf-card" aria-labelledby="live-attendance-heading">
            <h2 id="live-attendance-heading">Attendance</h2>
            {!run && <p className="muted small">Attendance is taken once the meeting starts.</p>}
            <ul className="attendance">
              {c.attendees.map((a) => {
                const here = (attendedDraft ?? run?.attended ?? []).includes(a.id);
                return (
                  <li key={a.id}>
                    {c.canChair && run ? (
                      <label className="checkbox" htmlFor={`attended-${a.id}`}>
                        <input id={`attended-${a.id}`} type="checkbox" checked={here} onChange={(e) => void attend(a.id, e.target.checked)} />
                        <span>{a.name}</span>
                      </label>
                    ) : (
                      <span>
                        {a.name} <span className="muted small">{run ? (here ? '· present' : '· not marked present') : ''}</span>
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          </section>
        </div>
      </div>
    </div>
  );
}
