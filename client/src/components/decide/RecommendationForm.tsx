import { RecommendationBody, type RoundView } from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';
import { Field, FormMessage } from '../Field.js';
import { useRecordForm } from '../records/useRecordForm.js';

interface Props {
  caseId: string;
  round: RoundView;
  onSaved(round: RoundView): void;
  onError(err: unknown): void;
}

/** An owner writes the team's one recommendation after a decided round; the case becomes decided. */
export function RecommendationForm({ caseId, round, onSaved, onError }: Props) {
  const form = useRecordForm({
    initial: { text: '' },
    schema: RecommendationBody,
    toBody: (d: { text: string }) => d,
    onError,
    save: async (body) => onSaved((await decisionsApi.recommend(caseId, round.id, body.text)).round),
  });
  return (
    <form className="record-form" onSubmit={form.submit} noValidate aria-label="Write the recommendation">
      <FormMessage message={form.errors.message} />
      <Field id={`rec-${round.id}`} label="Recommendation" hint="The team's unified recommendation, as it will be presented. It can be written once." error={form.errors.fields.text}>
        {(p) => <textarea {...p} rows={4} value={form.draft.text} onChange={(e) => form.set({ text: e.target.value })} />}
      </Field>
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>{form.busy ? 'Saving…' : 'Record the recommendation'}</button>
      </div>
    </form>
  );
}
