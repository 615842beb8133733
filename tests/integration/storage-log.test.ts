import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../../server/log.js';
import { GroupCommitter, planCompaction } from '../../server/realtime/yjs/persistence.js';
import type { DocumentChunk, DocumentRepository } from '../../server/store/port.js';
import { SqliteStore } from '../../server/store/sqlite/index.js';
import { waitFor } from '../helpers/factories.js';

/**
 * How the hub writes briefs to storage (server/realtime/yjs/persistence.ts), on the real sqlite
 * engine: one group commit for every document's edits, and a two-level fold of the log.
 */

let dir: string;
let store: SqliteStore;
const log = createLogger('silent');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'consilium-log-'));
  store = new SqliteStore(join(dir, 'log.db'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real repository, with every store write and fold counted. */
function counted(real: DocumentRepository) {
  const writes: { docName: string; update: Uint8Array }[][] = [];
  const folds: { level: 1 | 2; replaced: number }[] = [];
  const repo: DocumentRepository = {
    append: (name, update) => real.append(name, update),
    appendMany: async (entries) => {
      writes.push(entries);
      return real.appendMany(entries);
    },
    load: (name) => real.load(name),
    compact: async (name, merged, replaces, level = 2) => {
      folds.push({ level, replaced: replaces.length });
      return real.compact(name, merged, replaces, level);
    },
  };
  return { repo, writes, folds };
}

/** A writer typing into a Y.Text: each keystroke is one encoded update, as a client sends it. */
function typist(clientID: number) {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  const text = doc.getText('t');
  let seed = clientID;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return {
    doc,
    text,
    /** One transaction's update, exactly what a client's provider sends for it. */
    keystroke(): Uint8Array {
      let update: Uint8Array | null = null;
      const capture = (u: Uint8Array) => (update = u);
      doc.once('update', capture);
      if (text.length > 10 && random() < 0.2) text.delete(Math.floor(random() * (text.length - 1)), 1);
      else text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + Math.floor(random() * 26)));
      return update!;
    },
  };
}

async function storedText(name: string): Promise<string> {
  const doc = new Y.Doc();
  for (const chunk of await store.documents.load(name)) Y.applyUpdate(doc, chunk.data);
  return doc.getText('t').toString();
}

const chunk = (level: 0 | 1 | 2, bytes: number, id: string = crypto.randomUUID()): DocumentChunk => ({ id, level, data: new Uint8Array(bytes) });

describe('the fold plan', () => {
  it('leaves a short log alone', () => {
    expect(planCompaction([chunk(2, 10_000), ...Array.from({ length: 9 }, () => chunk(0, 30))], 10)).toBeNull();
  });

  it('merges raw batches into one run while the snapshot is much larger, and never touches the snapshot then', () => {
    const snapshot = chunk(2, 1_000_000, 'snap');
    const plan = planCompaction([snapshot, chunk(1, 20_000), ...Array.from({ length: 10 }, () => chunk(0, 30))], 10);
    expect(plan?.level).toBe(1);
    expect(plan?.chunks.map((c) => c.level)).toEqual(Array(10).fill(0));
  });

  it('rewrites the snapshot once the runs and batches are as large as it, or when racing folds left two snapshots', () => {
    const grown = planCompaction([chunk(2, 50_000), chunk(1, 30_000), chunk(1, 20_000), ...Array.from({ length: 10 }, () => chunk(0, 30))], 10);
    expect(grown?.level).toBe(2);
    expect(grown?.chunks).toHaveLength(13);
    expect(planCompaction([chunk(2, 50_000), chunk(2, 50_000), chunk(0, 30)], 10)?.level).toBe(2);
  });

  it('folds everything once the unfolded edits pass 64 KB and the size of the snapshot, before the count is reached', () => {
    expect(planCompaction([chunk(2, 50_000), chunk(0, 30_000), chunk(0, 30_000), chunk(0, 30_000)], 500)?.level).toBe(2);
    expect(planCompaction([chunk(2, 500_000), chunk(0, 30_000), chunk(0, 30_000), chunk(0, 30_000)], 500)).toBeNull();
  });

  it('at rest, folds into one snapshot when the unfolded edits are worth it, and leaves a few small edits to a large brief alone', () => {
    expect(planCompaction([chunk(2, 40_000), chunk(1, 15_000), chunk(0, 10_000)], 500, { resting: true })?.level).toBe(2);
    expect(planCompaction([chunk(2, 1_000_000), chunk(0, 9_000)], 500, { resting: true })).toBeNull();
    expect(planCompaction([chunk(2, 1_000)], 500, { resting: true })).toBeNull();
  });

  it('treats a log stored before levels existed (all level 0) as raw and folds it whole', () => {
    const plan = planCompaction(Array.from({ length: 12 }, () => chunk(0, 100)), 10);
    expect(plan).toMatchObject({ level: 2 });
    expect(plan?.chunks).toHaveLength(12);
  });
});

describe('group commit', () => {
  it('writes many documents\' edits in few store writes, and stores every edit', async () => {
    const { repo, writes } = counted(store.documents);
    const committer = new GroupCommitter(repo, { commitIntervalMs: 20, compactAfter: 1000 }, log);
    const docs = Array.from({ length: 20 }, (_, i) => ({ name: `case:${crypto.randomUUID()}:brief`, writer: typist(i + 1) }));
    const savers = docs.map((d) => committer.saver(d.name));
    let keystrokes = 0;
    for (let burst = 0; burst < 10; burst++) {
      for (let i = 0; i < docs.length; i++) {
        for (let k = 0; k < 5; k++, keystrokes++) savers[i]!.add(docs[i]!.writer.keystroke());
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(savers.map((s) => s.flush()));
    // 1,000 keystrokes over 20 documents: a handful of writes, each holding many documents.
    expect(keystrokes).toBe(1000);
    expect(writes.length).toBeLessThanOrEqual(12);
    expect(Math.max(...writes.map((w) => w.length))).toBe(20);
    for (const d of docs) expect(await storedText(d.name)).toBe(d.writer.text.toString());
  });

  it('keeps writing while someone types without pause (no quiet period is needed before a save)', async () => {
    const { repo, writes } = counted(store.documents);
    const committer = new GroupCommitter(repo, { commitIntervalMs: 20, compactAfter: 1000 }, log);
    const name = `case:${crypto.randomUUID()}:brief`;
    const saver = committer.saver(name);
    const writer = typist(7);
    const stopAt = Date.now() + 400;
    while (Date.now() < stopAt) {
      saver.add(writer.keystroke());
      await new Promise((r) => setTimeout(r, 4));
    }
    // Written while the typing went on: a debounced saver would not have written at all yet.
    expect(writes.length).toBeGreaterThanOrEqual(3);
    await saver.flush();
    expect(await storedText(name)).toBe(writer.text.toString());
  });

  it('keeps the edits in memory while the store refuses them, and writes them once it accepts again', async () => {
    let failing = true;
    let attempts = 0;
    const repo: DocumentRepository = {
      ...counted(store.documents).repo,
      appendMany: async (entries) => {
        attempts++;
        if (failing) throw new Error('disk full');
        return store.documents.appendMany(entries);
      },
    };
    const committer = new GroupCommitter(repo, { commitIntervalMs: 5, compactAfter: 1000 }, log);
    const name = `case:${crypto.randomUUID()}:brief`;
    const saver = committer.saver(name);
    const writer = typist(9);
    for (let i = 0; i < 20; i++) saver.add(writer.keystroke());
    await expect(saver.flush()).rejects.toThrow(/kept in memory/);
    await waitFor(() => attempts >= 3, { what: 'retries with backoff' });
    expect(saver.dirty).toBe(true);
    expect(await store.documents.load(name)).toEqual([]);
    failing = false;
    await waitFor(() => !saver.dirty, { timeoutMs: 5000, what: 'the retried write' });
    expect(await storedText(name)).toBe(writer.text.toString());
  });
});

describe('folding the log', () => {
  it('writes each edit to storage at most about three times on a large document, and a load replays few raw batches', async () => {
    const { repo, folds } = counted(store.documents);
    const compactAfter = 50;
    const committer = new GroupCommitter(repo, { commitIntervalMs: 1, compactAfter }, log);
    const name = `case:${crypto.randomUUID()}:brief`;
    // A large brief first, stored as one snapshot.
    const writer = typist(11);
    writer.text.insert(0, 'x'.repeat(60_000));
    await store.documents.append(name, Y.encodeStateAsUpdate(writer.doc));
    const [first] = await store.documents.load(name);
    await store.documents.compact(name, first!.data, [first!.id], 2);
    const saver = committer.saver(name);
    let updateBytes = 0;
    const edits = 2000;
    for (let i = 0; i < edits; i++) {
      const update = writer.keystroke();
      updateBytes += update.byteLength;
      saver.add(update);
      await saver.flush(); // each keystroke its own commit: the worst case for amplification
    }
    await saver.flush();
    const m = committer.metrics;
    expect(m.appendedBatches).toBe(edits);
    const amplification = (m.bytesAppended + m.bytesCompacted) / updateBytes;
    expect(amplification).toBeLessThanOrEqual(3);
    // Most folds merged raw batches into runs and left the snapshot alone.
    expect(folds.filter((f) => f.level === 1).length).toBeGreaterThan(folds.filter((f) => f.level === 2).length);
    const chunks = await store.documents.load(name);
    expect(chunks.filter((c) => c.level === 0).length).toBeLessThan(compactAfter);
    expect(await storedText(name)).toBe(writer.text.toString());
  });
});
