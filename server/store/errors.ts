/** Thrown by every engine when a write breaks a unique rule; `constraint` names the rule. */
export class UniqueViolation extends Error {
  constructor(readonly constraint: 'email' | 'membership' | 'id' | 'request') {
    super(`unique rule broken: ${constraint}`);
    this.name = 'UniqueViolation';
  }
}

/**
 * The store cannot take writes (or answer) right now: the disk is full or read-only, the file is
 * locked past the busy timeout, an I/O error, or the database server is unreachable. Transports
 * answer it with 503 and `Retry-After`; nothing was changed, so the same request may be retried.
 */
export class StorageUnavailable extends Error {
  constructor(
    /** The engine's own code (SQLITE_FULL, MongoNetworkError, …), for the log. */
    readonly reason: string,
    readonly retryAfterSeconds = 5,
  ) {
    super(`storage unavailable: ${reason}`);
    this.name = 'StorageUnavailable';
  }
}

/** better-sqlite3 codes (primary or extended) that mean "the storage, not the request". */
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|READONLY|BUSY|IOERR|CANTOPEN)(_|$)/;
/** MongoDB driver and mongoose errors that mean the database could not be reached. */
const MONGO_UNAVAILABLE = new Set([
  'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoServerSelectionError', 'MongoNotConnectedError',
  'MongoTopologyClosedError', 'MongoPoolClearedError', 'MongoServerClosedError',
]);

/**
 * The one place engine errors are recognised as an unavailable store: answers a
 * StorageUnavailable for them (and for one already), null for anything else.
 */
export function storageUnavailable(err: unknown): StorageUnavailable | null {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof StorageUnavailable) return e;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (name === 'SqliteError' && typeof code === 'string' && SQLITE_UNAVAILABLE.test(code)) return new StorageUnavailable(code);
    if (typeof name === 'string' && MONGO_UNAVAILABLE.has(name)) return new StorageUnavailable(name);
    // mongoose, with the connection down, buffers an operation and then gives up with this.
    if (name === 'MongooseError' && typeof message === 'string' && /buffering timed out/.test(message)) return new StorageUnavailable('MongooseBufferingTimeout');
  }
  return null;
}

/** What people read when the store is unavailable (HTTP and Socket.io acknowledgements). */
export const STORAGE_UNAVAILABLE_MESSAGE = 'Saving is not possible right now because the storage is unavailable. Nothing was changed; please try again in a few seconds.';
