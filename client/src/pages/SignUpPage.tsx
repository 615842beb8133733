import { useState } from 'react';
import type { Discipline } from '../../../shared/disciplines.js';
import { SignUpBody } from '../../../shared/schemas/auth.js';
import { DisciplineSelect } from '../components/DisciplineSelect.js';
import { Field, FormMessage } from '../components/Field.js';
import { api } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { recheck, useFormSubmit } from '../lib/forms.js';
import { Link, navigate } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';

/** Create an account: name, discipline, email, password. */
export function SignUpPage({ next }: { next: string }) {
  useTitle('Create an account');
  const { signedIn } = useAuth();
  const [form, setForm] = useState({ name: '', discipline: '' as Discipline | '', email: '', password: '' });
  const { errors, setErrors, busy, submit } = useFormSubmit(SignUpBody, async (data) => {
    const { user } = await api.signUp(data);
    signedIn(user);
    navigate(next, { replace: true });
  });
  const set = (patch: Partial<typeof form>) => {
    const next = { ...form, ...patch };
    setForm(next);
    setErrors((cur) => recheck(SignUpBody, { ...next, discipline: next.discipline || undefined }, cur));
  };

  return (
    <div className="card narrow auth-card">
      <p className="brand-large">Consilium</p>
      <h1 tabIndex={-1}>Create an account</h1>
      <form onSubmit={(e) => submit(e, { ...form, discipline: form.discipline || undefined })} noValidate>
        <FormMessage message={errors.message} />
        <Field id="signup-name" label="Your name" hint="The name your teammates see." error={errors.fields.name}>
          {(p) => <input {...p} autoComplete="name" value={form.name} onChange={(e) => set({ name: e.target.value })} required />}
        </Field>
        <Field id="signup-discipline" label="Your discipline" error={errors.fields.discipline}>
          {(p) => (
            <DisciplineSelect {...p} value={form.discipline} placeholder="Choose your discipline" onChange={(d) => set({ discipline: d })} />
          )}
        </Field>
        <Field id="signup-email" label="Email" error={errors.fields.email}>
          {(p) => <input {...p} type="email" autoComplete="email" value={form.email} onChange={(e) => set({ email: e.target.value })} required />}
        </Field>
        <Field id="signup-password" label="Password" hint="At least 10 characters; not a common password." error={errors.fields.password}>
          {(p) => (
            <input {...p} type="password" autoComplete="new-password" value={form.password} onChange={(e) => set({ password: e.target.value })} required />
          )}
        </Field>
        <button type="submit" className="btn primary block" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account? <Link to={next === '/cases' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`}>Sign in</Link>
      </p>
    </div>
  );
}
