import { useState, type FormEvent } from 'react';
import type { Discipline } from '../../../shared/disciplines.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles.js';
import { AddMemberBody } from '../../../shared/schemas/cases.js';
import { api } from '../lib/api.js';
import { useFormSubmit } from '../lib/forms.js';
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
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, submit } = useFormSubmit(
    AddMemberBody,
    async (data) => {
      const { member } = await api.addMember(caseId, data);
      setDone(`${member.name} joined the team as ${ROLE_LABELS[member.role].toLowerCase()}.`);
      setEmail('');
      setDiscipline('');
      onAdded();
    },
    onError,
  );
  const onSubmit = (e: FormEvent) => {
    setDone(null);
    void submit(e, { email, role, ...(discipline ? { discipline } : {}) });
  };

  return (
    <form className="invite-form" onSubmit={onSubmit} noValidate aria-labelledby="invite-heading">
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
