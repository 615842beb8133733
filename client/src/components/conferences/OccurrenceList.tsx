import { useState } from 'react';
import { ExceptionBody, type ConferenceView, type OccurrenceView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { localFields } from '../../lib/conferenceTime.js';
import { recheck, useFormSubmit } from '../../lib/forms.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { Field, FormMessage } from '../Field.js';
import { MeetingTime } from './MeetingTime.js';

interface Props {
  conference: ConferenceView;
  selected: string | null;
  onSelect(key: string): void;
  onChanged(c: ConferenceView): void;
  onError(err: unknown): void;
}

const SHOWN = 8;

/**
 * The meetings of a repeating conference that have not ended: pick one to see its agenda; the
 * organizer skips or moves single meetings (the time is read in the conference's zone).
 */
export function OccurrenceList({ conference, selected, onSelect, onChanged, onError }: Props) {
  const [all, setAll] = useState(false);
  const [moving, setMoving] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const now = new Date().toISOString();
  const upcoming = conference.occurrences.filter((o) => o.end > now);
  const shown = all ? upcoming : upcoming.slice(0, SHOWN);

  async function skip(o: OccurrenceView) {
    setFailure(null);
    try {
      onChanged((await conferencesApi.except(conference.id, { occurrence: o.key, kind: 'skip' })).conference);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  }

  if (upcoming.length === 0) return <p className="muted">No meetings of this series are left.</p>;
  return (
    <div className="occurrences">
      <ul className="occurrence-list" aria-label="Upcoming meetings">
        {shown.map((o) => {
          const items = conference.agenda[o.key]?.length ?? 0;
          const live = conference.live[o.key]?.status === 'live';
          return (
            <li key={o.key} className={`occurrence${o.key === selected ? ' is-selected' : ''}`}>
              <div className="occurrence-main">
                <MeetingTime start={o.start} end={o.end} timeZone={conference.timeZone} />
                <span className="occurrence-flags">
                  {o.moved && <span className="pill">Moved</span>}
                  {live && <span className="pill flag-live">Live now</span>}
                  <span className="muted small">{items === 0 ? 'No agenda yet' : `${items} ${items === 1 ? 'case' : 'cases'}`}</span>
                </span>
              </div>
              <div className="occurrence-actions">
                <button type="button" className="btn small" aria-pressed={o.key === selected} onClick={() => onSelect(o.key)}>
                  {o.key === selected ? 'Agenda shown' : 'Show agenda'}
                </button>
                {conference.canEdit && (
                  <>
                    <button type="button" className="btn small ghost" aria-expanded={moving === o.key} onClick={() => setMoving(moving === o.key ? null : o.key)}>
                      Move…
                    </button>
                    <ConfirmButton label="Skip" ariaLabel="Skip this meeting" question="Skip this meeting? Everyone is told." confirmLabel="Yes, skip it" onConfirm={() => skip(o)} danger />
                  </>
                )}
              </div>
              {moving === o.key && (
                <MoveForm conference={conference} occurrence={o} onCancel={() => setMoving(null)} onError={onError}
                  onMoved={(c) => {
                    setMoving(null);
                    onChanged(c);
                  }} />
              )}
            </li>
          );
        })}
      </ul>
      {upcoming.length > SHOWN && (
        <button type="button" className="btn small ghost" onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${upcoming.length} meetings`}
        </button>
      )}
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </div>
  );
}

/** Moves one meeting to another day or time, read in the conference's zone. */
function MoveForm({ conference, occurrence, onMoved, onCancel, onError }: {
  conference: ConferenceView; occurrence: OccurrenceView; onMoved(c: ConferenceView): void; onCancel(): void; onError(err: unknown): void;
}) {
  const s = localFields(occurrence.start, conference.timeZone);
  const e = localFields(occurrence.end, conference.timeZone);
  const [draft, setDraft] = useState({ date: s.date, start: s.time, end: e.time });
  const body = (d: typeof draft) => ({ occurrence: occurrence.key, kind: 'move' as const, start: `${d.date}T${d.start}`, end: `${d.date}T${d.end}` });
  const { errors, setErrors, busy, submit } = useFormSubmit(ExceptionBody, async (b) => onMoved((await conferencesApi.except(conference.id, b)).conference), onError);
  const set = (patch: Partial<typeof draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    setErrors((cur) => recheck(ExceptionBody, body(next), cur));
  };
  const id = `move-${occurrence.key.replace(/[^0-9]/g, '')}`;
  return (
    <form className="record-form move-form" onSubmit={(ev) => submit(ev, body(draft))} noValidate aria-label="Move this meeting">
      <FormMessage message={errors.message} />
      <p className="muted small">Times in {conference.timeZone}.</p>
      <div className="time-row">
        <Field id={`${id}-date`} label="New date" name="The start" error={errors.fields.start}>
          {(p) => <input {...p} type="date" value={draft.date} onChange={(ev) => set({ date: ev.target.value })} />}
        </Field>
        <Field id={`${id}-start`} label="Start">
          {(p) => <input {...p} type="time" value={draft.start} onChange={(ev) => set({ start: ev.target.value })} />}
        </Field>
        <Field id={`${id}-end`} label="End" error={errors.fields.end}>
          {(p) => <input {...p} type="time" value={draft.end} onChange={(ev) => set({ end: ev.target.value })} />}
        </Field>
      </div>
      <div className="form-actions tight">
        <button type="submit" className="btn small primary" disabled={busy}>
          {busy ? 'Moving…' : 'Move the meeting'}
        </button>
        <button type="button" className="btn small ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
