import type WebSocket from 'ws';
import * as Y from 'yjs';
import { briefDocName, DOC_CLOSE } from '../../../shared/brief.js';
import type { BriefDocuments } from '../../domain/brief-access.js';
import { briefTemplateUpdate } from '../../domain/brief.js';
import { describeError, type Logger } from '../../log.js';
import type { DocumentRepository } from '../../store/port.js';
import { LOCAL_ONLY, type DocumentBus } from './bus.js';
import { DocumentConnection, type Participant } from './connection.js';
import { SharedDocument } from './document.js';
import { GroupCommitter, planCompaction, type SaverOptions, type StorageMetrics } from './persistence.js';
import { replicate } from './replication.js';

export interface HubOptions extends SaverOptions {
  /** Keep an unused document this long before unloading it (a page reload reconnects at once). */
  unloadDelayMs: number;
  pingIntervalMs: number;
  /** Unsent bytes one connection may accumulate before it is closed (tooFarBehind). */
  maxBacklogBytes: number;
}

/** While nobody edits a brief, how often a reader waiting for an edit looks at the store again. */
const STORE_POLL_MS = 250;

/** A client may send this many messages before its document has loaded; more is abuse. */
const MAX_HELD_MESSAGES = 64;

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  commitIntervalMs: 40,
  compactAfter: 500,
  unloadDelayMs: 2000,
  pingIntervalMs: 30_000,
  maxBacklogBytes: 16 * 1024 * 1024,
};

/**
 * Holds the Yjs documents in use: loads one on its first connection, keeps it while used,
 * saves it in batches, and unloads it when the last client has left and its last write is safe.
 */
export class DocumentHub implements BriefDocuments {
  private readonly docs = new Map<string, Promise<SharedDocument>>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  /** The documents whose load has finished (the map above also holds loads in progress). */
  private readonly loaded = new Set<SharedDocument>();
  private readonly committer: GroupCommitter;
  /** Folds of unloaded documents still running; shutdown waits for them. */
  private readonly restingFolds = new Set<Promise<void>>();

  constructor(
    private readonly repo: DocumentRepository,
    private readonly log: Logger,
    private readonly options: HubOptions = DEFAULT_HUB_OPTIONS,
    /** Other processes holding the same documents (Redis when configured); none by default. */
    private readonly bus: DocumentBus = LOCAL_ONLY,
  ) {
    this.committer = new GroupCommitter(repo, options, log);
  }

  /** What was loaded from and written to storage since start (a copy). */
  metrics(): StorageMetrics {
    const m = this.committer.metrics;
    return { ...m, storageLoads: { ...m.storageLoads } };
  }

  /**
   * Attaches an authenticated WebSocket to a document. Messages that arrive while the document
   * loads are held and replayed (a y-websocket client sends its sync request only once), and
   * the participant's rights are read by `authorize` after the load, so a role change made
   * meanwhile is not missed. `authorize` answering null refuses the connection.
   */
  async connect(ws: WebSocket, name: string, authorize: () => Promise<Participant | null>): Promise<void> {
    const held: [Buffer, boolean][] = [];
    const hold = (data: Buffer, isBinary: boolean) => {
      if (held.length >= MAX_HELD_MESSAGES) return ws.close(DOC_CLOSE.malformedMessage, 'too many messages before the document loaded');
      held.push([data, isBinary]);
    };
    ws.on('message', hold);
    try {
      for (;;) {
        const document = await this.open(name);
        if (document.closed) continue; // unloaded while we waited: load it afresh
        const participant = ws.readyState === ws.OPEN ? await authorize() : null;
        if (document.closed) continue;
        if (ws.readyState !== ws.OPEN || !participant) {
          if (participant === null && ws.readyState === ws.OPEN) ws.close(DOC_CLOSE.accessRevoked, 'access revoked');
          if (document.connections.size === 0) this.scheduleUnload(document);
          return;
        }
        this.cancelUnload(name);
        const conn = new DocumentConnection(ws, document, participant, this.options.pingIntervalMs, this.options.maxBacklogBytes);
        document.addConnection(conn);
        ws.off('message', hold);
        for (const [data, isBinary] of held) conn.receive(data, isBinary);
        return;
      }
    } finally {
      ws.off('message', hold);
    }
  }

  /** The participants connected to a case's documents; their role and case status may be changed in place. */
  participants(caseId: string): Participant[] {
    return [...this.loaded].flatMap((d) => [...d.connections].filter((c) => c.participant.caseId === caseId).map((c) => c.participant));
  }

  async inspect<T>(caseId: string, read: (doc: Y.Doc) => T | null, waitMs = 0): Promise<T | null> {
    const name = briefDocName(caseId);
    const deadline = Date.now() + waitMs;
    for (;;) {
      const live = this.docs.has(name) ? await this.open(name) : null;
      const result = live && !live.closed ? read(live.doc) : await this.readStored(name, read);
      const left = deadline - Date.now();
      if (result !== null || left <= 0) return result;
      // Wait for the next edit to the live document, or poll the store while nobody is connected.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, live && !live.closed ? left : Math.min(left, STORE_POLL_MS));
        function done() {
          clearTimeout(timer);
          live?.doc.off('update', done);
          resolve();
        }
        if (live && !live.closed) live.doc.on('update', done);
      });
    }
  }

  /** Reads the stored brief when nobody is editing it (it is then complete). */
  private async readStored<T>(name: string, read: (doc: Y.Doc) => T | null): Promise<T | null> {
    const doc = new Y.Doc();
    try {
      for (const chunk of await this.repo.load(name)) Y.applyUpdate(doc, chunk.data);
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /** The sessions that have open connections. */
  sessionIds(): Set<string> {
    return new Set([...this.loaded].flatMap((d) => [...d.connections].map((c) => c.participant.sessionId)));
  }

  /** Closes the connections opened with these sessions (signed out or expired). */
  closeSessions(sessionIds: string[]): void {
    for (const doc of this.loaded) {
      for (const conn of doc.connections) if (sessionIds.includes(conn.participant.sessionId)) conn.close(DOC_CLOSE.signedOut, 'signed out');
    }
  }

  /** Closes a removed member's connections to a case. */
  revoke(caseId: string, userId: string): void {
    for (const conn of this.connectionsOf(caseId, userId)) conn.close(DOC_CLOSE.accessRevoked, 'access revoked');
  }

  /** Documents in memory and their connection counts, for tests and health checks. */
  stats(): { documents: number; connections: number } {
    let connections = 0;
    for (const doc of this.loaded) connections += doc.connections.size;
    return { documents: this.loaded.size, connections };
  }

  /** Closes every connection and saves every document; used at shutdown. */
  async close(): Promise<void> {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const docs = await Promise.all([...this.docs.values()].map((p) => p.catch(() => null)));
    for (const doc of docs) {
      if (!doc) continue;
      for (const conn of doc.connections) conn.close(DOC_CLOSE.serverShuttingDown, 'server shutting down');
      try {
        await doc.saver.flush();
      } catch (err) {
        this.log.error('doc.final_save_failed', { doc: doc.name, ...describeError(err) });
      }
      doc.destroy();
    }
    await Promise.all(this.restingFolds);
    this.committer.close();
    this.docs.clear();
    this.loaded.clear();
  }

  private open(name: string): Promise<SharedDocument> {
    let pending = this.docs.get(name);
    if (!pending) {
      pending = this.load(name);
      this.docs.set(name, pending);
      pending.catch(() => this.docs.delete(name));
    }
    return pending;
  }

  private async load(name: string): Promise<SharedDocument> {
    const saver = this.committer.saver(name);
    const document = new SharedDocument(name, saver, (d) => this.scheduleUnload(d));
    const loads = this.committer.metrics.storageLoads;
    loads[name] = (loads[name] ?? 0) + 1;
    let chunks = await this.repo.load(name);
    if (chunks.length === 0) {
      // A brief with no stored content at all gets the template. Its bytes are always the
      // same, so two processes seeding at once still produce one template.
      await this.repo.append(name, briefTemplateUpdate());
      chunks = await this.repo.load(name);
    }
    document.load(chunks.length === 1 ? chunks[0]!.data : Y.mergeUpdates(chunks.map((c) => c.data)));
    saver.storedBytes = chunks.reduce((n, c) => n + c.data.byteLength, 0);
    if (planCompaction(chunks, this.options.compactAfter)) saver.compactSoon();
    // Linked after the stored content is in: the state exchange that follows brings what other
    // processes hold but have not stored yet.
    replicate(document, this.bus);
    this.loaded.add(document);
    return document;
  }

  private connectionsOf(caseId: string, userId: string): DocumentConnection[] {
    return [...this.loaded].flatMap((d) => [...d.connections].filter((c) => c.participant.caseId === caseId && c.participant.userId === userId));
  }

  private cancelUnload(name: string): void {
    const timer = this.unloadTimers.get(name);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(name);
  }

  private scheduleUnload(document: SharedDocument): void {
    this.cancelUnload(document.name);
    const timer = setTimeout(() => {
      this.unloadTimers.delete(document.name);
      this.unload(document).catch((err) => {
        this.log.warn('doc.unload_deferred', { doc: document.name, ...describeError(err) });
        if (document.connections.size === 0 && !document.closed) this.scheduleUnload(document);
      });
    }, this.options.unloadDelayMs);
    timer.unref();
  }

  /** Unloads only when nobody is connected and nothing is left to save. */
  private async unload(document: SharedDocument): Promise<void> {
    await document.saver.flush();
    if (document.connections.size > 0 || document.saver.dirty || document.closed) return;
    this.docs.delete(document.name);
    this.loaded.delete(document);
    document.destroy();
    // A document at rest is stored as one snapshot when its unfolded edits are worth it, so the
    // next load applies a snapshot rather than replaying edits (see planCompaction, `resting`).
    const fold = this.committer.compact(document.name, { resting: true });
    this.restingFolds.add(fold);
    void fold.finally(() => this.restingFolds.delete(fold));
  }
}
