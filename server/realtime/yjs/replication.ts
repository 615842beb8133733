import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { BusListener, DocumentBus } from './bus.js';
import { DocumentConnection } from './connection.js';
import { LOAD_ORIGIN, type SharedDocument } from './document.js';

/**
 * Marks changes that came from another process: applied, saved and sent to this process's
 * clients like any other, but never published again (no echo between processes).
 */
export const REMOTE_ORIGIN = Symbol('remote');

/** An encoded Yjs update that carries nothing: no structs and an empty delete set. */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}

/**
 * Shares one loaded document with the other processes that hold it. Each local update and each
 * awareness change of a local client is published once; the other processes' are applied here.
 * Whenever the link is (re)established (after the load, after a Redis outage) the document's
 * state vector is published and every holder answers with what this process lacks and asks for
 * what it lacks itself, so the copies converge without a sync round trip per change.
 * The link ends when the document is destroyed (unloaded).
 */
export function replicate(document: SharedDocument, bus: DocumentBus): void {
  const { doc, awareness, name } = document;

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE_ORIGIN && origin !== LOAD_ORIGIN) bus.publish(name, 'update', update);
  });
  awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    // Only this process's own clients (their changes and their removal when they leave): every
    // process times out stale states by itself, and remote changes were published by their owner.
    if (origin instanceof DocumentConnection) {
      bus.publish(name, 'awareness', awarenessProtocol.encodeAwarenessUpdate(awareness, [...added, ...updated, ...removed]));
    }
  });

  /** Sends `to` what this copy has beyond the state vector it published. */
  const answer = (stateVector: Uint8Array, to: string) => {
    const diff = Y.encodeStateAsUpdate(doc, stateVector);
    if (!isEmptyUpdate(diff)) bus.publish(name, 'update', diff, to);
  };
  /** Sends `to` the awareness states of this process's own clients. */
  const shareAwareness = (to: string) => {
    const ids = [...document.connections].flatMap((c) => [...c.awarenessIds]).filter((id) => awareness.getStates().has(id));
    if (ids.length > 0) bus.publish(name, 'awareness', awarenessProtocol.encodeAwarenessUpdate(awareness, ids), to);
  };

  const listener: BusListener = {
    receive(kind, payload, from) {
      if (document.closed) return;
      switch (kind) {
        case 'update':
          return Y.applyUpdate(doc, payload, REMOTE_ORIGIN);
        case 'awareness':
          return awarenessProtocol.applyAwarenessUpdate(awareness, payload, REMOTE_ORIGIN);
        case 'state':
          answer(payload, from);
          shareAwareness(from);
          return bus.publish(name, 'state-answer', Y.encodeStateVector(doc), from);
        case 'state-answer':
          return answer(payload, from);
      }
    },
    joined() {
      if (!document.closed) bus.publish(name, 'state', Y.encodeStateVector(doc));
    },
  };
  bus.subscribe(name, listener);
  doc.on('destroy', () => bus.unsubscribe(name, listener));
}
