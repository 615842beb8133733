import {
  APPEAL_OUTCOME_LABELS,
  APPEAL_OUTCOMES,
  COVERAGE_DECISION_LABELS,
  COVERAGE_DECISIONS,
  CreateCoverageBody,
  DENIAL_REASON_LABELS,
  DENIAL_REASONS,
  type AppealOutcome,
  type CoverageDecision,
  type CoverageView,
  type DenialReason,
} from '../../../../shared/schemas/coverage.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { Field, FormMessage, type ControlProps } from '../Field.js';
import { today } from './dates.js';
import { changedFields, useRecordForm } from './useRecordForm.js';

interface Draft {
  payer: string;
  requested: string;
  submittedOn: string;
  referenceNumber: string;
  decision: CoverageDecision;
  denialReason: DenialReason | '';
  payerWording: string;
  decidedOn: string;
  appealDeadline: string;
  peerToPeerDeadline: string;
  appealOutcome: AppealOutcome;
}

const draftOf = (r?: CoverageView): Draft => ({
  payer: r?.payer ?? '',
  requested: r?.requested ?? '',
  submittedOn: r?.submittedOn ?? today(),
  referenceNumber: r?.referenceNumber ?? '',
  decision: r?.decision ?? 'pending',
  denialReason: r?.denialReason ?? '',
  payerWording: r?.payerWording ?? '',
  decidedOn: r?.decidedOn ?? '',
  appealDeadline: r?.appealDeadline?.date ?? '',
  peerToPeerDeadline: r?.peerToPeerDeadline?.date ?? '',
  appealOutcome: r?.appealOutcome ?? 'none',
});

/** Whether a decision carries a coded denial reason. */
export const isDenial = (d: CoverageDecision) => d === 'denied' || d === 'partially_approved';

// A reason left in a hidden field (the decision was changed to approved) is not sent.
const toBody = (d: Draft) => ({
  ...d,
  denialReason: isDenial(d.decision) ? d.denialReason || null : null,
  decidedOn: d.decidedOn || null,
  appealDeadline: d.appealDeadline || null,
  peerToPeerDeadline: d.peerToPeerDeadline || null,
});

/** The stored values of a request, shaped like the body, to find what an edit changed. */
const baseOf = (r: CoverageView) => ({ ...r, appealDeadline: r.appealDeadline?.date ?? null, peerToPeerDeadline: r.peerToPeerDeadline?.date ?? null });

interface Props {
  caseId: string;
  request?: CoverageView;
  onSaved(request: CoverageView): void;
  onCancel(): void;
  onError(err: unknown): void;
}

/** Record a request to a payer and, later, its decision, denial reason, deadlines and appeal. */
export function CoverageForm({ caseId, request, onSaved, onCancel, onError }: Props) {
  const idp = `cv-${request?.id ?? 'new'}`;
  const form = useRecordForm({
    initial: draftOf(request),
    schema: CreateCoverageBody,
    toBody,
    onError,
    save: async (body) => {
      if (!request) return onSaved((await recordsApi.createCoverage(caseId, body)).request);
      const diff = changedFields(body, baseOf(request));
      onSaved(Object.keys(diff).length ? (await recordsApi.updateCoverage(caseId, request.id, diff)).request : request);
    },
  });
  const { draft, set, errors: { fields } } = form;
  const text = (key: keyof Draft, type = 'text') => (p: ControlProps) => <input {...p} type={type} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })} />;
  const choice = <T extends string>(key: keyof Draft, options: readonly T[], labels: Record<T, string>, placeholder?: string) => (p: ControlProps) => (
    <select {...p} value={draft[key]} onChange={(e) => set({ [key]: e.target.value })}>
      {placeholder && <option value="">{placeholder}</option>}
      {options.map((o) => <option key={o} value={o}>{labels[o]}</option>)}
    </select>
  );

  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label={request ? `Edit the request to ${request.payer}` : 'Add a coverage request'}>
      <FormMessage message={form.errors.message} />
      <Field id={`${idp}-payer`} label="Payer" hint="The insurer or plan." error={fields.payer}>{text('payer')}</Field>
      <Field id={`${idp}-requested`} label="What was requested" hint="The drug, procedure or service." error={fields.requested}>
        {(p) => <textarea {...p} rows={2} value={draft.requested} onChange={(e) => set({ requested: e.target.value })} />}
      </Field>
      <div className="field-row">
        <Field id={`${idp}-submittedOn`} label="Submitted on" error={fields.submittedOn}>{text('submittedOn', 'date')}</Field>
        <Field id={`${idp}-referenceNumber`} label="Reference number" error={fields.referenceNumber}>{text('referenceNumber')}</Field>
      </div>
      <div className="field-row">
        <Field id={`${idp}-decision`} label="Decision" error={fields.decision}>{choice('decision', COVERAGE_DECISIONS, COVERAGE_DECISION_LABELS)}</Field>
        <Field id={`${idp}-decidedOn`} label="Decided on" error={fields.decidedOn}>{text('decidedOn', 'date')}</Field>
      </div>
      {isDenial(draft.decision) && (
        <>
          <Field id={`${idp}-denialReason`} label="Denial reason" error={fields.denialReason}>
            {choice('denialReason', DENIAL_REASONS, DENIAL_REASON_LABELS, 'Choose the coded reason…')}
          </Field>
          <Field id={`${idp}-payerWording`} label="Payer's wording" hint="Quote the letter." error={fields.payerWording}>
            {(p) => <textarea {...p} rows={3} value={draft.payerWording} onChange={(e) => set({ payerWording: e.target.value })} />}
          </Field>
        </>
      )}
      <div className="field-row">
        <Field id={`${idp}-appealDeadline`} label="Appeal deadline" error={fields.appealDeadline}>{text('appealDeadline', 'date')}</Field>
        <Field id={`${idp}-peerToPeerDeadline`} label="Peer-to-peer deadline" error={fields.peerToPeerDeadline}>{text('peerToPeerDeadline', 'date')}</Field>
      </div>
      <Field id={`${idp}-appealOutcome`} label="Appeal outcome" error={fields.appealOutcome}>{choice('appealOutcome', APPEAL_OUTCOMES, APPEAL_OUTCOME_LABELS)}</Field>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>{form.busy ? 'Saving…' : request ? 'Save changes' : 'Add request'}</button>
        <button type="button" className="btn ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
