import { z } from 'zod';
import { ChangePasswordBody, MeResponse, SignInBody, SignUpBody } from '../../../shared/schemas/auth.js';
import { presentUser } from '../../presenters.js';
import type { Services } from '../../services.js';
import { clearedSessionCookie, readCookie, SESSION_COOKIE, sessionCookie } from '../cookies.js';
import { defineRoute, type Route } from '../route.js';

/** Sign up, sign in, sign out, and the current user. */
export function authRoutes(s: Services): Route[] {
  const secure = s.config.cookieSecure;
  return [
    defineRoute({
      method: 'post', path: '/api/auth/signup', tag: 'auth', auth: false,
      summary: 'Create an account and sign in',
      body: SignUpBody,
      responses: { 201: { description: 'Signed up; the session cookie is set.', schema: MeResponse } },
      handler: async ({ req, res, body }) => {
        const session = await s.accounts.signUp(body, req.ip ?? 'unknown');
        res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, secure));
        return { status: 201, body: { user: presentUser(session.user) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/signin', tag: 'auth', auth: false,
      summary: 'Sign in; the session id is rotated',
      body: SignInBody,
      responses: {
        200: { description: 'Signed in; a new session cookie is set.', schema: MeResponse },
        429: { description: 'Too many failed attempts; see Retry-After.' },
      },
      handler: async ({ req, res, body }) => {
        const previous = readCookie(req.headers.cookie, SESSION_COOKIE);
        const session = await s.accounts.signIn(body, req.ip ?? 'unknown', previous);
        res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, secure));
        return { status: 200, body: { user: presentUser(session.user) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/auth/signout', tag: 'auth', auth: false,
      summary: 'Sign out and end the session',
      body: z.strictObject({}),
      responses: { 204: { description: 'Signed out.' } },
      handler: async ({ req, res }) => {
        const token = readCookie(req.headers.cookie, SESSION_COOKIE);
        if (token) await s.accounts.signOut(token);
        res.setHeader('Set-Cookie', clearedSessionCookie(secure));
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/me/password', tag: 'auth', auth: true,
      summary: 'Change your password; every session ends and this browser gets a new one',
      body: ChangePasswordBody,
      responses: {
        200: { description: 'Changed; a new session cookie is set, every other session has ended.', schema: MeResponse },
        400: { description: 'The current password is wrong, or the new one breaks a rule (the field says which).' },
        429: { description: 'Too many wrong current passwords; see Retry-After.' },
      },
      handler: async ({ req, res, body, user }) => {
        const session = await s.accounts.changePassword(user, body, req.ip ?? 'unknown');
        res.setHeader('Set-Cookie', sessionCookie(session.token, session.expiresAt, secure));
        return { status: 200, body: { user: presentUser(session.user) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/me', tag: 'auth', auth: true,
      summary: 'The signed-in user',
      responses: { 200: { description: 'The current user.', schema: MeResponse } },
      handler: async ({ user }) => ({ status: 200, body: { user: presentUser(user) } }),
    }),
  ];
}
