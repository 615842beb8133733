import { useState } from 'react';
import { LiveRecordBody, type ConferenceView } from '../../../../shared/schemas/conferences.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { recheck, useFormSubmit } from '../../lib/forms.js';
import { Field, FormMessage } from '../Field.js';

interface Props {
  conferenceId: string;
  occurrence: string;
  itemId: string;
  caseTitle: string;
  outcome: string | null;
  onSaved(c: ConferenceView): void;
  onError(err: unknown): void;
}

/** The chair's short outcome for one case, saved to the meeting's record. */
export function OutcomeForm({ conferenceId, occurrence, itemId, caseTitle, outcome, onSaved, onError }: Props) {
  const [text, setText] = useState(outcome ?? '');
  const [saved, setSaved] = useState(false);
  const body = (t: string) => ({ occurrence, itemId, outcome: t });
  const { errors, setErrors, busy, submit } = useFormSubmit(
    LiveRecordBody,
    async (b) => {
      onSaved((await conferencesApi.record(conferenceId, b)).conference);
      setSaved(true);
    },
    onError,
  );
  const id = `outcome-${itemId}`;
  return (
    <form className="outcome-form" onSubmit={(e) => submit(e, body(text))} noValidate aria-label={`Outcome for ${caseTitle}`}>
      <FormMessage message={errors.message} />
      <Field id={id} label="Outcome" hint="A line or two for the record, e.g. “Recommend pembrolizumab; vote opened”." error={errors.fields.outcome}>
        {(p) => (
          <textarea {...p} rows={2} value={text} maxLength={1000}
            onChange={(e) => {
              setText(e.target.value);
              setSaved(false);
              setErrors((cur) => recheck(LiveRecordBody, body(e.target.value), cur));
            }} />
        )}
      </Field>
      <div className="form-actions tight">
        <button type="submit" className="btn small" disabled={busy || text === (outcome ?? '')}>
          {busy ? 'Saving…' : 'Save outcome'}
        </button>
        <span className="muted small" role="status">{saved ? 'Saved.' : ''}</span>
      </div>
    </form>
  );
}
