import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import { DISCIPLINE_LABELS } from '../../../shared/disciplines.js';
import { ChangePasswordBody } from '../../../shared/schemas/auth.js';
import { Field, FormMessage } from '../components/Field.js';
import { api } from '../lib/api.js';
import { useAuth, useUser } from '../lib/auth.js';
import { recheck, useFormSubmit } from '../lib/forms.js';
import { useSocket } from '../lib/socket.js';
import { useTitle } from '../lib/useTitle.js';

/**
 * The change-password form as the browser checks it: the server's own rules for the two
 * passwords, plus the repeat, which never leaves the browser. The mismatch is reported even
 * while another field is still wrong, so that every problem shows at once.
 */
const ChangePasswordForm = z
  .object({
    currentPassword: ChangePasswordBody.shape.currentPassword,
    newPassword: ChangePasswordBody.shape.newPassword,
    repeatPassword: z.string().min(1, { error: 'is required' }),
  })
  .refine((v) => v.repeatPassword === '' || v.newPassword === v.repeatPassword, {
    path: ['repeatPassword'],
    error: 'The two new passwords do not match',
    when: () => true,
  });

type Draft = z.input<typeof ChangePasswordForm>;
const EMPTY: Draft = { currentPassword: '', newPassword: '', repeatPassword: '' };

const PASSWORD_CHANGED = 'Password changed. You were signed out on your other devices.';

/**
 * Changing the password ends every session of the person, this browser's live connection
 * included (the server closes it, and Socket.io does not come back by itself after that). Once
 * the new session cookie is set, connect again, whether the close has arrived yet or not.
 */
function reconnectAfterPasswordChange(socket: Socket | null): void {
  if (!socket) return;
  if (!socket.connected) {
    socket.connect();
    return;
  }
  const onDisconnect = (reason: string) => {
    clearTimeout(timer);
    if (reason === 'io server disconnect') socket.connect();
  };
  const timer = setTimeout(() => socket.off('disconnect', onDisconnect), 10_000);
  socket.once('disconnect', onDisconnect);
}

/** The signed-in person's account: who they are, and a form to change their password. */
export function AccountPage() {
  useTitle('Your account');
  const user = useUser();
  const { handleError } = useAuth();
  const socket = useSocket();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [done, setDone] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  // The app moves focus to a new screen's heading, but this screen is loaded lazily and its
  // heading did not exist yet then: when the person came from the top bar, land them here.
  useEffect(() => {
    if (document.activeElement?.closest('.topbar')) heading.current?.focus();
  }, []);
  const form = useRef<HTMLFormElement>(null);
  const focusError = useRef(false);
  const { errors, setErrors, busy, submit } = useFormSubmit(
    ChangePasswordForm,
    async ({ currentPassword, newPassword }) => {
      await api.changePassword({ currentPassword, newPassword });
      focusError.current = false;
      reconnectAfterPasswordChange(socket);
      setDraft(EMPTY);
      setDone(true);
    },
    handleError,
  );

  // After a refused submit, focus goes to the first field marked invalid. useFormSubmit asks for
  // that on the next animation frame, which can come before React has rendered the server's
  // errors; doing it once the errors are on the page is sure to find the field.
  useEffect(() => {
    if (!focusError.current || Object.keys(errors.fields).length === 0) return;
    focusError.current = false;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  const set = (patch: Partial<Draft>) => {
    const next = { ...draft, ...patch };
    setDraft(next);
    setDone(false);
    setErrors((cur) => recheck(ChangePasswordForm, next, cur));
  };

  const onSubmit = (e: FormEvent) => {
    // The button stays focusable while busy (aria-disabled), so guard against a second submit here.
    if (busy) {
      e.preventDefault();
      return;
    }
    setDone(false);
    focusError.current = true;
    void submit(e, draft);
  };

  return (
    <div className="page narrow-page account-page">
      <h1 tabIndex={-1} ref={heading}>
        Your account
      </h1>

      <section className="card account-card" aria-labelledby="account-profile-heading">
        <h2 id="account-profile-heading">Profile</h2>
        <dl className="account-facts">
          <dt>Name</dt>
          <dd>{user.name}</dd>
          <dt>Email</dt>
          <dd>{user.email}</dd>
          <dt>Discipline</dt>
          <dd>{DISCIPLINE_LABELS[user.discipline]}</dd>
        </dl>
      </section>

      <section className="card form-card account-card" aria-labelledby="account-password-heading">
        <h2 id="account-password-heading">Change password</h2>
        <p className="muted">Changing your password signs you out everywhere else: on your other devices and in other browsers.</p>
        <form ref={form} onSubmit={onSubmit} noValidate>
          <FormMessage message={errors.message} />
          <div role="status" aria-live="polite">
            {done && <p className="form-message success">{PASSWORD_CHANGED}</p>}
          </div>
          {/* Lets password managers tie the new password to the right account. */}
          <input type="email" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <Field id="account-current-password" label="Current password" error={errors.fields.currentPassword}>
            {(p) => (
              <input
                {...p}
                type="password"
                name="current-password"
                autoComplete="current-password"
                value={draft.currentPassword}
                onChange={(e) => set({ currentPassword: e.target.value })}
                required
              />
            )}
          </Field>
          <Field id="account-new-password" label="New password" hint="At least 10 characters; not a common password." error={errors.fields.newPassword}>
            {(p) => (
              <input
                {...p}
                type="password"
                name="new-password"
                autoComplete="new-password"
                value={draft.newPassword}
                onChange={(e) => set({ newPassword: e.target.value })}
                required
              />
            )}
          </Field>
          <Field id="account-repeat-password" label="Repeat new password" error={errors.fields.repeatPassword}>
            {(p) => (
              <input
                {...p}
                type="password"
                name="repeat-password"
                autoComplete="new-password"
                value={draft.repeatPassword}
                onChange={(e) => set({ repeatPassword: e.target.value })}
                required
              />
            )}
          </Field>
          <div className="form-actions">
            <button type="submit" className="btn primary" aria-disabled={busy || undefined}>
              {busy ? 'Changing password…' : 'Change password'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
