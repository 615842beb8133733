import { useEffect, useMemo, useState } from 'react';
import type { Discipline } from '../../../../shared/disciplines.js';
import { CONFERENCE_KIND_LABELS, CONFERENCE_KINDS, CreateConferenceBody, type ConferenceKind, type ConferenceView } from '../../../../shared/schemas/conferences.js';
import { isLocalDateTime, isValidTimeZone, minutesBetween, zonedToUtc } from '../../../../shared/time.js';
import { errorMessage } from '../../lib/api.js';
import { useUser } from '../../lib/auth.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { viewerTimeZone } from '../../lib/conferenceTime.js';
import { recheck, useFormSubmit } from '../../lib/forms.js';
import { Link } from '../../lib/router.js';
import { Field, FormMessage, sentence } from '../Field.js';
import { AgendaBuilder } from './AgendaBuilder.js';
import { agendaItemFor, createBody, disciplinesFor, emptyDraft, localTime, ruleOf, type AgendaCase, type ConferenceDraft, type Invitable } from './draft.js';
import { InviteePicker } from './InviteePicker.js';
import { useConflictCheck, type CheckTarget } from './useConflictCheck.js';
import { WhenFields } from './WhenFields.js';
import './conferences.css';

interface Props {
  onCreated(c: ConferenceView): void;
  onError(err: unknown): void;
}

/** The meeting's length in minutes when the fixed time is complete and sensible. */
function fixedLength(d: ConferenceDraft): number | null {
  const s = localTime(d.date, d.start);
  const e = localTime(d.date, d.end);
  if (!s || !e || !isLocalDateTime(s) || !isLocalDateTime(e) || e <= s || !isValidTimeZone(d.timeZone)) return null;
  return minutesBetween(zonedToUtc(s, d.timeZone), zonedToUtc(e, d.timeZone));
}

/**
 * A new conference: what and when (a fixed time, maybe repeating, or a poll of candidate
 * times), who (invitees from my cases' teams, and the chair), where, and for a fixed time the
 * agenda. Conflicts of the invitees are checked live; the shared schema checks before sending
 * and the server's field messages land beside their fields.
 */
export function ConferenceForm({ onCreated, onError }: Props) {
  const user = useUser();
  const [draft, setDraft] = useState<ConferenceDraft>(() => emptyDraft(viewerTimeZone()));
  const [cases, setCases] = useState<AgendaCase[] | null>(null);
  const [casesError, setCasesError] = useState<string | null>(null);
  const [agendaTouched, setAgendaTouched] = useState(false);
  const { errors, setErrors, busy, submit } = useFormSubmit(CreateConferenceBody, async (body) => onCreated((await conferencesApi.create(body)).conference), onError);

  const [colleagues, setColleagues] = useState<Invitable[] | null>(null);
  useEffect(() => {
    Promise.all([conferencesApi.candidates(), conferencesApi.people()]).then(
      ([{ candidates }, { people }]) => {
        setCases(candidates);
        setColleagues(people);
      },
      (err: unknown) => {
        onError(err);
        setCasesError(errorMessage(err));
      },
    );
  }, [onError]);

  // Ready cases are proposed for the agenda until the organizer changes it.
  useEffect(() => {
    if (cases && !agendaTouched) setDraft((d) => ({ ...d, agenda: cases.filter((c) => c.ready).map(agendaItemFor) }));
  }, [cases, agendaTouched]);

  const set = (patch: Partial<ConferenceDraft>) => {
    const next = { ...draft, ...patch };
    // A chair who is no longer invited cannot chair.
    if (next.chairId !== '' && !next.attendeeIds.includes(next.chairId)) next.chairId = '';
    setDraft(next);
    setErrors((cur) => recheck(CreateConferenceBody, createBody(next), cur));
  };

  const people = useMemo(() => (colleagues ?? []).filter((p) => p.id !== user.id), [colleagues, user.id]);
  const known = useMemo(() => {
    const m = new Map<string, Discipline>(people.map((p) => [p.id, p.discipline]));
    m.set(user.id, user.discipline);
    return m;
  }, [people, user.id, user.discipline]);
  const byId = useMemo(() => new Map((cases ?? []).map((c) => [c.id, c])), [cases]);
  const present = (caseId: string) => disciplinesFor(byId.get(caseId), [user.id, ...draft.attendeeIds], known);

  const targets: CheckTarget[] =
    draft.mode === 'fixed'
      ? [{ key: 'fixed', timeZone: draft.timeZone, start: localTime(draft.date, draft.start), end: localTime(draft.date, draft.end), rrule: ruleOf(draft) }]
      : draft.slots.map((s) => ({ key: s.key, timeZone: draft.timeZone, start: localTime(s.date, s.start), end: localTime(s.date, s.end), rrule: null }));
  const conflicts = useConflictCheck(targets, draft.attendeeIds, null, onError);

  const f = errors.fields;
  const invited = people.filter((p) => draft.attendeeIds.includes(p.id));

  return (
    <form className="card form-card conf-form" onSubmit={(e) => submit(e, createBody(draft))} noValidate aria-label="New conference">
      <FormMessage message={errors.message} />
      <fieldset className="fieldset">
        <legend>What</legend>
        <Field id="conf-title" label="Title" hint='e.g. "Thoracic tumour board" or "Peer-to-peer with the insurer"' error={f.title}>
          {(p) => <input {...p} type="text" value={draft.title} onChange={(e) => set({ title: e.target.value })} />}
        </Field>
        <Field id="conf-kind" label="Kind" error={f.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => set({ kind: e.target.value as ConferenceKind })}>
              {CONFERENCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {CONFERENCE_KIND_LABELS[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <WhenFields draft={draft} set={set} errors={f} conflicts={conflicts} />

      <fieldset className="fieldset">
        <legend>Who</legend>
        {cases === null && !casesError && <p className="muted">Loading the people on your cases…</p>}
        {casesError && <p className="notice error" role="alert">Your cases could not be loaded, so nobody can be invited yet: {casesError}</p>}
        {cases && <InviteePicker idPrefix="conf-invitee" people={people} value={draft.attendeeIds} onChange={(ids) => set({ attendeeIds: ids })} errors={f} />}
        <Field id="conf-chair" label="Chair" hint="Who runs the meeting in live mode. The organizer can always step in." error={f.chairId}>
          {(p) => (
            <select {...p} value={draft.chairId} onChange={(e) => set({ chairId: e.target.value })}>
              <option value="">Me ({user.name})</option>
              {invited.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Where</legend>
        <div className="field-row">
          <Field id="conf-location" label="Location (optional)" name="The location" error={f.location}>
            {(p) => <input {...p} type="text" value={draft.location} onChange={(e) => set({ location: e.target.value })} />}
          </Field>
          <Field id="conf-video" label="Video link (optional)" name="The video link" error={f.videoUrl}>
            {(p) => <input {...p} type="url" inputMode="url" placeholder="https://" value={draft.videoUrl} onChange={(e) => set({ videoUrl: e.target.value })} />}
          </Field>
        </div>
        <Field id="conf-notes" label="Notes for the invitees (optional)" name="The notes" hint="They go to the invitees only, never into calendar files." error={f.notes}>
          {(p) => <textarea {...p} rows={2} value={draft.notes} onChange={(e) => set({ notes: e.target.value })} />}
        </Field>
      </fieldset>

      <fieldset className="fieldset">
        <legend>Agenda</legend>
        {draft.mode === 'poll' ? (
          <p className="muted">Build the agenda once a time is chosen from the poll.</p>
        ) : casesError ? (
          <p className="muted">The agenda can be built later, from the conference page.</p>
        ) : cases === null ? (
          <p className="muted">Loading your cases…</p>
        ) : cases.length === 0 ? (
          <p className="muted">You own or edit no case yet, so there is nothing to put on the agenda.</p>
        ) : (
          <>
            <p className="hint">Cases ready for conference are proposed. {draft.repeat !== 'none' ? 'This agenda is for the first meeting; each meeting has its own.' : ''}</p>
            <AgendaBuilder idPrefix="conf-agenda" cases={cases} items={draft.agenda} fieldPrefix="agenda" errors={f} lengthMinutes={fixedLength(draft)} present={present}
              onChange={(agenda) => {
                setAgendaTouched(true);
                set({ agenda });
              }} />
          </>
        )}
        {f.agenda && draft.mode === 'poll' && <p className="field-error">{sentence('The agenda', f.agenda)}</p>}
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="btn primary" disabled={busy}>
          {busy ? 'Saving…' : draft.mode === 'poll' ? 'Open the poll' : 'Schedule the conference'}
        </button>
        <Link to="/conferences" className="btn ghost">
          Cancel
        </Link>
      </div>
    </form>
  );
}
