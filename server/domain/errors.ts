import type { ErrorCode } from '../../shared/errors.js';

/**
 * Errors the domain throws. They carry a stable code and a message a person can act on;
 * only the transports (HTTP, Socket.io) turn them into status codes and answers.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Also used for "exists but you are not on its team", so that nobody learns a case exists. */
export const notFound = (what = 'That case', fields?: Record<string, string>) =>
  new DomainError('not_found', `${what} was not found, or you do not have access to it.`, fields);

export const forbidden = (message: string) => new DomainError('forbidden', message);

export const conflict = (message: string, fields?: Record<string, string>) => new DomainError('conflict', message, fields);

export const invalid = (message: string, fields: Record<string, string>) => new DomainError('validation_failed', message, fields);

export const unauthenticated = (message = 'Please sign in.') => new DomainError('unauthenticated', message);

export class RateLimited extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', `Too many attempts. Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.`);
  }
}
