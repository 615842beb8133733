import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import type { Logger } from '../../log.js';
import { describeError } from '../../log.js';
import type { DocumentChunk, DocumentRepository } from '../../store/port.js';

/**
 * How the hub stores documents: an append log per document, written by one group commit for all
 * documents, folded in the background in two levels so that a load never replays more than
 * about `compactAfter` raw batches and each edit is rewritten only a bounded number of times.
 *
 *   level 0  a batch of edits as committed (one per document per commit)
 *   level 1  a run of `compactAfter` batches merged into one chunk (written once per batch)
 *   level 2  a snapshot of the whole document, rewritten only when the levels below have grown
 *            as large as it, so a large document is not rewritten for every small run of edits
 */
export interface SaverOptions {
  /** Edits wait at most this long before being written: every document's edits in one store write. */
  commitIntervalMs: number;
  /** Fold the stored log once it holds this many raw batches. */
  compactAfter: number;
}

/**
 * Chunks at least this large together (bytes) are folded in a worker thread, not on the event
 * loop: folding 50 KB of small edits takes 10–20 ms, long enough to be felt by everyone else.
 */
export const OFF_THREAD_BYTES = 32 * 1024;

/** Merged runs kept beside the snapshot at most; then the next fold is a full one. */
const MAX_MERGED_RUNS = 64;

/** Unsaved updates of one document are merged once there are this many (bounded memory while the store is down). */
const MAX_PENDING_UPDATES = 256;

/** What the hub handed to storage since the process started (for the benchmark and health checks). */
export interface StorageMetrics {
  /** Store loads of each document by the hub. */
  storageLoads: Record<string, number>;
  bytesAppended: number;
  appendedBatches: number;
  bytesCompacted: number;
  compactions: number;
  /** Group commits that wrote something (one store write each). */
  commits: number;
  /** Group commits the store refused (retried later). */
  failedCommits: number;
}

export function emptyMetrics(): StorageMetrics {
  return { storageLoads: {}, bytesAppended: 0, appendedBatches: 0, bytesCompacted: 0, compactions: 0, commits: 0, failedCommits: 0 };
}

/** How many compactions ran in the worker (for tests and the benchmark). */
export const compactionStats = { offThread: 0, inline: 0 };

let worker: Worker | null = null;
let nextId = 0;
const inWorker = new Map<number, { resolve: (s: Uint8Array) => void; reject: (e: Error) => void }>();

/** The process's one compaction worker, started on first use; it never keeps the process alive. */
function compactionWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./compact-worker.mjs', import.meta.url));
  w.unref();
  w.on('message', (m: { id: number; snapshot?: Uint8Array; error?: string }) => {
    const p = inWorker.get(m.id);
    inWorker.delete(m.id);
    if (m.snapshot) p?.resolve(m.snapshot);
    else p?.reject(new Error(m.error ?? 'compaction failed'));
  });
  w.on('error', (err) => {
    for (const p of inWorker.values()) p.reject(err);
    inWorker.clear();
    worker = null;
  });
  worker = w;
  return w;
}

/**
 * One update holding all of the chunks, in the worker when they are large, inline otherwise (or
 * if the worker fails). A run (`merge`) is merged as updates: its edits may build on the snapshot,
 * which is not part of it. A snapshot is folded through a document, which drops deleted content.
 */
async function fold(chunks: Uint8Array[], merge: boolean): Promise<Uint8Array> {
  const size = chunks.reduce((n, c) => n + c.byteLength, 0);
  if (size >= OFF_THREAD_BYTES) {
    try {
      const id = nextId++;
      const snapshot = await new Promise<Uint8Array>((resolve, reject) => {
        inWorker.set(id, { resolve, reject });
        compactionWorker().postMessage({ id, chunks, merge });
      });
      compactionStats.offThread++;
      return snapshot;
    } catch {
      // Fall through: the same work on this thread is slower for others but loses nothing.
    }
  }
  compactionStats.inline++;
  if (merge) return Y.mergeUpdates(chunks);
  const doc = new Y.Doc();
  for (const chunk of chunks) Y.applyUpdate(doc, chunk);
  const snapshot = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return snapshot;
}

const bytesOf = (chunks: DocumentChunk[]) => chunks.reduce((n, c) => n + c.data.byteLength, 0);

/**
 * Edits not yet folded into the snapshot (raw batches and runs) are applied one by one on a load,
 * far slower than a snapshot. Past this many bytes they are folded even before `compactAfter`.
 */
export const MIN_FOLD_BYTES = 64 * 1024;

/**
 * Which chunks to fold, and into what: null when the log is short enough. Pure, so the policy is
 * tested on its own (tests/integration/storage-log.test.ts).
 * - raw batches past the threshold are merged into one run (level 1);
 * - everything becomes one snapshot when the runs and batches together are as large as the
 *   snapshot (and either the threshold or MIN_FOLD_BYTES is reached), when there are too many
 *   runs, or when racing folds left two snapshots;
 * - `resting` (the document is being unloaded): everything becomes one snapshot once the unfolded
 *   edits are a quarter of the snapshot's size and at least 16 KB, so the next load applies one
 *   snapshot (unfolded edits are applied far slower than a snapshot of the same size).
 */
export function planCompaction(chunks: DocumentChunk[], compactAfter: number, { resting = false } = {}): { level: 1 | 2; chunks: DocumentChunk[] } | null {
  if (chunks.length < 2) return null;
  const raw = chunks.filter((c) => c.level === 0);
  const runs = chunks.filter((c) => c.level === 1);
  const snapshots = chunks.filter((c) => c.level === 2);
  const unfolded = bytesOf(raw) + bytesOf(runs);
  const snapshot = bytesOf(snapshots);
  if (runs.length >= MAX_MERGED_RUNS || snapshots.length > 1) return { level: 2, chunks };
  if (resting) return unfolded >= Math.max(16 * 1024, snapshot / 4) ? { level: 2, chunks } : null;
  const full = unfolded >= snapshot;
  if (full && (raw.length >= compactAfter || unfolded >= MIN_FOLD_BYTES)) return { level: 2, chunks };
  if (raw.length >= compactAfter) return { level: 1, chunks: raw };
  return null;
}

/**
 * Folds a document's stored log as planned (or entirely, with `force`), deleting exactly the
 * chunks it read. Safe against concurrent appends and concurrent folds (see DocumentRepository).
 * A large log is folded in a worker thread, so the event loop keeps serving everyone else.
 * Answers the number of chunks replaced (0 when there was nothing to do).
 */
export async function compactDocument(
  repo: DocumentRepository,
  name: string,
  options: { compactAfter?: number; force?: boolean; resting?: boolean; metrics?: StorageMetrics } = {},
): Promise<number> {
  const chunks = await repo.load(name);
  const plan = options.force ? (chunks.length > 1 ? { level: 2 as const, chunks } : null) : planCompaction(chunks, options.compactAfter ?? 1, { resting: options.resting });
  if (!plan || plan.chunks.length < 2) return 0;
  const merged = await fold(plan.chunks.map((c) => c.data), plan.level === 1);
  await repo.compact(name, merged, plan.chunks.map((c) => c.id), plan.level);
  if (options.metrics) {
    options.metrics.bytesCompacted += merged.byteLength;
    options.metrics.compactions++;
  }
  return plan.chunks.length;
}

/**
 * The hub's group commit: every document with unsaved updates hands its batch to one store write
 * at most every `commitIntervalMs`, one write at a time. A failed write keeps every batch in its
 * document (in memory) and is retried with backoff; a document is unloaded only once clean.
 */
export class GroupCommitter {
  readonly metrics = emptyMetrics();
  private readonly dirty = new Set<DocumentSaver>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private failures = 0;
  private retryAt = 0;

  constructor(
    private readonly repo: DocumentRepository,
    readonly options: SaverOptions,
    readonly log: Logger,
  ) {}

  saver(name: string): DocumentSaver {
    return new DocumentSaver(name, this);
  }

  /** Called by a saver when it has unsaved updates. */
  markDirty(saver: DocumentSaver): void {
    this.dirty.add(saver);
    this.schedule();
  }

  /** Writes now (or after the write in progress) and resolves when `saver` is clean; rejects if the store refuses. */
  async flush(saver: DocumentSaver): Promise<void> {
    while (saver.hasUnsaved || saver.compacting) {
      if (this.running) await this.running;
      else if (saver.hasUnsaved) {
        await this.commit();
        if (saver.hasUnsaved && this.failures > 0) throw new Error("the store refused the document's edits; they are kept in memory and retried");
      } else await saver.compacting;
    }
  }

  /** Stops the timer; whatever is unsaved stays until a flush. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer || this.running || this.dirty.size === 0) return;
    const delay = Math.max(this.options.commitIntervalMs, this.retryAt - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.commit();
    }, delay);
  }

  /** One store write with every dirty document's batch. Never rejects: a failure is retried later. */
  private commit(): Promise<void> {
    if (this.running) return this.running;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const savers = [...this.dirty];
    this.dirty.clear();
    const entries = savers.map((s) => ({ docName: s.name, update: s.takeBatch() }));
    const run = (async () => {
      if (entries.length === 0) return;
      try {
        await this.repo.appendMany(entries);
      } catch (err) {
        this.failures++;
        this.metrics.failedCommits++;
        this.retryAt = Date.now() + Math.min(30_000, 100 * 2 ** Math.min(this.failures, 8));
        for (let i = 0; i < savers.length; i++) {
          savers[i]!.giveBack(entries[i]!.update);
          this.dirty.add(savers[i]!);
        }
        this.log.warn('doc.save_failed', { documents: entries.length, attempt: this.failures, ...describeError(err) });
        return;
      }
      this.failures = 0;
      this.retryAt = 0;
      this.metrics.commits++;
      for (const e of entries) {
        this.metrics.bytesAppended += e.update.byteLength;
        this.metrics.appendedBatches++;
      }
      for (let i = 0; i < savers.length; i++) savers[i]!.committed(entries[i]!.update.byteLength);
    })();
    this.running = run;
    void run.finally(() => {
      this.running = null;
      this.schedule();
    });
    return run;
  }

  /** Folds one document's log (see planCompaction). Never rejects. */
  compact(name: string, mode: { force?: boolean; resting?: boolean } = {}): Promise<void> {
    return compactDocument(this.repo, name, { compactAfter: this.options.compactAfter, ...mode, metrics: this.metrics })
      .then(() => undefined)
      .catch((err) => this.log.warn('doc.compact_failed', { doc: name, ...describeError(err) }));
  }
}

/**
 * One document's unsaved updates, waiting for the next group commit. Updates stay here until a
 * commit that holds them succeeded; then the raw batches are counted towards the next fold.
 */
export class DocumentSaver {
  private pending: Uint8Array[] = [];
  private inFlight = 0;
  private rawSinceFold = 0;
  private rawBytesSinceFold = 0;
  /** About how many bytes the document's stored log holds (set at load, grown by commits). */
  storedBytes = 0;
  /** The fold in progress, if any. */
  compacting: Promise<void> | null = null;

  constructor(
    readonly name: string,
    private readonly committer: GroupCommitter,
  ) {}

  /** True while some update has not been stored yet, or a fold runs. */
  get dirty(): boolean {
    return this.hasUnsaved || this.compacting !== null;
  }

  get hasUnsaved(): boolean {
    return this.pending.length > 0 || this.inFlight > 0;
  }

  add(update: Uint8Array): void {
    this.pending.push(update);
    if (this.pending.length >= MAX_PENDING_UPDATES) this.pending = [Y.mergeUpdates(this.pending)];
    this.committer.markDirty(this);
  }

  /** Saves everything pending now; resolves when it is stored, rejects if the store refuses. */
  flush(): Promise<void> {
    return this.committer.flush(this);
  }

  /** Starts a fold of the stored log unless one runs (at load, when the log is long). */
  compactSoon(): void {
    if (this.compacting) return;
    this.rawSinceFold = 0;
    this.rawBytesSinceFold = 0;
    const run = this.committer.compact(this.name);
    this.compacting = run;
    void run.finally(() => {
      if (this.compacting === run) this.compacting = null;
    });
  }

  /** @internal The group commit takes the pending updates as one batch. */
  takeBatch(): Uint8Array {
    const batch = this.pending.length === 1 ? this.pending[0]! : Y.mergeUpdates(this.pending);
    this.pending = [];
    this.inFlight++;
    return batch;
  }

  /** @internal The write failed: the batch goes back in front of anything that arrived meanwhile. */
  giveBack(batch: Uint8Array): void {
    this.inFlight--;
    this.pending = [batch, ...this.pending];
  }

  /** @internal The write of `bytes` succeeded. */
  committed(bytes: number): void {
    this.inFlight--;
    this.rawSinceFold++;
    this.rawBytesSinceFold += bytes;
    this.storedBytes += bytes;
    // Worth a look at the stored log: the plan decides what, if anything, to fold.
    const manyBytes = this.rawBytesSinceFold >= Math.max(MIN_FOLD_BYTES, this.storedBytes / 2);
    if ((this.rawSinceFold >= this.committer.options.compactAfter || manyBytes) && !this.compacting) this.compactSoon();
  }
}
