import { useEffect, useState, type FormEvent } from 'react';
import { CASE_STATUS_LABELS, UpdateCaseBody, type CaseStatus, type CaseView } from '../../../shared/schemas/cases.js';
import { api } from '../lib/api.js';
import { check, errorsFrom, focusFirstError, NO_ERRORS, type FormErrors } from '../lib/forms.js';
import { ArchiveControl } from './ArchiveControl.js';
import { CaseFields, draftOf, type CaseDraft } from './CaseFields.js';
import { Field, FormMessage } from './Field.js';

type DetailsDraft = CaseDraft & { status: CaseStatus };
const OPEN_STATUSES: CaseStatus[] = ['draft', 'in_review', 'decided'];

const toDraft = (c: CaseView): DetailsDraft => ({ ...draftOf(c), status: c.status });

/** Only the fields that differ from the baseline, as PATCH wants them. */
function changes(draft: DetailsDraft, base: DetailsDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(draft) as (keyof DetailsDraft)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(base[key])) out[key] = draft[key];
  }
  return out;
}

interface Props {
  caseView: CaseView;
  onSaved(c: CaseView): void;
  onError(err: unknown): void;
}

/**
 * The case details form. While the user has unsaved edits, changes pushed by others do not
 * overwrite the draft: a notice offers to reload their version instead.
 */
export function DetailsPanel({ caseView, onSaved, onError }: Props) {
  const [baseline, setBaseline] = useState(caseView);
  const [draft, setDraft] = useState(() => toDraft(caseView));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const diff = changes(draft, toDraft(baseline));
  const dirty = Object.keys(diff).length > 0;
  const canEdit = caseView.abilities.editDetails;
  const stale = dirty && !busy && Date.parse(caseView.updatedAt) > Date.parse(baseline.updatedAt);

  useEffect(() => {
    // A user who can no longer edit (demoted, or the case archived) has no draft to keep.
    if ((!dirty || !canEdit) && !busy && caseView !== baseline) {
      setBaseline(caseView);
      setDraft(toDraft(caseView));
    }
  }, [caseView, dirty, canEdit, busy, baseline]);

  const reload = () => {
    setBaseline(caseView);
    setDraft(toDraft(caseView));
    setErrors(NO_ERRORS);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLElement;
    setSaved(null);
    const checked = check(UpdateCaseBody, diff);
    if (!checked.ok) {
      setErrors(checked.errors);
      return focusFirstError(formEl);
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { case: updated } = await api.updateCase(caseView.id, checked.data);
      setBaseline(updated);
      setDraft(toDraft(updated));
      setSaved('Details saved.');
      onSaved(updated);
    } catch (err) {
      onError(err);
      setErrors(errorsFrom(err));
      focusFirstError(formEl);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="details-form" onSubmit={submit} noValidate aria-label="Case details">
      {!caseView.abilities.editDetails && <p className="note">Your role ({caseView.myRole}) can read these details but not change them.</p>}
      {caseView.status === 'archived' && <p className="note">This case is archived. Restore it to change its details.</p>}
      {stale && (
        <div className="notice warn" role="alert">
          <p>These details were changed by someone else while you were editing. Your draft is kept below.</p>
          <button type="button" className="btn small" onClick={reload}>
            Reload their version (discard my edits)
          </button>
        </div>
      )}
      <FormMessage message={errors.message} />
      <FormMessage message={saved} tone="success" />
      <CaseFields idPrefix="details" value={draft} onChange={(d) => setDraft((cur) => ({ ...cur, ...d }))} errors={errors.fields} disabled={!canEdit} />
      {caseView.status !== 'archived' && (
        <Field id="details-status" label="Status" error={errors.fields.status}>
          {(p) => (
            <select {...p} value={draft.status} onChange={(e) => setDraft((d) => ({ ...d, status: e.target.value as CaseStatus }))} disabled={!canEdit}>
              {OPEN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {CASE_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="btn primary" disabled={busy || !dirty}>
            {busy ? 'Saving…' : 'Save details'}
          </button>
          {dirty && (
            <button type="button" className="btn ghost" onClick={reload}>
              Discard changes
            </button>
          )}
        </div>
      )}
      {caseView.abilities.archive && <ArchiveControl caseView={caseView} onSaved={onSaved} onError={onError} />}
    </form>
  );
}
