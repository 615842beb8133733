import { useState, type FormEvent } from 'react';
import { CreateReadinessItemBody, type ReadinessItemView, type ReadinessSummary } from '../../../../shared/schemas/readiness.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { check, errorsFrom, NO_ERRORS, type FormErrors } from '../../lib/forms.js';
import { Field } from '../Field.js';
import { ReadinessRow } from './ReadinessRow.js';

interface Props {
  caseId: string;
  items: ReadinessItemView[] | null;
  summary: ReadinessSummary | null;
  canEdit: boolean;
  canManage: boolean;
  onSaved(item: ReadinessItemView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** "Ready for conference", or how far from it the case is and what is still missing. */
export function ReadinessBanner({ summary, items }: { summary: ReadinessSummary; items: ReadinessItemView[] }) {
  const missing = items.filter((i) => i.required && i.state !== 'complete').map((i) => i.label);
  return (
    <div className={`readiness-banner ${summary.ready ? 'is-ready' : 'not-ready'}`} role="status">
      <strong>{summary.ready ? 'Ready for conference' : `Not ready: ${summary.complete} of ${summary.required} required items complete`}</strong>
      {!summary.ready && missing.length > 0 && <span className="small"> Still needed: {missing.join(', ')}.</span>}
      {summary.ready && <span className="small"> Every required item is complete.</span>}
    </div>
  );
}

/** The readiness checklist: the seven standard items and any added by owners. */
export function ReadinessPanel({ caseId, items, summary, canEdit, canManage, onSaved, onDeleted, onError }: Props) {
  if (!items || !summary) return <p className="muted">Loading the readiness checklist…</p>;
  return (
    <section className="records-section" aria-labelledby="readiness-heading">
      <div className="records-head">
        <h3 id="readiness-heading">Readiness checklist</h3>
      </div>
      <ReadinessBanner summary={summary} items={items} />
      {!canEdit && <p className="note">Editors and owners keep this checklist; you can read it.</p>}
      <ul className="readiness-list" aria-label="Checklist items">
        {items.map((i) => (
          <ReadinessRow key={i.id} caseId={caseId} item={i} canEdit={canEdit} isOwner={canManage} onSaved={onSaved} onDeleted={onDeleted} onError={onError} />
        ))}
      </ul>
      {canManage && <AddItemForm caseId={caseId} onSaved={onSaved} onError={onError} />}
    </section>
  );
}

/** Owners add items beyond the standard seven (e.g. "Genomic testing"). */
function AddItemForm({ caseId, onSaved, onError }: { caseId: string; onSaved(item: ReadinessItemView): void; onError(err: unknown): void }) {
  const [label, setLabel] = useState('');
  const [required, setRequired] = useState(true);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const checked = check(CreateReadinessItemBody, { label, required });
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onSaved((await recordsApi.addReadinessItem(caseId, checked.data)).item);
      setLabel('');
    } catch (err) {
      onError(err);
      setErrors(errorsFrom(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="record-form add-item-form" onSubmit={submit} noValidate aria-label="Add an item to the checklist">
      <Field id="rd-new-label" label="New checklist item" hint="For what this case needs beyond the standard items." error={errors.fields.label} name="The item">
        {(p) => <input {...p} type="text" value={label} onChange={(e) => setLabel(e.target.value)} />}
      </Field>
      <div className="form-actions tight">
        <label className="checkbox small">
          <input type="checkbox" checked={required} onChange={(e) => setRequired(e.target.checked)} /> Required for conference
        </label>
        <button type="submit" className="btn small primary" disabled={busy}>Add item</button>
      </div>
    </form>
  );
}
