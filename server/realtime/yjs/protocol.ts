/**
 * The y-websocket wire protocol's message types (the first varUint of every message).
 * Sync and awareness payloads are defined by y-protocols.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** Sync sub-types from y-protocols/sync. */
export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;
