import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import type { Logger } from '../../log.js';
import { describeError } from '../../log.js';
import type { DocumentRepository } from '../../store/port.js';

export interface SaverOptions {
  /** Wait this long after the last update before saving a batch. */
  debounceMs: number;
  /** But never hold an update longer than this. */
  maxWaitMs: number;
  /** Compact the document's log after this many appended batches. */
  compactEvery: number;
}

/** Logs at least this large (bytes) are folded in a worker thread, not on the event loop. */
export const OFF_THREAD_BYTES = 512 * 1024;

/** How many compactions ran in the worker (for tests and the benchmark). */
export const compactionStats = { offThread: 0, inline: 0 };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (s: Uint8Array) => void; reject: (e: Error) => void }>();

/** The process's one compaction worker, started on first use; it never keeps the process alive. */
function compactionWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./compact-worker.mjs', import.meta.url));
  w.unref();
  w.on('message', (m: { id: number; snapshot?: Uint8Array; error?: string }) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.snapshot) p?.resolve(m.snapshot);
    else p?.reject(new Error(m.error ?? 'compaction failed'));
  });
  w.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = null;
  });
  worker = w;
  return w;
}

/** One snapshot of the chunks: in the worker for a large log, inline otherwise (or if the worker fails). */
async function fold(chunks: Uint8Array[]): Promise<Uint8Array> {
  const size = chunks.reduce((n, c) => n + c.byteLength, 0);
  if (size >= OFF_THREAD_BYTES) {
    try {
      const id = nextId++;
      const snapshot = await new Promise<Uint8Array>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        compactionWorker().postMessage({ id, chunks });
      });
      compactionStats.offThread++;
      return snapshot;
    } catch {
      // Fall through: the same work on this thread is slower for others but loses nothing.
    }
  }
  compactionStats.inline++;
  const doc = new Y.Doc();
  for (const chunk of chunks) Y.applyUpdate(doc, chunk);
  const snapshot = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return snapshot;
}

/**
 * Folds every stored chunk of a document into one snapshot, deleting exactly the chunks it
 * read. Safe against concurrent appends and concurrent compactions (see DocumentRepository).
 * A large log is folded in a worker thread, so the event loop keeps serving everyone else.
 */
export async function compactDocument(repo: DocumentRepository, name: string): Promise<number> {
  const chunks = await repo.load(name);
  if (chunks.length < 2) return chunks.length;
  const snapshot = await fold(chunks.map((c) => c.data));
  await repo.compact(name, snapshot, chunks.map((c) => c.id));
  return chunks.length;
}

/**
 * Saves one document's updates in small batches: a dirty flag set by the document's own update
 * event, a debounce with a maximum wait, one save at a time, retries with backoff, and the
 * updates kept in memory until a save has succeeded.
 */
export class DocumentSaver {
  private pending: Uint8Array[] = [];
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private appendsSinceCompaction = 0;
  private failures = 0;
  private closed = false;

  constructor(
    private readonly name: string,
    private readonly repo: DocumentRepository,
    private readonly options: SaverOptions,
    private readonly log: Logger,
  ) {}

  /** Compacts the stored log now, counted as a save (flush and unload wait for it). */
  compactNow(): void {
    const run = compactDocument(this.repo, this.name)
      .then(() => undefined)
      .catch((err) => this.log.warn('doc.compact_failed', { doc: this.name, ...describeError(err) }));
    const previous = this.running;
    this.running = (previous ?? Promise.resolve()).then(() => run);
    const mine = this.running;
    void mine.finally(() => {
      if (this.running === mine) this.running = null;
    });
  }

  /** True while some update has not been stored yet. */
  get dirty(): boolean {
    return this.pending.length > 0 || this.running !== null;
  }

  add(update: Uint8Array): void {
    if (this.pending.length === 0) this.firstPendingAt = Date.now();
    this.pending.push(update);
    this.schedule(this.options.debounceMs);
  }

  /** Saves everything pending now; resolves when it is stored, rejects if the store refuses. */
  async flush(): Promise<void> {
    this.clearTimer();
    while (this.running || this.pending.length > 0) {
      if (this.running) await this.running.catch(() => undefined);
      else await this.saveBatch();
    }
  }

  /** Stops timers; pending updates stay until flush() is called. */
  close(): void {
    this.closed = true;
    this.clearTimer();
  }

  /** Saves after the debounce, but never later than the maximum wait since the first unsaved update. */
  private schedule(delayMs: number): void {
    const waited = Date.now() - this.firstPendingAt;
    this.setTimer(Math.max(0, Math.min(delayMs, this.options.maxWaitMs - waited)));
  }

  private setTimer(delay: number): void {
    if (this.closed) return;
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.running) return this.schedule(this.options.debounceMs);
      this.saveBatch().catch(() => undefined);
    }, delay);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private saveBatch(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const run = (async () => {
      const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      try {
        await this.repo.append(this.name, merged);
        this.failures = 0;
        this.appendsSinceCompaction++;
        if (this.appendsSinceCompaction >= this.options.compactEvery) {
          this.appendsSinceCompaction = 0;
          await compactDocument(this.repo, this.name).catch((err) => this.log.warn('doc.compact_failed', { doc: this.name, ...describeError(err) }));
        }
      } catch (err) {
        // Keep the batch, in front of anything that arrived meanwhile, and try again later.
        this.pending = [merged, ...this.pending];
        this.failures++;
        this.log.warn('doc.save_failed', { doc: this.name, attempt: this.failures, ...describeError(err) });
        throw err;
      }
    })();
    this.running = run;
    run
      .catch(() => {
        // Back off after a failure: the maximum wait does not apply to retries.
        this.setTimer(Math.min(30_000, 100 * 2 ** Math.min(this.failures, 8)));
      })
      .finally(() => {
        if (this.running === run) this.running = null;
      });
    return run;
  }
}
