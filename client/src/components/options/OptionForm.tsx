import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import { CreateOptionBody, type OptionView } from '../../../../shared/schemas/options.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { Field, FormMessage, sentence } from '../Field.js';
import { StrengthBadge } from '../records/EvidenceCard.js';
import { changedFields, useRecordForm } from '../records/useRecordForm.js';

interface Draft {
  title: string;
  description: string;
  expectedBenefit: string;
  risks: string;
  burden: string;
  evidenceIds: string[];
}

const draftOf = (o?: OptionView): Draft => ({
  title: o?.title ?? '',
  description: o?.description ?? '',
  expectedBenefit: o?.expectedBenefit ?? '',
  risks: o?.risks ?? '',
  burden: o?.burden ?? '',
  evidenceIds: o?.evidenceIds ?? [],
});

interface Props {
  caseId: string;
  /** The option to edit; a new one when absent. */
  option?: OptionView;
  /** The case's evidence library: the only items an option may cite. */
  library: EvidenceView[];
  onSaved(option: OptionView): void;
  onCancel(): void;
  onError(err: unknown): void;
}

/** Propose or edit an option; checked with the server's own schema before sending. */
export function OptionForm({ caseId, option, library, onSaved, onCancel, onError }: Props) {
  const idp = `op-${option?.id ?? 'new'}`;
  const inLibrary = new Set(library.map((e) => e.id));
  // An item removed from the library meanwhile is dropped rather than refused by the server.
  const toBody = (d: Draft) => ({ ...d, evidenceIds: d.evidenceIds.filter((id) => inLibrary.has(id)) });
  const form = useRecordForm({
    initial: draftOf(option),
    schema: CreateOptionBody,
    toBody,
    onError,
    save: async (body) => {
      if (!option) return onSaved((await recordsApi.createOption(caseId, body)).option);
      const diff = changedFields(body, option);
      onSaved(Object.keys(diff).length ? (await recordsApi.updateOption(caseId, option.id, diff)).option : option);
    },
  });
  const { draft, set, errors: { fields } } = form;
  const text = (key: Exclude<keyof Draft, 'evidenceIds'>, label: string, hint?: string, rows = 2) => (
    <Field id={`${idp}-${key}`} label={label} hint={hint} error={fields[key]}>
      {(p) => <textarea {...p} rows={rows} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} />}
    </Field>
  );
  // Keeps the proposer's order: new choices go last, so an untouched list compares equal.
  const toggle = (id: string, on: boolean) =>
    set({ evidenceIds: on ? [...draft.evidenceIds.filter((x) => x !== id), id] : draft.evidenceIds.filter((x) => x !== id) });
  const evidenceError = Object.entries(fields).find(([k]) => k === 'evidenceIds' || k.startsWith('evidenceIds.'))?.[1];
  const evidenceErrorId = evidenceError ? `${idp}-evidence-error` : undefined;

  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label={option ? `Edit ${option.title}` : 'Propose an option'}>
      <FormMessage message={form.errors.message} />
      <Field id={`${idp}-title`} label="Title" hint='A short name, e.g. "Pembrolizumab monotherapy".' error={fields.title}>
        {(p) => <input {...p} type="text" value={draft.title} onChange={(e) => set({ title: e.target.value })} />}
      </Field>
      {text('description', 'Description', 'What the option is, in a sentence or two.', 3)}
      {text('expectedBenefit', 'Expected benefit', 'What the patient can expect to gain.')}
      {text('risks', 'Risks')}
      {text('burden', 'Burden for the patient', 'Visits, side effects, cost or coverage.')}
      <fieldset className="fieldset option-evidence" aria-describedby={evidenceErrorId}>
        <legend>Supporting evidence</legend>
        {library.length === 0 ? (
          <p className="muted small">The evidence library is empty: add the guideline or trial under Evidence first, then cite it here.</p>
        ) : (
          <ul className="option-evidence-list">
            {library.map((e) => (
              <li key={e.id}>
                <label className="checkbox" htmlFor={`${idp}-ev-${e.id}`}>
                  <input
                    id={`${idp}-ev-${e.id}`}
                    type="checkbox"
                    checked={draft.evidenceIds.includes(e.id)}
                    onChange={(ev) => toggle(e.id, ev.target.checked)}
                    {...(evidenceError ? { 'aria-invalid': true as const } : {})}
                  />
                  <span className="option-evidence-title">{e.title}</span>
                  <StrengthBadge strength={e.strength} />
                </label>
              </li>
            ))}
          </ul>
        )}
        {evidenceError && <p className="field-error" id={evidenceErrorId}>{sentence('Supporting evidence', evidenceError)}</p>}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>
          {form.busy ? 'Saving…' : option ? 'Save changes' : 'Propose option'}
        </button>
        <button type="button" className="btn ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
