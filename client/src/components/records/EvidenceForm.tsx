import {
  CreateEvidenceBody,
  EVIDENCE_KIND_LABELS,
  EVIDENCE_KINDS,
  EVIDENCE_STRENGTH_LABELS,
  EVIDENCE_STRENGTHS,
  type EvidenceKind,
  type EvidenceStrength,
  type EvidenceView,
} from '../../../../shared/schemas/evidence.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { Field, FormMessage } from '../Field.js';
import { changedFields, useRecordForm } from './useRecordForm.js';

interface Draft {
  kind: EvidenceKind;
  strength: EvidenceStrength;
  title: string;
  citation: string;
  year: string;
  url: string;
  summary: string;
}

const draftOf = (e?: EvidenceView): Draft => ({
  kind: e?.kind ?? 'guideline',
  strength: e?.strength ?? 'moderate',
  title: e?.title ?? '',
  citation: e?.citation ?? '',
  year: e?.year === null || e?.year === undefined ? '' : String(e.year),
  url: e?.url ?? '',
  summary: e?.summary ?? '',
});

// A year that is not a number is passed on as text, so the schema names the problem.
const toBody = (d: Draft) => ({ ...d, year: d.year.trim() === '' ? null : /^\d+$/.test(d.year.trim()) ? Number(d.year.trim()) : d.year });

interface Props {
  caseId: string;
  /** The item to edit; a new item when absent. */
  item?: EvidenceView;
  onSaved(item: EvidenceView): void;
  onCancel(): void;
  onError(err: unknown): void;
}

/** Add or edit an evidence item; checked with the server's own schema before sending. */
export function EvidenceForm({ caseId, item, onSaved, onCancel, onError }: Props) {
  const idp = `ev-${item?.id ?? 'new'}`;
  const form = useRecordForm({
    initial: draftOf(item),
    schema: CreateEvidenceBody,
    toBody,
    onError,
    save: async (body) => {
      if (!item) return onSaved((await recordsApi.createEvidence(caseId, body)).evidence);
      const diff = changedFields(body, item);
      onSaved(Object.keys(diff).length ? (await recordsApi.updateEvidence(caseId, item.id, diff)).evidence : item);
    },
  });
  const { draft, set, errors: { fields } } = form;

  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label={item ? `Edit ${item.title}` : 'Add evidence'}>
      <FormMessage message={form.errors.message} />
      <div className="field-row">
        <Field id={`${idp}-kind`} label="Kind" error={fields.kind}>
          {(p) => (
            <select {...p} value={draft.kind} onChange={(e) => set({ kind: e.target.value as EvidenceKind })}>
              {EVIDENCE_KINDS.map((k) => <option key={k} value={k}>{EVIDENCE_KIND_LABELS[k]}</option>)}
            </select>
          )}
        </Field>
        <Field id={`${idp}-strength`} label="Strength of evidence" error={fields.strength}>
          {(p) => (
            <select {...p} value={draft.strength} onChange={(e) => set({ strength: e.target.value as EvidenceStrength })}>
              {EVIDENCE_STRENGTHS.map((s) => <option key={s} value={s}>{EVIDENCE_STRENGTH_LABELS[s]}</option>)}
            </select>
          )}
        </Field>
      </div>
      <Field id={`${idp}-title`} label="Title" hint="e.g. NCCN Guidelines: Non-Small Cell Lung Cancer, v3.2024" error={fields.title}>
        {(p) => <input {...p} type="text" value={draft.title} onChange={(e) => set({ title: e.target.value })} />}
      </Field>
      <Field id={`${idp}-citation`} label="Citation" hint="The formatted reference: authors, journal, year, pages." error={fields.citation}>
        {(p) => <textarea {...p} rows={2} value={draft.citation} onChange={(e) => set({ citation: e.target.value })} />}
      </Field>
      <div className="field-row year-url">
        <Field id={`${idp}-year`} label="Year" error={fields.year}>
          {(p) => <input {...p} type="text" inputMode="numeric" maxLength={4} value={draft.year} onChange={(e) => set({ year: e.target.value })} />}
        </Field>
        <Field id={`${idp}-url`} label="Web address" error={fields.url} name="Web address">
          {(p) => <input {...p} type="url" placeholder="https://" value={draft.url} onChange={(e) => set({ url: e.target.value })} />}
        </Field>
      </div>
      <Field id={`${idp}-summary`} label="Summary" hint="What it shows, and why it matters for this patient." error={fields.summary}>
        {(p) => <textarea {...p} rows={3} value={draft.summary} onChange={(e) => set({ summary: e.target.value })} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>
          {form.busy ? 'Saving…' : item ? 'Save changes' : 'Add evidence'}
        </button>
        <button type="button" className="btn ghost small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
