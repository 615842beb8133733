/**
 * The error shape every Consilium answer uses, over HTTP and in Socket.io acknowledgements:
 * `{ error: { code, message, fields } }`. Codes are stable; messages are for people.
 */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'last_owner',
  'confirmation_required',
  'rate_limited',
  /** The store cannot take the change right now (disk full or read-only, database unreachable); retry later. */
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  error: {
    code: ErrorCode;
    message: string;
    /** Field path (dot-separated) to a message about that field. */
    fields?: Record<string, string>;
  };
}
