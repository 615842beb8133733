/**
 * Names and codes shared by the Yjs document server and its clients.
 */

/** The Yjs document that holds a case's brief. */
export function briefDocName(caseId: string): string {
  return `case:${caseId}:brief`;
}

/** The kinds of document a case has; only the brief for now. */
export const DOC_KINDS = ['brief'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** Splits a document name into its case id and kind, or null when it is not one of ours. */
export function parseDocName(name: string): { caseId: string; kind: DocKind } | null {
  const m = /^case:([0-9a-f-]{36}):([a-z]+)$/.exec(name);
  if (!m) return null;
  const kind = m[2] as DocKind;
  if (!DOC_KINDS.includes(kind)) return null;
  return { caseId: m[1]!, kind };
}

/** The path prefix at which the y-websocket endpoint listens: ws://host:port/yjs/<docName>. */
export const YJS_PATH = '/yjs';

/** The XML fragment inside the brief document that the editor binds to (Tiptap's default). */
export const BRIEF_FRAGMENT = 'default';

/**
 * Close codes the document server uses. 1009 (message too big) comes from the WebSocket
 * library itself; the 4xxx codes are ours.
 */
export const DOC_CLOSE = {
  messageTooBig: 1009,
  malformedMessage: 4400,
  /** The session ended (signed out or expired): sign in again. */
  signedOut: 4401,
  accessRevoked: 4403,
  /** A read-only participant sent edits; they were refused. Start from the server's copy. */
  editRefused: 4409,
  /** The client did not read what the server sent fast enough (its backlog passed the limit): reconnect to catch up. */
  tooFarBehind: 4413,
  serverShuttingDown: 4503,
} as const;
