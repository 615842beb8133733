import { useEffect, useMemo, useState } from 'react';
import type { Discipline } from '../../../../shared/disciplines.js';
import { AgendaBody, type AgendaItemView, type ConferenceView, type OccurrenceView } from '../../../../shared/schemas/conferences.js';
import { errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { durationText, lengthMinutes } from '../../lib/conferenceTime.js';
import { recheck, useFormSubmit } from '../../lib/forms.js';
import { Link } from '../../lib/router.js';
import { FormMessage } from '../Field.js';
import { AgendaBuilder } from './AgendaBuilder.js';
import { agendaBody, agendaItemFor, disciplinesFor, type AgendaCase, type AgendaDraftItem } from './draft.js';

interface Props {
  conference: ConferenceView;
  occurrence: OccurrenceView;
  onChanged(c: ConferenceView): void;
  onError(err: unknown): void;
}

/** The agenda of one meeting in order; the organizer or chair can change it. */
export function AgendaPanel({ conference, occurrence, onChanged, onError }: Props) {
  const [editing, setEditing] = useState(false);
  const items = conference.agenda[occurrence.key] ?? [];
  const planned = items.reduce((s, i) => s + i.minutes, 0);
  const length = lengthMinutes(occurrence.start, occurrence.end);
  const ended = conference.live[occurrence.key]?.status === 'ended';
  // Another meeting has its own agenda: a half-made change to this one is not carried over.
  useEffect(() => setEditing(false), [occurrence.key]);

  return (
    <div className="agenda-panel">
      <div className="records-head">
        <p className={`agenda-total-line${planned > length ? ' is-over' : ''}`}>
          {items.length === 0 ? 'No case on the agenda yet.' : `${items.length} ${items.length === 1 ? 'case' : 'cases'}, ${durationText(planned)} planned of ${durationText(length)}.`}
        </p>
        {conference.canChair && !editing && !ended && (
          <button type="button" className="btn small" onClick={() => setEditing(true)}>
            {items.length === 0 ? 'Build the agenda' : 'Change the agenda'}
          </button>
        )}
      </div>
      {editing ? (
        <AgendaEditor conference={conference} occurrence={occurrence} items={items} lengthMinutes={length} onError={onError} onCancel={() => setEditing(false)}
          onSaved={(c) => {
            setEditing(false);
            onChanged(c);
          }} />
      ) : (
        items.length > 0 && <AgendaItems items={items} />
      )}
    </div>
  );
}

/** The agenda read-only: each visible case with its minutes and presenter; others only as time taken. */
export function AgendaItems({ items }: { items: AgendaItemView[] }) {
  return (
    <ol className="agenda-view" aria-label="Agenda">
      {items.map((i) => (
        <li key={i.id} className="agenda-view-item">
          {i.case ? (
            <>
              <div className="agenda-view-head">
                <Link to={`/cases/${i.case.id}`} className="agenda-view-title">{i.case.title}</Link>
                <span className="mono muted small">{i.case.patientRef}</span>
                <span className="agenda-view-min">{i.minutes} min</span>
              </div>
              <div className="agenda-view-meta">
                <span className="muted small">{i.presenter ? `Presented by ${i.presenter.name}` : 'Presenter not decided'}</span>
                {i.complex && <span className="pill flag-warn">Complex</span>}
                {i.override && <span className="pill flag-neutral">Not ready: chair&apos;s override</span>}
                {i.actualMinutes !== null && <span className="muted small">Took {durationText(i.actualMinutes)}</span>}
              </div>
              {i.outcome && <p className="agenda-outcome"><span className="muted">Outcome: </span>{i.outcome}</p>}
            </>
          ) : (
            <span className="muted">A case you are not on ({i.minutes} min)</span>
          )}
        </li>
      ))}
    </ol>
  );
}

function AgendaEditor({ conference, occurrence, items, lengthMinutes: length, onSaved, onCancel, onError }: {
  conference: ConferenceView; occurrence: OccurrenceView; items: AgendaItemView[]; lengthMinutes: number;
  onSaved(c: ConferenceView): void; onCancel(): void; onError(err: unknown): void;
}) {
  const [candidates, setCandidates] = useState<AgendaCase[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const hidden = items.filter((i) => i.case === null).length;
  const [draft, setDraft] = useState<AgendaDraftItem[]>(() =>
    items.map((i) =>
      i.case
        ? { key: i.case.id, caseId: i.case.id, itemId: i.id, minutes: String(i.minutes), presenterId: i.presenter?.id ?? '', override: i.override }
        : { key: i.id, caseId: null, itemId: i.id, minutes: String(i.minutes), presenterId: '', override: i.override, complex: i.complex },
    ),
  );

  useEffect(() => {
    conferencesApi.candidates().then(
      ({ candidates: list }) => {
        setCandidates(list);
        // An empty agenda starts with the ready cases proposed.
        if (items.length === 0) setDraft(list.filter((c) => c.ready).map(agendaItemFor));
      },
      (err: unknown) => {
        onError(err);
        setLoadError(errorMessage(err));
      },
    );
    // Only on opening: later changes of the conference do not reset the draft.
  }, [onError]);

  // Cases already on the agenda that are not candidates (e.g. archived since) keep their place.
  const cases = useMemo<AgendaCase[]>(() => {
    const list = candidates ?? [];
    const extra = items.flatMap((i) =>
      i.case && !list.some((c) => c.id === i.case!.id)
        ? [{ id: i.case.id, title: i.case.title, patientRef: i.case.patientRef, ready: i.case.ready, readiness: null, complex: i.complex, complexReasons: [],
            requiredDisciplines: i.case.requiredDisciplines, members: i.presenter ? [{ ...i.presenter, discipline: 'other' as const }] : [] }]
        : [],
    );
    return [...list, ...extra];
  }, [candidates, items]);

  const accepted = conference.attendees.filter((a) => a.response === 'accepted');
  const known = new Map<string, Discipline>(accepted.map((a) => [a.id, a.discipline]));
  const byId = new Map(cases.map((c) => [c.id, c]));
  const present = (caseId: string) => disciplinesFor(byId.get(caseId), accepted.map((a) => a.id), known);

  const body = (d: AgendaDraftItem[]) => ({ occurrence: occurrence.key, items: agendaBody(d) });
  const { errors, setErrors, busy, submit } = useFormSubmit(AgendaBody, async (b) => onSaved((await conferencesApi.setAgenda(conference.id, b)).conference), onError);

  if (loadError) return <p className="notice error" role="alert">Your cases could not be loaded: {loadError}</p>;
  if (!candidates) return <p className="muted">Loading your cases…</p>;
  return (
    <form className="record-form agenda-editor" onSubmit={(e) => submit(e, body(draft))} noValidate aria-label="Change the agenda">
      <FormMessage message={errors.message} />
      {hidden > 0 && (
        <p className="note">
          {hidden === 1 ? 'One case' : `${hidden} cases`} on this agenda {hidden === 1 ? 'is one' : 'are ones'} you are not on: you can move {hidden === 1 ? 'it' : 'them'} or change the minutes; {hidden === 1 ? 'its' : 'their'} team sees the rest.
        </p>
      )}
      <AgendaBuilder idPrefix="edit-agenda" cases={cases} items={draft} fieldPrefix="items" errors={errors.fields} lengthMinutes={length} present={present}
        onChange={(next) => {
          setDraft(next);
          setErrors((cur) => recheck(AgendaBody, body(next), cur));
        }} />
      <div className="form-actions tight">
        <button type="submit" className="btn small primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save the agenda'}
        </button>
        <button type="button" className="btn small ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
