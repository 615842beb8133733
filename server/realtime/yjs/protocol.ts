/**
 * The y-websocket wire protocol's message types (the first varUint of every message).
 * Sync and awareness payloads are defined by y-protocols.
 */
export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** The sync sub-type that asks for the document (y-protocols/sync); step 2 and update carry edits. */
export const SYNC_STEP_1 = 0;
