import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../domain/errors.js';
import type { Logger } from '../log.js';
import type { Services } from '../services.js';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.js';

/** Security headers for every answer (the app is same-origin only). */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      "script-src 'self'",
      // Collaborators' caret colours are inline style attributes.
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self' ws: wss:",
      "font-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
    ].join('; '),
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  next();
}

/** Whether an Origin header, when present, names this same host. */
export function isSameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Refuses state-changing requests from another site, and bodies that are not JSON. */
export function apiGuards(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  // A browser names the requesting site in Origin, and (when it sends Fetch Metadata) says in
  // Sec-Fetch-Site whether it is another site: either refuses a forged cross-site change.
  if (!isSameOrigin(req.headers.origin, req.headers.host) || req.headers['sec-fetch-site'] === 'cross-site') {
    return next(new DomainError('forbidden', 'Requests from another site are refused.'));
  }
  const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json')) {
    return next(new DomainError('unsupported_media_type', 'Send the request body as JSON (Content-Type: application/json).', { body: 'must be JSON' }));
  }
  next();
}

/** API answers hold clinical data: never cache them. */
export function noStore(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Resolves the session cookie to a user (or null) for the routes after it, renewing a sliding session's cookie. */
export function sessionMiddleware(s: Services) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const token = readCookie(req.headers.cookie, SESSION_COOKIE);
      const session = token ? await s.accounts.authenticate(token) : null;
      (req as Request & { user?: unknown }).user = session?.user ?? null;
      if (token && session?.extendedUntil) res.setHeader('Set-Cookie', sessionCookie(token, session.extendedUntil, s.config.cookieSecure));
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** One log line per API request: method, route shape, status, time. Never bodies or query values. */
export function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info('http', {
        method: req.method,
        // Ids are replaced, and a calendar feed's secret token never reaches the log.
        path: (req.originalUrl.split('?')[0] ?? '').replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/^\/api\/calendar\/.*/, '/api/calendar/:token'),
        status: res.statusCode,
        ms: Math.round(ms),
      });
    });
    next();
  };
}
