import { z } from 'zod';
import { DISCIPLINES } from '../disciplines.js';
import { Id, text } from './common.js';

export const Email = z
  .string({ error: 'must be an email address' })
  .trim()
  .max(254, { error: 'must be at most 254 characters' })
  .pipe(z.email({ error: 'must be an email address' }))
  .transform((e) => e.toLowerCase());

export const DisciplineSchema = z.enum(DISCIPLINES, { error: `must be one of: ${DISCIPLINES.join(', ')}` });

const NewPassword = z
  .string({ error: 'must be text' })
  .min(10, { error: 'must be at least 10 characters' })
  .max(200, { error: 'must be at most 200 characters' });

/** A new account. */
export const SignUpBody = z.strictObject({
  /** Used to sign in and to be invited to cases. */
  email: Email,
  /** At least 10 characters, not a common password; stored only as a scrypt hash. */
  password: NewPassword,
  /** The name teammates see. */
  name: text(1, 100),
  /** The user's own discipline, the default when they are invited to a case. */
  discipline: DisciplineSchema,
});
export type SignUpBody = z.infer<typeof SignUpBody>;

export const SignInBody = z.strictObject({
  email: Email,
  password: z.string({ error: 'must be text' }).min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
});
export type SignInBody = z.infer<typeof SignInBody>;

/** A password change by the signed-in person; every other session ends. */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string({ error: 'must be text' }).min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  newPassword: NewPassword,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

/** A user as other people and the user themselves see them. */
export const UserView = z.object({
  id: Id,
  email: z.string(),
  name: z.string(),
  discipline: DisciplineSchema,
});
export type UserView = z.infer<typeof UserView>;

export const MeResponse = z.object({ user: UserView });
export type MeResponse = z.infer<typeof MeResponse>;
