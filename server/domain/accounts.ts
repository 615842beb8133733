import { DEFAULT_REMINDER_MINUTES } from '../../shared/schemas/conferences.js';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { ChangePasswordBody, SignInBody, SignUpBody } from '../../shared/schemas/auth.js';
import { UniqueViolation } from '../store/errors.js';
import type { Store, UserRecord } from '../store/port.js';
import type { Clock } from './clock.js';
import type { DomainEvents } from './events.js';
import { conflict, DomainError, invalid, RateLimited } from './errors.js';
import { passwordProblem } from './password-rules.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.js';
import { memoryLimiters, type AttemptLimiter, type LimiterFactory } from './rate-limit.js';

export interface AccountOptions {
  sessionTtlMs: number;
  /** Failed sign-ins allowed per email (and, times five, per client address) in the window. */
  signInMaxFailures: number;
  signInWindowMs: number;
  /** New accounts allowed per client address per hour. */
  signUpsPerHour: number;
}

/** A new session: the secret goes in the cookie; only its hash is stored. */
export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: UserRecord;
}

/** The session id stored for a cookie secret. A stolen database cannot be replayed as cookies. */
export function sessionIdFor(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Sign up, sign in, sign out, and who a session cookie belongs to. */
export class AccountService {
  private readonly byEmail: AttemptLimiter;
  private readonly byClient: AttemptLimiter;
  private readonly signUps: AttemptLimiter;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: AccountOptions,
    private readonly events: DomainEvents,
    /** Where failed attempts are counted: this process's memory, or Redis shared by every process. */
    limiters: LimiterFactory = memoryLimiters(clock),
  ) {
    this.byEmail = limiters('signin-email', options.signInMaxFailures, options.signInWindowMs);
    this.byClient = limiters('signin-client', options.signInMaxFailures * 5, options.signInWindowMs);
    this.signUps = limiters('signup-client', options.signUpsPerHour, 3600_000);
  }

  /** Creates an account, limited per client address (each costs a memory-hard hash). */
  async signUp(input: SignUpBody, client: string): Promise<IssuedSession> {
    const weak = passwordProblem(input.password, input);
    if (weak) throw invalid('Choose a stronger password.', { password: weak });
    const wait = await this.signUps.retryAfter(client);
    if (wait > 0) throw new RateLimited(wait);
    await this.signUps.fail(client);
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      discipline: input.discipline,
      passwordHash: await hashPassword(input.password),
      createdAt: this.clock.now().toISOString(),
      reminderMinutes: DEFAULT_REMINDER_MINUTES,
      calendarTokenHash: null,
    };
    try {
      await this.store.users.create(user);
    } catch (err) {
      if (err instanceof UniqueViolation) throw conflict('An account with this email already exists. Sign in instead.', { email: 'is already registered' });
      throw err;
    }
    return this.issue(user);
  }

  /**
   * Checks the password, rate-limited per email and per client address. `previousToken` is the
   * session cookie the browser already had, if any: it is ended, so the id rotates at sign-in.
   */
  async signIn(input: SignInBody, client: string, previousToken?: string): Promise<IssuedSession> {
    const wait = Math.max(await this.byEmail.retryAfter(input.email), await this.byClient.retryAfter(client));
    if (wait > 0) throw new RateLimited(wait);
    const user = await this.store.users.findByEmail(input.email);
    const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyPassword(input.password, await DUMMY_HASH_PROMISE()).then(() => false);
    if (!user || !ok) {
      await Promise.all([this.byEmail.fail(input.email), this.byClient.fail(client)]);
      throw new DomainError('unauthenticated', 'That email and password do not match an account.', { password: 'does not match this email' });
    }
    await this.byEmail.reset(input.email);
    if (previousToken) await this.signOut(previousToken);
    return this.issue(user);
  }

  /**
   * Changes the signed-in person's password: the current one must be right (failures count like
   * failed sign-ins), the new one must pass the rules. Every session of the person ends (their
   * live connections close, on every device) and a new one is issued for this browser.
   */
  async changePassword(user: UserRecord, input: ChangePasswordBody, client: string): Promise<IssuedSession> {
    const wait = Math.max(await this.byEmail.retryAfter(user.email), await this.byClient.retryAfter(client));
    if (wait > 0) throw new RateLimited(wait);
    if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await Promise.all([this.byEmail.fail(user.email), this.byClient.fail(client)]);
      throw invalid('Your current password is not right.', { currentPassword: 'does not match your password' });
    }
    if (input.newPassword === input.currentPassword) throw invalid('Choose a new password.', { newPassword: 'is the same as the current one' });
    const weak = passwordProblem(input.newPassword, user);
    if (weak) throw invalid('Choose a stronger password.', { newPassword: weak });
    await this.store.users.setPasswordHash(user.id, await hashPassword(input.newPassword));
    const ended = await this.store.sessions.deleteForUser(user.id);
    if (ended.length > 0) this.events.emit('sessionEnded', { sessionIds: ended });
    return this.issue(user);
  }

  /** Ends the session; its live connections are closed by the transports. */
  async signOut(token: string): Promise<void> {
    const sessionId = sessionIdFor(token);
    await this.store.sessions.delete(sessionId);
    this.events.emit('sessionEnded', { sessionIds: [sessionId] });
  }

  /**
   * Who a cookie secret belongs to. A session slides: once half its time has passed, it is
   * extended and `extendedUntil` says so, for the transport to renew the cookie.
   */
  async authenticate(token: string | undefined): Promise<{ user: UserRecord; sessionId: string; extendedUntil: Date | null } | null> {
    if (!token || token.length > 200) return null;
    const now = this.clock.now();
    const sessionId = sessionIdFor(token);
    const session = await this.store.sessions.findValid(sessionId, now.toISOString());
    if (!session) return null;
    let extendedUntil: Date | null = null;
    if (Date.parse(session.expiresAt) - now.getTime() < this.options.sessionTtlMs / 2) {
      extendedUntil = new Date(now.getTime() + this.options.sessionTtlMs);
      await this.store.sessions.extend(sessionId, extendedUntil.toISOString());
    }
    const user = await this.store.users.findById(session.userId);
    return user ? { user, sessionId, extendedUntil } : null;
  }

  /** Whether a session (by its stored id) is still valid; live connections are re-checked with it. */
  async sessionAlive(sessionId: string): Promise<boolean> {
    return (await this.store.sessions.findValid(sessionId, this.clock.now().toISOString())) !== null;
  }

  private async issue(user: UserRecord): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs);
    await this.store.sessions.create({ id: sessionIdFor(token), userId: user.id, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    return { token, expiresAt, user };
  }
}
