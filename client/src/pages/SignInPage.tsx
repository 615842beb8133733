import { useState } from 'react';
import { SignInBody } from '../../../shared/schemas/auth.js';
import { Field, FormMessage } from '../components/Field.js';
import { api } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { useFormSubmit } from '../lib/forms.js';
import { Link, navigate } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';

/** Sign in with email and password; goes to `next` afterwards. */
export function SignInPage({ next }: { next: string }) {
  useTitle('Sign in');
  const { signedIn } = useAuth();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, busy, submit } = useFormSubmit(SignInBody, async (data) => {
    const { user } = await api.signIn(data);
    signedIn(user);
    navigate(next, { replace: true });
  });

  return (
    <div className="card narrow auth-card">
      <p className="brand-large">Consilium</p>
      <h1 tabIndex={-1}>Sign in</h1>
      <p className="muted">Build the case for your patient&apos;s plan, together.</p>
      <form onSubmit={(e) => submit(e, { email, password })} noValidate>
        <FormMessage message={errors.message} />
        <Field id="signin-email" label="Email" error={errors.fields.email}>
          {(p) => <input {...p} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required />}
        </Field>
        <Field id="signin-password" label="Password" error={errors.fields.password}>
          {(p) => (
            <input {...p} type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          )}
        </Field>
        <button type="submit" className="btn primary block" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p className="auth-switch">
        New to Consilium? <Link to={next === '/cases' ? '/signup' : `/signup?next=${encodeURIComponent(next)}`}>Create an account</Link>
      </p>
    </div>
  );
}
