import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { DocumentConnection } from './connection.js';
import type { DocumentSaver } from './persistence.js';
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from './protocol.js';

/**
 * A document held in memory while anyone uses it: the Y.Doc, its awareness, its open
 * connections and its saver. Updates from one connection go to all others and to the saver.
 */
export class SharedDocument {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly connections = new Set<DocumentConnection>();
  /** Set once the document is unloaded; a connection arriving then must load it again. */
  closed = false;

  constructor(
    readonly name: string,
    readonly saver: DocumentSaver,
    private readonly onIdle: (doc: SharedDocument) => void,
  ) {
    // The server holds no awareness state of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin));
    this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) =>
      this.onAwareness(change, origin),
    );
  }

  /** Applies stored content without saving it again. */
  load(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, LOAD_ORIGIN);
  }

  addConnection(conn: DocumentConnection): void {
    this.connections.add(conn);
    conn.start();
  }

  removeConnection(conn: DocumentConnection): void {
    if (!this.connections.delete(conn)) return;
    conn.stopTimers();
    // The connection is the origin, so other processes learn of the removal too (replication.ts).
    if (conn.awarenessIds.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], conn);
    if (this.connections.size === 0) this.onIdle(this);
  }

  /** The connection that announced this awareness client id, if any. */
  awarenessOwner(clientId: number): DocumentConnection | undefined {
    for (const conn of this.connections) if (conn.awarenessIds.has(clientId)) return conn;
    return undefined;
  }

  encodeAwareness(clients: number[]): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients));
    return encoding.toUint8Array(encoder);
  }

  destroy(): void {
    this.closed = true;
    this.awareness.destroy();
    this.doc.destroy();
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === LOAD_ORIGIN) return;
    this.saver.add(update);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    const message = encoding.toUint8Array(encoder);
    for (const conn of this.connections) if (conn !== origin) conn.send(message);
  }

  private onAwareness({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    const from = origin as DocumentConnection;
    if (this.connections.has(from)) {
      for (const id of added) from.awarenessIds.add(id);
      for (const id of removed) from.awarenessIds.delete(id);
    }
    const message = this.encodeAwareness(changed);
    for (const conn of this.connections) conn.send(message);
  }
}

/** Marks updates that come from the store, so they are not saved twice. */
export const LOAD_ORIGIN = Symbol('load');
