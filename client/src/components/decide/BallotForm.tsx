import { STANCES, type Stance } from '../../../../shared/decision.js';
import { BallotBody, STANCE_LABELS, type RoundView } from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';
import { Field, FormMessage, sentence } from '../Field.js';
import { useRecordForm } from '../records/useRecordForm.js';

interface Draft {
  mode: 'vote' | 'defer';
  stances: Record<string, { stance: Stance | ''; rationale: string }>;
  defer: string;
}

function draftOf(round: RoundView): Draft {
  const mine = round.myBallot;
  const stances: Draft['stances'] = {};
  for (const o of round.options) stances[o.id] = { stance: mine?.stances[o.id]?.stance ?? '', rationale: mine?.stances[o.id]?.rationale ?? '' };
  return { mode: mine?.defer ? 'defer' : 'vote', stances, defer: mine?.defer ?? '' };
}

function toBody(d: Draft) {
  if (d.mode === 'defer') return { stances: {}, defer: d.defer };
  const stances: Record<string, { stance: Stance; rationale: string }> = {};
  for (const [id, s] of Object.entries(d.stances)) if (s.stance !== '') stances[id] = { stance: s.stance, rationale: s.rationale };
  return { stances, defer: null };
}

interface Props {
  caseId: string;
  round: RoundView;
  onSaved(round: RoundView): void;
  onError(err: unknown): void;
}

/**
 * The caller's ballot on an open round: a stance per option (a rationale is required to object
 * or to support with reservations), or "Defer: information needed" with what is missing.
 */
export function BallotForm({ caseId, round, onSaved, onError }: Props) {
  const idp = `ballot-${round.id}`;
  const form = useRecordForm({
    initial: draftOf(round),
    schema: BallotBody,
    toBody,
    onError,
    save: async (body) => onSaved((await decisionsApi.castBallot(caseId, round.id, body)).round),
  });
  const { draft, set, errors: { fields } } = form;
  const setStance = (id: string, patch: Partial<Draft['stances'][string]>) =>
    set({ stances: { ...draft.stances, [id]: { stance: draft.stances[id]?.stance ?? '', rationale: draft.stances[id]?.rationale ?? '', ...patch } } });

  return (
    <form className="record-form ballot-form" onSubmit={form.submit} noValidate aria-label={round.myBallot ? 'Change your ballot' : 'Your ballot'}>
      <h5>{round.myBallot ? 'Your ballot (you can change it until the vote closes)' : 'Your ballot'}</h5>
      <FormMessage message={form.errors.message} />
      <fieldset className="fieldset">
        <legend>How do you answer?</legend>
        <label className="checkbox" htmlFor={`${idp}-mode-vote`}>
          <input id={`${idp}-mode-vote`} type="radio" name={`${idp}-mode`} checked={draft.mode === 'vote'} onChange={() => set({ mode: 'vote' })} />
          <span>Take a stance on the options</span>
        </label>
        <label className="checkbox" htmlFor={`${idp}-mode-defer`}>
          <input id={`${idp}-mode-defer`} type="radio" name={`${idp}-mode`} checked={draft.mode === 'defer'} onChange={() => set({ mode: 'defer' })} />
          <span>Defer: information needed</span>
        </label>
      </fieldset>
      {draft.mode === 'defer' ? (
        <Field id={`${idp}-defer`} label="Information needed" hint="What is missing before you can take a stance." error={fields.defer}>
          {(p) => <textarea {...p} rows={2} value={draft.defer} onChange={(e) => set({ defer: e.target.value })} />}
        </Field>
      ) : (
        round.options.map((o) => {
          const s = draft.stances[o.id] ?? { stance: '', rationale: '' };
          const stanceError = fields[`stances.${o.id}.stance`] ?? fields[`stances.${o.id}`];
          const needsWhy = s.stance === 'object' || s.stance === 'support_with_reservations';
          return (
            <fieldset key={o.id} className="fieldset ballot-option" aria-describedby={stanceError ? `${idp}-${o.id}-error` : undefined}>
              <legend>{o.title}</legend>
              <div className="stance-radios">
                {STANCES.map((st) => (
                  <label key={st} className="checkbox" htmlFor={`${idp}-${o.id}-${st}`}>
                    <input id={`${idp}-${o.id}-${st}`} type="radio" name={`${idp}-${o.id}`} checked={s.stance === st} onChange={() => setStance(o.id, { stance: st })} />
                    <span>{STANCE_LABELS[st]}</span>
                  </label>
                ))}
              </div>
              {stanceError && <p className="field-error" id={`${idp}-${o.id}-error`}>{sentence('The stance', stanceError)}</p>}
              {s.stance !== '' && (
                <Field id={`${idp}-${o.id}-rationale`} label={needsWhy ? 'Rationale (required)' : 'Rationale (optional)'} name="The rationale"
                  error={fields[`stances.${o.id}.rationale`]}>
                  {(p) => <textarea {...p} rows={2} value={s.rationale} onChange={(e) => setStance(o.id, { rationale: e.target.value })} />}
                </Field>
              )}
            </fieldset>
          );
        })
      )}
      {fields.stances && <p className="field-error">{sentence('The ballot', fields.stances)}</p>}
      <div className="form-actions">
        <button type="submit" className="btn primary small" disabled={form.busy}>
          {form.busy ? 'Saving…' : round.myBallot ? 'Change my ballot' : 'Cast my ballot'}
        </button>
      </div>
    </form>
  );
}
