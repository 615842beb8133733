import { useEffect, useState } from 'react';
import {
  READINESS_STATE_LABELS,
  READINESS_STATES,
  UpdateReadinessItemBody,
  type ReadinessItemView,
  type ReadinessState,
} from '../../../../shared/schemas/readiness.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { check, errorsFrom, NO_ERRORS, type FormErrors } from '../../lib/forms.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { Field, sentence } from '../Field.js';
import { formatDate } from './dates.js';
import { OwnerControls } from './ReadinessOwner.js';
import { changedFields } from './useRecordForm.js';

type Draft = { state: ReadinessState; note: string; recordedBy: string; metOn: string };
const draftOf = (i: ReadinessItemView): Draft => ({ state: i.state, note: i.note, recordedBy: i.recordedBy, metOn: i.metOn ?? '' });
const bodyOf = (d: Draft) => ({ ...d, metOn: d.metOn || null });

/** The patient's views count only when someone who met the patient recorded them (the server's rule, checked early). */
function patientViewsErrors(item: ReadinessItemView, d: Draft): Record<string, string> {
  if (item.key !== 'patient_views' || d.state === 'missing') return {};
  const fields: Record<string, string> = {};
  if (!d.recordedBy.trim()) fields.recordedBy = "is required: who recorded the patient's views, having met them";
  if (!d.metOn) fields.metOn = 'is required: when they met the patient';
  return fields;
}

/** What a readiness checklist row needs: the item, who may change it, and where to report back. */
export interface ReadinessRowProps {
  caseId: string;
  item: ReadinessItemView;
  canEdit: boolean;
  isOwner: boolean;
  onSaved(item: ReadinessItemView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** One checklist item: missing, partial or complete; a note; who confirmed it and when. */
export function ReadinessRow({ caseId, item, canEdit, isOwner, onSaved, onDeleted, onError }: ReadinessRowProps) {
  const [baseline, setBaseline] = useState(item);
  const [draft, setDraft] = useState(() => draftOf(item));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const diff = changedFields(bodyOf(draft), bodyOf(draftOf(baseline)));
  const dirty = Object.keys(diff).length > 0;
  const views = item.key === 'patient_views';
  const idp = `rd-${item.id}`;

  useEffect(() => {
    if (item !== baseline && !dirty && !busy) {
      setBaseline(item);
      setDraft(draftOf(item));
    }
  }, [item, baseline, dirty, busy]);

  async function save(next: Draft, body: Record<string, unknown>) {
    const early = patientViewsErrors(item, next);
    const checked = check(UpdateReadinessItemBody, body);
    const fields = { ...(checked.ok ? {} : checked.errors.fields), ...early };
    if (Object.keys(fields).length > 0) {
      setErrors({ fields, message: null });
      requestAnimationFrame(() => document.querySelector<HTMLElement>(`#${idp} [aria-invalid="true"]`)?.focus());
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { item: saved } = await recordsApi.updateReadinessItem(caseId, item.id, body);
      setBaseline(saved);
      // Keep unsaved edits of the other fields; take the saved ones from the answer.
      const fresh = draftOf(saved);
      setDraft((d) => ({ ...d, ...Object.fromEntries(Object.keys(body).map((k) => [k, fresh[k as keyof Draft]])) }));
      onSaved(saved);
    } catch (err) {
      onError(err);
      setErrors(errorsFrom(err));
    } finally {
      setBusy(false);
    }
  }

  const choose = (state: ReadinessState) => {
    const next = { ...draft, state };
    setDraft(next);
    // The patient's views go with who recorded them and when; other items save at once.
    void save(next, views ? changedFields(bodyOf(next), bodyOf(draftOf(baseline))) : { state });
  };

  return (
    <li id={idp} className={`readiness-item state-${item.state}`}>
      <div className="readiness-top">
        <div className="readiness-name">
          <span className="readiness-label">{item.label}</span>
          {isOwner ? (
            <OwnerControls caseId={caseId} item={item} onSaved={onSaved} onDeleted={onDeleted} onError={onError} />
          ) : (
            !item.required && <span className="muted small">Optional</span>
          )}
        </div>
        {canEdit ? (
          <fieldset className="state-seg" disabled={busy}>
            <legend className="visually-hidden">{item.label}: state</legend>
            {READINESS_STATES.map((s) => (
              <label key={s} className={`seg-opt seg-${s}`}>
                <input type="radio" name={`${idp}-state`} value={s} checked={draft.state === s} onChange={() => choose(s)} />
                {READINESS_STATE_LABELS[s]}
              </label>
            ))}
          </fieldset>
        ) : (
          <span className={`pill readiness-pill seg-${item.state}`}>{READINESS_STATE_LABELS[item.state]}</span>
        )}
      </div>
      {item.confirmedBy && item.confirmedAt && (
        <p className="muted small readiness-who">
          Set to {READINESS_STATE_LABELS[item.state].toLowerCase()} by {item.confirmedBy.name},{' '}
          <time dateTime={item.confirmedAt} title={fullTime(item.confirmedAt)}>{relativeTime(item.confirmedAt)}</time>
        </p>
      )}
      {views && !canEdit && item.recordedBy && (
        <p className="small">Recorded by {item.recordedBy}{item.metOn ? `, who met the patient on ${formatDate(item.metOn)}` : ''}</p>
      )}
      {!canEdit && item.note && <p className="small readiness-note">{item.note}</p>}
      {canEdit && (
        <div className="readiness-edit">
          {views && draft.state !== item.state && (
            <p className="note small">Not saved yet: say who met the patient and when, then save.</p>
          )}
          {views && (
            <div className="pv-fields">
              <Field id={`${idp}-recordedBy`} label="Recorded by (who met the patient)" name="Recorded by" error={errors.fields.recordedBy}>
                {(p) => <input {...p} type="text" value={draft.recordedBy} onChange={(e) => setDraft({ ...draft, recordedBy: e.target.value })} />}
              </Field>
              <Field id={`${idp}-metOn`} label="Met on" error={errors.fields.metOn}>
                {(p) => <input {...p} type="date" value={draft.metOn} onChange={(e) => setDraft({ ...draft, metOn: e.target.value })} />}
              </Field>
            </div>
          )}
          <label className="visually-hidden" htmlFor={`${idp}-note`}>Note on {item.label}</label>
          <input
            id={`${idp}-note`}
            className="readiness-note-input"
            type="text"
            placeholder="Add a note (optional)"
            value={draft.note}
            onChange={(e) => setDraft({ ...draft, note: e.target.value })}
            aria-invalid={errors.fields.note ? true : undefined}
            aria-describedby={errors.fields.note ? `${idp}-note-error` : undefined}
          />
          {errors.fields.note && <p className="field-error" id={`${idp}-note-error`}>{sentence('The note', errors.fields.note)}</p>}
          {errors.message && <p className="field-error" role="alert">{errors.message}</p>}
          {dirty && (
            <div className="form-actions tight">
              <button type="button" className="btn small primary" disabled={busy} onClick={() => void save(draft, diff)}>Save</button>
              <button type="button" className="btn small ghost" onClick={() => { setDraft(draftOf(baseline)); setErrors(NO_ERRORS); }}>Discard</button>
            </div>
          )}
        </div>
      )}
    </li>
  );
}
