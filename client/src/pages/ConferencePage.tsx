import { useState } from 'react';
import { CONFERENCE_KIND_LABELS, type ConferenceView } from '../../../shared/schemas/conferences.js';
import { AgendaPanel } from '../components/conferences/AgendaPanel.js';
import { AttendeeList, MyResponse } from '../components/conferences/AttendeePanel.js';
import { ConferenceGone } from '../components/conferences/ConferenceGone.js';
import { MeetingTime } from '../components/conferences/MeetingTime.js';
import { OccurrenceList } from '../components/conferences/OccurrenceList.js';
import { PollPanel } from '../components/conferences/PollPanel.js';
import { describeRule } from '../components/conferences/rrule.js';
import { useConference } from '../components/conferences/useConference.js';
import { WarningList } from '../components/conferences/WarningList.js';
import { STATUS_LABELS } from '../components/conferences/words.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { errorMessage } from '../lib/api.js';
import { useAuth, useUser } from '../lib/auth.js';
import { conferencesApi } from '../lib/conferencesApi.js';
import { dateText, viewerTimeZone } from '../lib/conferenceTime.js';
import { Link, navigate } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';
import '../components/conferences/conferences.css';

/** Loads one conference and shows it, or a clear state when it is missing or no longer visible. */
export function ConferencePage({ conferenceId }: { conferenceId: string }) {
  const { handleError } = useAuth();
  const { load, apply, retry } = useConference(conferenceId, handleError);
  useTitle(load.phase === 'ready' ? load.conference.title : 'Conference');
  if (load.phase !== 'ready') return <ConferenceGone load={load} retry={retry} />;
  return <ConferenceDetails conference={load.conference} onChanged={apply} onError={handleError} />;
}

/** The live meeting if one is running, else the next meeting, else the last. */
function defaultOccurrence(c: ConferenceView): string | null {
  const live = Object.entries(c.live).find(([, l]) => l.status === 'live')?.[0];
  return live ?? c.next?.key ?? c.occurrences[c.occurrences.length - 1]?.key ?? null;
}

/**
 * A conference: when (in my zone and the organizer's), where, who and their answers, my own
 * answer, the poll while a time is being found, the meetings of a series, the selected meeting's
 * agenda, warnings for the organizer and chair, the .ics file, cancelling, and live mode.
 */
function ConferenceDetails({ conference: c, onChanged, onError }: { conference: ConferenceView; onChanged(c: ConferenceView): void; onError(err: unknown): void }) {
  const user = useUser();
  const [chosen, setChosen] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const selectedKey = chosen && c.occurrences.some((o) => o.key === chosen) ? chosen : defaultOccurrence(c);
  const selected = c.occurrences.find((o) => o.key === selectedKey) ?? null;
  const liveKey = Object.entries(c.live).find(([, l]) => l.status === 'live')?.[0] ?? null;
  const recurring = c.rrule !== null;
  const allItems = Object.values(c.agenda).flat();
  const caseTitle = (itemId: string) => {
    const item = allItems.find((i) => i.id === itemId);
    return item?.case?.title ?? 'A case you are not on';
  };
  const meetingOf = recurring ? (key: string) => dateText(key, viewerTimeZone()) : undefined;
  const liveHref = (key: string) => `/conferences/${c.id}/live?occurrence=${encodeURIComponent(key)}`;

  async function startLive() {
    if (!selected) return;
    setStarting(true);
    setFailure(null);
    try {
      onChanged((await conferencesApi.live(c.id, { occurrence: selected.key, action: 'start' })).conference);
      navigate(liveHref(selected.key));
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    } finally {
      setStarting(false);
    }
  }

  async function cancel() {
    setFailure(null);
    try {
      onChanged((await conferencesApi.cancel(c.id)).conference);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  }

  return (
    <div className="page conf-detail">
      <p className="breadcrumb">
        <Link to="/conferences">Conferences</Link> <span aria-hidden="true">/</span> Conference
      </p>
      <div className="conf-head">
        <h1 tabIndex={-1}>{c.title}</h1>
        <p className="conf-head-facts">
          <span className="pill">{CONFERENCE_KIND_LABELS[c.kind]}</span>
          <span className={`pill conf-status-${c.status}`}>{STATUS_LABELS[c.status]}</span>
          {recurring && <span className="pill">Repeats</span>}
          <span className="muted small">Organized by {c.organizer.name}{c.chair.id !== c.organizer.id ? `, chaired by ${c.chair.name}` : ''}</span>
        </p>
      </div>
      {c.status === 'cancelled' && <p className="notice error">This conference was cancelled. Everyone invited was told.</p>}
      {liveKey && (
        <div className="notice live-banner" role="status">
          <p>
            <strong>Live now</strong>{recurring ? ` (${dateText(liveKey, viewerTimeZone())})` : ''}: {c.live[liveKey]!.chair.name} is chairing.
          </p>
          <Link to={liveHref(liveKey)} className="btn small primary">
            {c.canChair ? 'Open live mode' : 'Follow the meeting live'}
          </Link>
        </div>
      )}
      {failure && <p className="notice error" role="alert">{failure}</p>}
      <div className="conf-detail-grid">
        <div className="conf-detail-main">
          <section className="conf-card card" aria-labelledby="when-heading">
            <h2 id="when-heading">When and where</h2>
            <dl className="conf-facts">
              <dt>{recurring ? 'Next meeting' : 'Time'}</dt>
              <dd>
                {c.status === 'polling' ? (
                  'Not chosen yet: the invitees are answering a poll.'
                ) : (c.next ?? selected) ? (
                  <MeetingTime start={(c.next ?? selected)!.start} end={(c.next ?? selected)!.end} timeZone={c.timeZone} stacked />
                ) : (
                  'No meeting is left.'
                )}
              </dd>
              {recurring && (
                <>
                  <dt>Repeats</dt>
                  <dd>{describeRule(c.rrule!)} ({c.timeZone})</dd>
                </>
              )}
              <dt>Location</dt>
              <dd>{c.location || <span className="muted">Not given</span>}</dd>
              <dt>Video</dt>
              <dd>
                {c.videoUrl ? (
                  <a href={c.videoUrl} target="_blank" rel="noopener noreferrer">
                    {c.videoUrl}
                  </a>
                ) : (
                  <span className="muted">No video link</span>
                )}
              </dd>
              {c.notes && (
                <>
                  <dt>Notes</dt>
                  <dd className="conf-notes">{c.notes}</dd>
                </>
              )}
            </dl>
          </section>

          <MyResponse conference={c} meId={user.id} onChanged={onChanged} onError={onError} />

          {c.poll && c.status === 'polling' && (
            <PollPanel conference={c} poll={c.poll} canAnswer={c.myResponse !== null && c.organizer.id !== user.id} onChanged={onChanged} onError={onError} />
          )}

          {recurring && c.status === 'scheduled' && (
            <section className="conf-card card" aria-labelledby="meetings-heading">
              <h2 id="meetings-heading">Meetings</h2>
              <OccurrenceList conference={c} selected={selectedKey} onSelect={setChosen} onChanged={onChanged} onError={onError} />
            </section>
          )}

          {selected && c.status !== 'polling' && (
            <section className="conf-card card" aria-labelledby="agenda-heading">
              <h2 id="agenda-heading">Agenda{recurring ? ` for ${dateText(selected.start, viewerTimeZone())}` : ''}</h2>
              <AgendaPanel conference={c} occurrence={selected} onChanged={onChanged} onError={onError} />
            </section>
          )}

          {c.warnings.length > 0 && c.status !== 'polling' && (
            <WarningList warnings={c.warnings} caseTitle={caseTitle} meetingOf={meetingOf} label="Worth checking (shown to the organizer and the chair)" />
          )}
        </div>

        <aside className="conf-detail-side" aria-label="Actions and attendees">
          {(c.status === 'scheduled' || c.canEdit) && (
            <section className="conf-card card conf-actions" aria-labelledby="actions-heading">
              <h2 id="actions-heading">Actions</h2>
              {c.canChair && selected && !liveKey && c.live[selected.key]?.status !== 'ended' && (
                <button type="button" className="btn primary block" disabled={starting} onClick={() => void startLive()}>
                  {starting ? 'Starting…' : 'Start live mode'}
                </button>
              )}
              {selected && c.live[selected.key]?.status === 'ended' && (
                <Link to={liveHref(selected.key)} className="btn block">
                  See the meeting record
                </Link>
              )}
              {c.status === 'scheduled' ? (
                <a className="btn block" href={conferencesApi.icsUrl(c.id)} download={`${slug(c.title)}.ics`}>
                  Download .ics
                </a>
              ) : (
                <p className="muted small">The calendar file is ready once a time is picked.</p>
              )}
              {c.canEdit && (
                <ConfirmButton label="Cancel the conference" question="Cancel it for everyone? They are told." confirmLabel="Yes, cancel it" onConfirm={cancel} danger />
              )}
            </section>
          )}
          <AttendeeList conference={c} />
        </aside>
      </div>
    </div>
  );
}

/** A file name from a title: "tumour-board". */
function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'conference';
}
