import type { NextFunction, Request, Response } from 'express';
import type { ApiErrorBody, ErrorCode } from '../../shared/errors.js';
import { DomainError, RateLimited } from '../domain/errors.js';
import { describeError, type Logger } from '../log.js';
import { STORAGE_UNAVAILABLE_MESSAGE, storageUnavailable } from '../store/errors.js';
import { STATUS_FOR } from './status.js';

function send(res: Response, code: ErrorCode, message: string, fields?: Record<string, string>): void {
  const body: ApiErrorBody = { error: { code, message, ...(fields ? { fields } : {}) } };
  res.status(STATUS_FOR[code]).json(body);
}

/** Errors raised by Express's body parser, by their `type`. */
const PARSER_ERRORS: Record<string, [ErrorCode, string]> = {
  'entity.parse.failed': ['malformed_json', 'The request body is not valid JSON.'],
  'entity.too.large': ['payload_too_large', 'The request body is too large.'],
  'encoding.unsupported': ['unsupported_media_type', 'The request body encoding is not supported.'],
  'charset.unsupported': ['unsupported_media_type', 'The request body charset is not supported; use UTF-8.'],
  'entity.verify.failed': ['validation_failed', 'The request body could not be read.'],
  'request.aborted': ['validation_failed', 'The request was aborted.'],
};

/** The one place errors become HTTP answers. Unknown errors are a 500 with a log line and no details. */
export function errorHandler(log: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    if (res.headersSent) {
      // A streamed answer (a long PDF) failed after it began: the client sees it cut short; we log it.
      log.error('http.stream_failed', { method: req.method, route: req.route?.path ?? req.path.replace(/[0-9a-f-]{36}/g, ':id'), ...describeError(err) });
      res.destroy();
      return;
    }
    if (err instanceof DomainError) {
      if (err instanceof RateLimited) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      send(res, err.code, err.message, err.fields);
      return;
    }
    const unavailable = storageUnavailable(err);
    if (unavailable) {
      // Nothing was changed: the same request may simply be sent again.
      log.warn('http.storage_unavailable', { method: req.method, route: req.route?.path ?? req.path.replace(/[0-9a-f-]{36}/g, ':id'), reason: unavailable.reason });
      res.setHeader('Retry-After', String(unavailable.retryAfterSeconds));
      send(res, 'unavailable', STORAGE_UNAVAILABLE_MESSAGE);
      return;
    }
    const type = (err as { type?: string }).type;
    const known = type ? PARSER_ERRORS[type] : undefined;
    if (known) {
      send(res, known[0], known[1], known[0] === 'malformed_json' || known[0] === 'payload_too_large' ? { body: known[1] } : undefined);
      return;
    }
    const status = (err as { status?: number }).status;
    // A body sent with Content-Encoding gzip, deflate or br that does not decompress (zlib's and brotli's codes).
    if (status === 400 && /^Z_|^ERR__|^ERR_BROTLI/.test(String((err as { code?: unknown }).code))) {
      send(res, 'validation_failed', 'The request body could not be decompressed.', { body: 'could not be decompressed (check Content-Encoding)' });
      return;
    }
    if (err instanceof URIError || (status === 400 && /decode/i.test(String((err as Error).message)))) {
      send(res, 'validation_failed', 'The address is not valid.', { path: 'is not a valid address' });
      return;
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      send(res, 'validation_failed', 'The request could not be understood.');
      return;
    }
    log.error('http.unhandled', { method: req.method, route: req.route?.path ?? req.path.replace(/[0-9a-f-]{36}/g, ':id'), ...describeError(err) });
    send(res, 'internal', 'Something went wrong on our side. Please try again; if it persists, tell your administrator.');
  };
}

/** Answers API paths that match no route. */
export function notFoundHandler(_req: Request, res: Response): void {
  send(res, 'not_found', 'There is no such API route.');
}
