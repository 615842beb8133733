import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { DOC_CLOSE } from '../../../shared/brief.js';
import { can, type Role } from '../../../shared/roles.js';
import type { CaseStatus } from '../../../shared/schemas/cases.js';
import type { SharedDocument } from './document.js';
import { MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC, SYNC_STEP_1 } from './protocol.js';

export interface Participant {
  userId: string;
  /** The name others see on this person's cursor; their awareness state must carry it. */
  name: string;
  /** The hash of the session the connection was opened with; signing out closes it. */
  sessionId: string;
  caseId: string;
  /** Kept current while connected: a role change or archiving applies at once. */
  role: Role;
  caseStatus: CaseStatus;
}

/** Viewers, commenters, and everyone on an archived case: they receive the document, their updates are dropped. */
export function isReadOnly(p: Participant): boolean {
  return !can(p.role, 'editBrief', p.caseStatus);
}

/** Awareness client ids one connection may announce (a browser tab uses one). */
export const MAX_AWARENESS_IDS = 4;

/**
 * One client's WebSocket on one document: answers the y-websocket protocol, one handler per
 * message type, with a ping/pong liveness check.
 */
export class DocumentConnection {
  /** Awareness client ids this connection has announced, removed when it closes. */
  readonly awarenessIds = new Set<number>();
  private alive = true;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    readonly document: SharedDocument,
    readonly participant: Participant,
    pingIntervalMs: number,
    /** Bytes sent but not yet taken by the client, beyond which the connection is closed (bounded memory per connection). */
    private readonly maxBacklogBytes: number,
  ) {
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.receive(data as Buffer, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.document.removeConnection(this));
    ws.on('error', () => ws.terminate());
    this.pingTimer = setInterval(() => {
      if (!this.alive) return ws.terminate();
      this.alive = false;
      ws.ping();
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  /** Opens the conversation: our sync step 1, and the awareness states we know. */
  start(): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.document.doc);
    this.send(encoding.toUint8Array(encoder));
    const states = this.document.awareness.getStates();
    if (states.size > 0) this.send(this.document.encodeAwareness([...states.keys()]));
  }

  send(message: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.maxBacklogBytes) {
      // A client that does not read would make the server hold everything for it: it reconnects and catches up by sync instead.
      return this.close(DOC_CLOSE.tooFarBehind, 'too far behind');
    }
    this.ws.send(message, (err) => {
      if (err) this.ws.terminate();
    });
  }

  /** Closes this one connection with one of the shared close codes. */
  close(code: number, reason: string): void {
    clearInterval(this.pingTimer);
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  stopTimers(): void {
    clearInterval(this.pingTimer);
  }

  /** Handles one message from the client. */
  receive(data: Buffer, isBinary: boolean): void {
    try {
      if (!isBinary) throw new Error('text frame');
      const decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          return this.onSync(decoder);
        case MESSAGE_AWARENESS:
          return this.onAwareness(decoding.readVarUint8Array(decoder));
        case MESSAGE_QUERY_AWARENESS:
          return this.send(this.document.encodeAwareness([...this.document.awareness.getStates().keys()]));
        case MESSAGE_AUTH:
          return; // authentication happens at the HTTP upgrade, never in-band
        default:
          throw new Error(`unknown message type ${type}`);
      }
    } catch {
      this.close(DOC_CLOSE.malformedMessage, 'malformed message');
    }
  }

  private onSync(decoder: decoding.Decoder): void {
    // A read-only participant may ask for the document (step 1) but its edits are refused. The
    // connection is closed so the client starts afresh: its later edits would build on the
    // refused ones, which the server does not have, and would never apply.
    if (isReadOnly(this.participant) && decoding.peekVarUint(decoder) !== SYNC_STEP_1) {
      decoding.readVarUint(decoder);
      const update = decoding.readVarUint8Array(decoder);
      if (!isEmptyUpdate(update)) this.close(DOC_CLOSE.editRefused, 'edits refused: read-only');
      return;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    // y-protocols would swallow (and console.error) an update that does not decode: rethrown,
    // it closes the connection as malformed like every other bad message.
    syncProtocol.readSyncMessage(decoder, encoder, this.document.doc, this, (err) => {
      throw err;
    });
    if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder));
  }

  /**
   * Applies an awareness update only for this connection's own clients, and only when the
   * state names the signed-in person: nobody can move or relabel someone else's cursor. A client
   * id already present belongs to whoever announced it first, on this process or another (the
   * states of other processes' clients are here too, see replication.ts).
   */
  private onAwareness(update: Uint8Array): void {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      decoding.readVarUint(decoder); // clock
      const state = JSON.parse(decoding.readVarString(decoder)) as { user?: { name?: unknown } } | null;
      if (!this.awarenessIds.has(clientId)) {
        if (this.document.awareness.getStates().has(clientId) || this.document.awarenessOwner(clientId)) return;
        if (this.awarenessIds.size >= MAX_AWARENESS_IDS) return;
      }
      if (state?.user && state.user.name !== this.participant.name) return;
    }
    awarenessProtocol.applyAwarenessUpdate(this.document.awareness, update, this);
  }
}

/** Whether an encoded Yjs update carries no content and no deletions (what an up-to-date client sends). */
function isEmptyUpdate(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}
