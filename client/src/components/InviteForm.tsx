import { useState, type FormEvent } from 'react';
import type { Discipline } from '../../../shared/disciplines.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles.js';
import { AddMemberBody } from '../../../shared/schemas/cases.js';
import { api } from '../lib/api.js';
import { check, errorsFrom, focusFirstError, NO_ERRORS, type FormErrors } from '../lib/forms.js';
import { DisciplineSelect } from './DisciplineSelect.js';
import { Field, FormMessage } from './Field.js';

interface Props {
  caseId: string;
  onAdded(): void;
  onError(err: unknown): void;
}

/** Invite an existing Consilium user to the case by email, with a role and a discipline. */
export function InviteForm({ caseId, onAdded, onError }: Props) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');
  const [discipline, setDiscipline] = useState<Discipline | ''>('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const formEl = e.currentTarget as HTMLElement;
    setDone(null);
    const checked = check(AddMemberBody, { email, role, ...(discipline ? { discipline } : {}) });
    if (!checked.ok) {
      setErrors(checked.errors);
      return focusFirstError(formEl);
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const { member } = await api.addMember(caseId, checked.data);
      setDone(`${member.name} joined the team as ${ROLE_LABELS[member.role].toLowerCase()}.`);
      setEmail('');
      setDiscipline('');
      onAdded();
    } catch (err) {
      onError(err);
      setErrors(errorsFrom(err));
      focusFirstError(formEl);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="invite-form" onSubmit={submit} noValidate aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite a team member</h3>
      <p className="hint">They need a Consilium account; use the email they signed up with.</p>
      <FormMessage message={errors.message} />
      <FormMessage message={done} tone="success" />
      <Field id="invite-email" label="Email" error={errors.fields.email}>
        {(p) => <input {...p} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <div className="field-row">
        <Field id="invite-role" label="Role" error={errors.fields.role}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="invite-discipline" label="Discipline" error={errors.fields.discipline}>
          {(p) => <DisciplineSelect {...p} value={discipline} onChange={setDiscipline} placeholder="Their own discipline" />}
        </Field>
      </div>
      <button type="submit" className="btn primary" disabled={busy}>
        {busy ? 'Inviting…' : 'Invite'}
      </button>
    </form>
  );
}
