import {
  CHANNEL_LABELS,
  CHANNELS,
  CreateStakeholderBody,
  STAKEHOLDER_KIND_LABELS,
  STAKEHOLDER_KINDS,
  STAKEHOLDER_STATUS_LABELS,
  STAKEHOLDER_STATUSES,
  type Channel,
  type StakeholderKind,
  type StakeholderStatus,
  type StakeholderView,
} from '../../../../shared/schemas/stakeholders.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { Field, FormMessage, type ControlProps } from '../Field.js';
import { today } from './dates.js';
import { changedFields, useRecordForm } from './useRecordForm.js';

interface Draft {
  stakeholder: StakeholderKind;
  who: string;
  channel: Channel;
  date: string;
  concerns: string;
  response: string;
  nextStep: string;
  nextStepDue: string;
  status: StakeholderStatus;
}

const draftOf = (e?: StakeholderView): Draft => ({
  stakeholder: e?.stakeholder ?? 'insurer',
  who: e?.who ?? '',
  channel: e?.channel ?? 'phone',
  date: e?.date ?? today(),
  concerns: e?.concerns ?? '',
  response: e?.response ?? '',
  nextStep: e?.nextStep ?? '',
  nextStepDue: e?.nextStepDue ?? '',
  status: e?.status ?? 'open',
});
const toBody = (d: Draft) => ({ ...d, nextStepDue: d.nextStepDue || null });

interface Props {
  caseId: string;
  entry?: StakeholderView;
  onSaved(entry: StakeholderView): void;
  onCancel(): void;
  onError(err: unknown): void;
}

/** Log a contact with a stakeholder, or edit one: what they raised, what was said, what comes next. */
export function StakeholderForm({ caseId, entry, onSaved, onCancel, onError }: Props) {
  const idp = `sh-${entry?.id ?? 'new'}`;
  const form = useRecordForm({
    initial: draftOf(entry),
    schema: CreateStakeholderBody,
    toBody,
    onError,
    save: async (body) => {
      if (!entry) return onSaved((await recordsApi.createStakeholder(caseId, body)).entry);
      const diff = changedFields(body, entry);
      onSaved(Object.keys(diff).length ? (await recordsApi.updateStakeholder(caseId, entry.id, diff)).entry : entry);
    },
  });
  const { draft, set, errors: { fields } } = form;
  const select = <T extends string>(key: keyof Draft, options: readonly T[], labels: Record<T, string>) =>
    (p: ControlProps) => (
      <select {...p} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })}>
        {options.map((o) => <option key={o} value={o}>{labels[o]}</option>)}
      </select>
    );

  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label={entry ? `Edit the entry for ${entry.who}` : 'Log a stakeholder contact'}>
      <FormMessage message={form.errors.message} />
      <div className="field-row">
        <Field id={`${idp}-stakeholder`} label="Stakeholder" error={fields.stakeholder}>
          {select('stakeholder', STAKEHOLDER_KINDS, STAKEHOLDER_KIND_LABELS)}
        </Field>
        <Field id={`${idp}-status`} label="Status" error={fields.status}>
          {select('status', STAKEHOLDER_STATUSES, STAKEHOLDER_STATUS_LABELS)}
        </Field>
      </div>
      <Field id={`${idp}-who`} label="Who" hint='Name or role, e.g. "Medical director, Acme Health".' error={fields.who}>
        {(p) => <input {...p} type="text" value={draft.who} onChange={(e) => set({ who: e.target.value })} />}
      </Field>
      <div className="field-row">
        <Field id={`${idp}-channel`} label="Channel" error={fields.channel}>
          {select('channel', CHANNELS, CHANNEL_LABELS)}
        </Field>
        <Field id={`${idp}-date`} label="Date of contact" error={fields.date}>
          {(p) => <input {...p} type="date" value={draft.date} onChange={(e) => set({ date: e.target.value })} />}
        </Field>
      </div>
      <Field id={`${idp}-concerns`} label="Concerns they raised" error={fields.concerns}>
        {(p) => <textarea {...p} rows={2} value={draft.concerns} onChange={(e) => set({ concerns: e.target.value })} />}
      </Field>
      <Field id={`${idp}-response`} label="Response given" error={fields.response}>
        {(p) => <textarea {...p} rows={2} value={draft.response} onChange={(e) => set({ response: e.target.value })} />}
      </Field>
      <div className="field-row next-step-row">
        <Field id={`${idp}-nextStep`} label="Next step" error={fields.nextStep}>
          {(p) => <input {...p} type="text" value={draft.nextStep} onChange={(e) => set({ nextStep: e.target.value })} />}
        </Field>
        <Field id={`${idp}-nextStepDue`} label="Due date" name="The due date" error={fields.nextStepDue}>
          {(p) => <input {...p} type="date" value={draft.nextStepDue} onChange={(e) => set({ nextStepDue: e.target.value })} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>
          {form.busy ? 'Saving…' : entry ? 'Save changes' : 'Add to the log'}
        </button>
        <button type="button" className="btn ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
