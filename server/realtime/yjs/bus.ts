/**
 * The port through which the document hub shares documents with other Consilium processes.
 * The hub knows only this interface; the Redis implementation lives in realtime/scale/ and is
 * loaded only when REDIS_URL is set. Without it the hub uses `LOCAL_ONLY`, which does nothing.
 */

/**
 * What travels between processes about one document:
 * - `update`: a Yjs update, applied by every process that holds the document;
 * - `awareness`: an awareness update (cursors, names; a removal when a client leaves);
 * - `state`: a state vector, asking for what the sender lacks; every receiver answers with the
 *   difference, its own clients' awareness, and its own state vector (`state-answer`), so the
 *   exchange goes both ways;
 * - `state-answer`: a state vector addressed to one process, answered with the difference only.
 */
export type BusKind = 'update' | 'awareness' | 'state' | 'state-answer';

export interface BusListener {
  /** A message about the document from another process (never one of this process's own). */
  receive(kind: BusKind, payload: Uint8Array, from: string): void;
  /**
   * The subscription is active: once after `subscribe`, and again after every reconnection,
   * when messages may have been missed and the document must be reconciled.
   */
  joined(): void;
}

export interface DocumentBus {
  /**
   * Sends one message to the other processes holding the document, or only to the process `to`.
   * Never throws and never queues: a message that cannot be sent now is dropped, and the state
   * exchange after the reconnection makes up for it.
   */
  publish(docName: string, kind: BusKind, payload: Uint8Array, to?: string): void;
  /** Starts receiving the document's messages; one listener per document. */
  subscribe(docName: string, listener: BusListener): void;
  /** Stops delivering to this listener (a later listener for the same document is left alone). */
  unsubscribe(docName: string, listener: BusListener): void;
}

/** The bus of a process that runs alone: nothing to share with, nothing to receive. */
export const LOCAL_ONLY: DocumentBus = {
  publish: () => undefined,
  subscribe: () => undefined,
  unsubscribe: () => undefined,
};
