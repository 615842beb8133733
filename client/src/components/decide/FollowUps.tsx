import { useState } from 'react';
import {
  FollowUpBody,
  IMPLEMENTATION_STATUS_LABELS,
  IMPLEMENTATION_STATUSES,
  NON_IMPLEMENTATION_REASON_LABELS,
  NON_IMPLEMENTATION_REASONS,
  type ImplementationStatus,
  type NonImplementationReason,
  type RoundView,
} from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';
import { Field, FormMessage } from '../Field.js';
import { useRecordForm } from '../records/useRecordForm.js';
import { formatDateTime } from './words.js';

interface Draft {
  status: ImplementationStatus | '';
  reason: NonImplementationReason | '';
  note: string;
}

interface Props {
  caseId: string;
  round: RoundView;
  canRecord: boolean;
  onSaved(round: RoundView): void;
  onError(err: unknown): void;
}

/** Whether the recommendation was carried out, and why not: the list, and a form for owners and editors. */
export function FollowUps({ caseId, round, canRecord, onSaved, onError }: Props) {
  const [adding, setAdding] = useState(false);
  return (
    <section className="follow-ups" aria-labelledby={`fu-${round.id}`}>
      <h5 id={`fu-${round.id}`}>Follow-up</h5>
      {round.followUps.length === 0 ? <p className="muted small">No follow-up recorded yet.</p> : (
        <ul>
          {round.followUps.map((f) => (
            <li key={f.id}>
              <strong>{IMPLEMENTATION_STATUS_LABELS[f.status]}</strong>
              {f.reason && <> ({NON_IMPLEMENTATION_REASON_LABELS[f.reason]})</>}
              {f.note && <>: {f.note}</>}
              <span className="muted small"> by {f.recordedBy.name}, {formatDateTime(f.recordedAt)}</span>
            </li>
          ))}
        </ul>
      )}
      {canRecord && !adding && <button type="button" className="btn small" onClick={() => setAdding(true)}>Record a follow-up</button>}
      {canRecord && adding && <FollowUpForm caseId={caseId} round={round} onError={onError} onCancel={() => setAdding(false)} onSaved={(r) => { onSaved(r); setAdding(false); }} />}
    </section>
  );
}

function FollowUpForm({ caseId, round, onSaved, onError, onCancel }: Omit<Props, 'canRecord'> & { onCancel(): void }) {
  const idp = `fu-${round.id}`;
  const form = useRecordForm({
    initial: { status: '', reason: '', note: '' } as Draft,
    schema: FollowUpBody,
    toBody: (d: Draft) => ({ status: d.status, reason: d.status === 'implemented' || d.reason === '' ? null : d.reason, note: d.note }),
    onError,
    save: async (body) => onSaved((await decisionsApi.addFollowUp(caseId, round.id, body)).round),
  });
  const { draft, set, errors: { fields } } = form;
  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label="Record a follow-up">
      <FormMessage message={form.errors.message} />
      <Field id={`${idp}-status`} label="Was the recommendation carried out?" name="The status" error={fields.status}>
        {(p) => (
          <select {...p} value={draft.status} onChange={(e) => set({ status: e.target.value as Draft['status'] })}>
            <option value="">Choose…</option>
            {IMPLEMENTATION_STATUSES.map((s) => <option key={s} value={s}>{IMPLEMENTATION_STATUS_LABELS[s]}</option>)}
          </select>
        )}
      </Field>
      {draft.status !== 'implemented' && (
        <Field id={`${idp}-reason`} label="Reason" hint="Required unless it was implemented." error={fields.reason}>
          {(p) => (
            <select {...p} value={draft.reason} onChange={(e) => set({ reason: e.target.value as Draft['reason'] })}>
              <option value="">Choose…</option>
              {NON_IMPLEMENTATION_REASONS.map((r) => <option key={r} value={r}>{NON_IMPLEMENTATION_REASON_LABELS[r]}</option>)}
            </select>
          )}
        </Field>
      )}
      <Field id={`${idp}-note`} label="Note (optional)" name="The note" error={fields.note}>
        {(p) => <textarea {...p} rows={2} value={draft.note} onChange={(e) => set({ note: e.target.value })} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>{form.busy ? 'Saving…' : 'Record follow-up'}</button>
        <button type="button" className="btn ghost small" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
