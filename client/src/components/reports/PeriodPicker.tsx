import { useEffect, useState } from 'react';
import { QualityQuery } from '../../../../shared/schemas/quality.js';
import { NO_ERRORS, useFormSubmit, type FormErrors } from '../../lib/forms.js';
import { Field, FormMessage } from '../Field.js';
import { QUICK_PERIODS, type Period } from './period.js';

interface Props {
  period: Period;
  /** The server's refusal of the period shown (a 400 naming from or to), if any. */
  serverErrors: FormErrors | null;
  onPeriod(period: Period): void;
}

/** The report's period: two dates checked with the server's own schema, and quick choices. */
export function PeriodPicker({ period, serverErrors, onPeriod }: Props) {
  const [draft, setDraft] = useState(period);
  useEffect(() => setDraft(period), [period]);
  const form = useFormSubmit(QualityQuery, async (q) => onPeriod(q));
  const errors = serverErrors ?? form.errors;

  return (
    <form className="period-picker card" onSubmit={(e) => void form.submit(e, draft)} noValidate aria-label="Report period">
      <FormMessage message={errors.message} />
      <div className="period-row">
        <Field id="period-from" label="From" error={errors.fields.from} className="compact">
          {(p) => <input {...p} type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />}
        </Field>
        <Field id="period-to" label="To" error={errors.fields.to} className="compact">
          {(p) => <input {...p} type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />}
        </Field>
        <button type="submit" className="btn primary" disabled={form.busy}>
          Show
        </button>
      </div>
      <div className="period-quick" role="group" aria-label="Quick periods">
        {QUICK_PERIODS.map((q) => {
          const p = q.period();
          const on = p.from === period.from && p.to === period.to;
          return (
            <button key={q.label} type="button" className="btn small" aria-pressed={on} onClick={() => {
              form.setErrors(NO_ERRORS);
              onPeriod(p);
            }}>
              {q.label}
            </button>
          );
        })}
      </div>
    </form>
  );
}
