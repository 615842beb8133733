import type { ErrorCode } from '../../shared/errors.js';

/** The HTTP status for each error code; the one mapping from domain errors to HTTP. */
export const STATUS_FOR: Record<ErrorCode, number> = {
  validation_failed: 400,
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  last_owner: 409,
  confirmation_required: 409,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};
