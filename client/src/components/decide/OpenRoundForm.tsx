import type { Discipline } from '../../../../shared/disciplines.js';
import { DECISION_RULES, type DecisionRule } from '../../../../shared/decision.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import { DECISION_RULE_LABELS, OpenRoundBody, type RoundView, type Visibility } from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';
import { DisciplineCheckboxes } from '../DisciplineCheckboxes.js';
import { Field, FormMessage, sentence } from '../Field.js';
import { useRecordForm } from '../records/useRecordForm.js';

interface Draft {
  question: string;
  optionIds: string[];
  rule: DecisionRule;
  threshold: string;
  minVoters: string;
  requiredDisciplines: Discipline[];
  /** A datetime-local value in this browser's time zone; empty to close by hand. */
  closesAt: string;
  visibility: Visibility;
}

const INITIAL: Draft = { question: '', optionIds: [], rule: 'simple_majority', threshold: '0.67', minVoters: '3', requiredDisciplines: [], closesAt: '', visibility: 'open' };

function toBody(d: Draft) {
  const closes = d.closesAt === '' ? null : new Date(d.closesAt);
  return {
    question: d.question,
    optionIds: d.optionIds,
    rule: d.rule,
    threshold: d.rule === 'supermajority' ? (d.threshold.trim() === '' ? null : Number(d.threshold)) : null,
    quorum: { minVoters: d.minVoters.trim() === '' ? Number.NaN : Number(d.minVoters), requiredDisciplines: d.requiredDisciplines },
    // An unreadable time is sent as typed, so that the schema names the field.
    closesAt: closes === null ? null : Number.isNaN(closes.getTime()) ? d.closesAt : closes.toISOString(),
    visibility: d.visibility,
  };
}

interface Props {
  caseId: string;
  options: OptionView[];
  onOpened(round: RoundView): void;
  onCancel(): void;
  onError(err: unknown): void;
}

/** The form an owner or editor uses to open a vote over two or more of the case's options. */
export function OpenRoundForm({ caseId, options, onOpened, onCancel, onError }: Props) {
  const form = useRecordForm({
    initial: INITIAL,
    schema: OpenRoundBody,
    toBody,
    onError,
    save: async (body) => onOpened((await decisionsApi.openRound(caseId, body)).round),
  });
  const { draft, set, errors: { fields } } = form;
  const optionsError = Object.entries(fields).find(([k]) => k === 'optionIds' || k.startsWith('optionIds.'))?.[1];
  const toggle = (id: string, on: boolean) => set({ optionIds: options.map((o) => o.id).filter((x) => (x === id ? on : draft.optionIds.includes(x))) });

  return (
    <form className="record-form decide-form" onSubmit={form.submit} noValidate aria-label="Open a vote">
      <FormMessage message={form.errors.message} />
      <Field id="vote-question" label="Question" hint='e.g. "Which second-line treatment do we recommend?"' error={fields.question}>
        {(p) => <textarea {...p} rows={2} value={draft.question} onChange={(e) => set({ question: e.target.value })} />}
      </Field>
      <fieldset className="fieldset" aria-describedby={optionsError ? 'vote-options-error' : undefined}>
        <legend>Options to vote on (two or more)</legend>
        {options.map((o) => (
          <label key={o.id} className="checkbox" htmlFor={`vote-option-${o.id}`}>
            <input id={`vote-option-${o.id}`} type="checkbox" checked={draft.optionIds.includes(o.id)} onChange={(e) => toggle(o.id, e.target.checked)}
              {...(optionsError ? { 'aria-invalid': true as const } : {})} />
            <span>{o.title}</span>
          </label>
        ))}
        {optionsError && <p className="field-error" id="vote-options-error">{sentence('The options', optionsError)}</p>}
      </fieldset>
      <Field id="vote-rule" label="Decision rule" error={fields.rule}>
        {(p) => (
          <select {...p} value={draft.rule} onChange={(e) => set({ rule: e.target.value as DecisionRule })}>
            {DECISION_RULES.map((r) => <option key={r} value={r}>{DECISION_RULE_LABELS[r]}</option>)}
          </select>
        )}
      </Field>
      {draft.rule === 'supermajority' && (
        <Field id="vote-threshold" label="Threshold" hint="The share of support needed, above 0.5 and at most 1 (0.67 is two thirds)." error={fields.threshold}>
          {(p) => <input {...p} type="number" step="0.01" min="0.51" max="1" value={draft.threshold} onChange={(e) => set({ threshold: e.target.value })} />}
        </Field>
      )}
      <Field id="vote-min-voters" label="Minimum voters" error={fields['quorum.minVoters']}>
        {(p) => <input {...p} type="number" min="1" step="1" value={draft.minVoters} onChange={(e) => set({ minVoters: e.target.value })} />}
      </Field>
      <DisciplineCheckboxes idPrefix="vote-disciplines" value={draft.requiredDisciplines} onChange={(v) => set({ requiredDisciplines: v })} error={fields['quorum.requiredDisciplines']} />
      <Field id="vote-closes-at" label="Closing time (optional)" hint="Leave empty to close the vote by hand." error={fields.closesAt}>
        {(p) => <input {...p} type="datetime-local" value={draft.closesAt} onChange={(e) => set({ closesAt: e.target.value })} />}
      </Field>
      <fieldset className="fieldset">
        <legend>Visibility</legend>
        <label className="checkbox" htmlFor="vote-visibility-open">
          <input id="vote-visibility-open" type="radio" name="vote-visibility" checked={draft.visibility === 'open'} onChange={() => set({ visibility: 'open' })} />
          <span>Open: stances are visible as they come</span>
        </label>
        <label className="checkbox" htmlFor="vote-visibility-blind">
          <input id="vote-visibility-blind" type="radio" name="vote-visibility" checked={draft.visibility === 'blind'} onChange={() => set({ visibility: 'blind' })} />
          <span>Blind: stances are hidden until the vote closes</span>
        </label>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>{form.busy ? 'Opening…' : 'Open the vote'}</button>
        <button type="button" className="btn ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
