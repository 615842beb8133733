import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SignInBody, SignUpBody } from '../../shared/schemas/auth.js';
import { UniqueViolation } from '../store/errors.js';
import type { Store, UserRecord } from '../store/port.js';
import type { Clock } from './clock.js';
import { conflict, DomainError, RateLimited } from './errors.js';
import { DUMMY_HASH_PROMISE, hashPassword, verifyPassword } from './passwords.js';
import { AttemptLimiter } from './rate-limit.js';

export interface AccountOptions {
  sessionTtlMs: number;
  /** Failed sign-ins allowed per email (and, times five, per client address) in the window. */
  signInMaxFailures: number;
  signInWindowMs: number;
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

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly options: AccountOptions,
  ) {
    this.byEmail = new AttemptLimiter(clock, options.signInMaxFailures, options.signInWindowMs);
    this.byClient = new AttemptLimiter(clock, options.signInMaxFailures * 5, options.signInWindowMs);
  }

  async signUp(input: SignUpBody): Promise<IssuedSession> {
    const user: UserRecord = {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      discipline: input.discipline,
      passwordHash: await hashPassword(input.password),
      createdAt: this.clock.now().toISOString(),
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
    const wait = Math.max(this.byEmail.retryAfter(input.email), this.byClient.retryAfter(client));
    if (wait > 0) throw new RateLimited(wait);
    const user = await this.store.users.findByEmail(input.email);
    const ok = user ? await verifyPassword(input.password, user.passwordHash) : await verifyPassword(input.password, await DUMMY_HASH_PROMISE()).then(() => false);
    if (!user || !ok) {
      this.byEmail.fail(input.email);
      this.byClient.fail(client);
      throw new DomainError('unauthenticated', 'That email and password do not match an account.', { password: 'does not match this email' });
    }
    this.byEmail.reset(input.email);
    if (previousToken) await this.store.sessions.delete(sessionIdFor(previousToken));
    return this.issue(user);
  }

  async signOut(token: string): Promise<void> {
    await this.store.sessions.delete(sessionIdFor(token));
  }

  /** The user a cookie secret belongs to, extending the session when half of it has passed. */
  async userForToken(token: string | undefined): Promise<UserRecord | null> {
    if (!token || token.length > 200) return null;
    const now = this.clock.now();
    const id = sessionIdFor(token);
    const session = await this.store.sessions.findValid(id, now.toISOString());
    if (!session) return null;
    const remaining = Date.parse(session.expiresAt) - now.getTime();
    if (remaining < this.options.sessionTtlMs / 2) {
      await this.store.sessions.extend(id, new Date(now.getTime() + this.options.sessionTtlMs).toISOString());
    }
    return this.store.users.findById(session.userId);
  }

  /** Finds a user by email, for invitations. */
  findByEmail(email: string): Promise<UserRecord | null> {
    return this.store.users.findByEmail(email);
  }

  private async issue(user: UserRecord): Promise<IssuedSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.options.sessionTtlMs);
    await this.store.sessions.create({ id: sessionIdFor(token), userId: user.id, createdAt: now.toISOString(), expiresAt: expiresAt.toISOString() });
    return { token, expiresAt, user };
  }
}
