/**
 * S4 and S5: what storage costs. Both scenarios drive one document through the server with
 * tests/bench/peers/doc-worker.mjs (a writer, paced by an observer that follows it through the
 * server). The y-websocket reference server keeps documents in memory only: n/a for both.
 *
 * S4, cold load of a long history: the writer makes 100,000 small edits (random-position inserts,
 * every 8th a deletion), each its own update and message, in batches of 250 that wait for the
 * observer. The clients leave, the document unloads, the server stops with SIGTERM and starts
 * again on the same data directory; then fresh clients, one at a time, each alone (the document
 * unloaded in between), time connect → synced on their side (new Y.Doc and WebSocket: TCP,
 * upgrade and authentication, the server's load from storage, the sync exchange and applying
 * the state on the client). The first one is the cold load that the target is about.
 *
 * S5, bytes written per edit: the writer grows the brief to 1,000,000 characters (10,000-character
 * inserts), the servers are given 5 s to store it, then 300 single-character inserts at 8 per
 * second, then 5 s more. (a) Bytes handed to storage over the edits and the 5 s after, per edit,
 * divided by the average encoded update (the writer's own 'update' events): Consilium from
 * hub.metrics() (bytesAppended + bytesCompacted), Hocuspocus from its SQLite extension's `store`
 * (wrapped in peers/hocuspocus.mjs: the whole state each time). (b) write_bytes of the server
 * process in /proc/<pid>/io over the same period, per edit.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ask, consiliumMetrics, endWorker, hocuspocusStats, kib, KINDS, LABEL, makeRooms, median, metOrNot, ratio, restartServer, settings, sleep,
  startServerUnderTest, startWorker, stopServer, waitUnloaded, writeBytes, type HubMetrics, type Kind, type ServerUnderTest,
} from './lib.js';

const STORING_KINDS = KINDS.filter((k) => k !== 'reference');
const NO_STORAGE = 'n/a (in memory: nothing is stored)';

/** What the server's database holds for one document: rows and bytes (read after the server stopped). */
function storedFacts(s: ServerUnderTest, room: string): { rows: number; bytes: number } | null {
  const file = s.kind === 'consilium' ? join(s.dir, 'consilium.db') : join(s.dir, 'hocuspocus.sqlite');
  if (s.kind === 'reference' || !existsSync(file)) return null;
  const db = new Database(file, { readonly: true });
  try {
    const sql = s.kind === 'consilium' ? 'SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM doc_chunks WHERE doc_name = ?' : 'SELECT count(*) AS rows, coalesce(sum(length(data)), 0) AS bytes FROM documents WHERE name = ?';
    return db.prepare(sql).get(room) as { rows: number; bytes: number };
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------- S4

type Pattern = 'typing' | 'scattered';

interface ColdLoad {
  kind: Kind;
  pattern: Pattern;
  edits: number;
  updateBytes: number;
  writeSeconds: number;
  textLength: number;
  stored: { rows: number; bytes: number } | null;
  loads: number[];
  stateBytes: number;
  /** Consilium: store loads of the document counted by the restarted hub; Hocuspocus: fetch calls. */
  storageLoads: number | null;
}

const COLD_CLIENTS = 5;

async function coldLoad(kind: Kind, edits: number, pattern: Pattern): Promise<ColdLoad> {
  let server = await startServerUnderTest(kind);
  const worker = await startWorker('doc-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie });
  try {
    const [room] = await makeRooms(server, 1, 'S4');
    console.log(`S4 ${kind}: writing ${edits} edits (${pattern}) …`);
    const written = await ask(worker, { type: 'history', room, edits, batch: 250, pattern }, undefined, 1_800_000);
    await ask(worker, { type: 'leave' });
    if (!(await waitUnloaded(server, 60_000))) console.warn(`S4 ${kind}: the document did not unload within 60 s`);
    await stopServer(server, { remove: false });
    const stored = storedFacts(server, room!);
    server = await restartServer(server);
    const loads: number[] = [];
    let stateBytes = 0;
    for (let i = 0; i < COLD_CLIENTS; i++) {
      const r = await ask(worker, { type: 'coldLoad', room });
      loads.push(r.ms);
      stateBytes = r.stateBytes;
      if (!(await waitUnloaded(server, 60_000))) console.warn(`S4 ${kind}: the document did not unload within 60 s`);
    }
    let storageLoads: number | null = null;
    if (kind === 'consilium') storageLoads = (await consiliumMetrics(server)).metrics?.storageLoads[room!] ?? null;
    if (kind === 'hocuspocus') storageLoads = (await hocuspocusStats(server)).fetches[room!] ?? 0;
    console.log(`S4 ${kind}: cold loads ${loads.map((ms) => ms.toFixed(0)).join(', ')} ms; stored ${stored?.rows} rows, ${stored?.bytes} bytes`);
    return { kind, pattern, edits, updateBytes: written.updateBytes, writeSeconds: written.ms / 1000, textLength: written.textLength, stored, loads, stateBytes, storageLoads };
  } finally {
    await endWorker(worker);
    await stopServer(server);
  }
}

export async function s4(): Promise<string[]> {
  const edits = Math.round(100_000 * settings.scale);
  const results: ColdLoad[] = [];
  for (const pattern of ['typing', 'scattered'] as const) for (const kind of STORING_KINDS) results.push(await coldLoad(kind, edits, pattern));
  const ms = (x: number) => x.toFixed(0);
  const lines = [
    `### S4: cold load of a brief whose history is ${edits.toLocaleString('en')} updates${settings.scale !== 1 ? ` (BENCH_SCALE=${settings.scale}; the target is stated for 100,000)` : ''}`,
    '',
    `The history is written through the server: ${edits.toLocaleString('en')} small edits to the brief's text by one y-websocket / Hocuspocus client, in two patterns: ` +
      '*typing*, one character at a time at a cursor that jumps to a random place once in 40 keystrokes on average, 5 % of the keystrokes a backspace (how a brief is written; the target is checked on it); ' +
      '*scattered*, inserts of 1–8 characters at random positions and every 8th edit a deletion of 1–3 characters (a worst case for any Yjs server: no two edits merge, so the document has about 100,000 items; for context). ' +
      'each its own transaction, update and message, in batches of 250, each batch waiting until a second client has received it through the server. ' +
      'Then the clients leave, the document unloads, the server is stopped with SIGTERM and started again on the same data directory. ' +
      `Then ${COLD_CLIENTS} fresh clients, one after another, each alone (the previous one closed and the document unloaded in between), time connect → synced in their load process: ` +
      'the WebSocket upgrade (and, for Consilium, the session and membership checks), the load from storage, the sync exchange and applying the state in the client. ' +
      'The first is the cold load the target is about (the first in the restarted process); the median of all five is given for context. ' +
      '"Stored" is what the database holds for the document after the SIGTERM (rows and bytes of document data). "Storage loads" counts the loads of the document from storage in the restarted process (Consilium: hub.metrics().storageLoads; Hocuspocus: calls of its SQLite extension\'s fetch).',
    '',
    '| Server | History | Updates written | Bytes of updates | Writing took s | Text characters | Stored (rows, bytes) | First load ms | Median of 5 ms | All loads ms | Storage loads |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${LABEL[r.kind]} | ${r.pattern} | ${r.edits} | ${r.updateBytes} | ${r.writeSeconds.toFixed(1)} | ${r.textLength} | ${r.stored ? `${r.stored.rows}, ${r.stored.bytes}` : 'n/a'} | ${ms(r.loads[0]!)} | ${ms(median(r.loads))} | ${r.loads.map(ms).join(', ')} | ${r.storageLoads ?? 'n/a (no hub.metrics())'} |`,
    );
  }
  if (KINDS.includes('reference')) lines.push(`| ${LABEL.reference} | both | ${NO_STORAGE} | | | | | | | | |`);
  const c = results.find((r) => r.kind === 'consilium' && r.pattern === 'typing');
  const hp = results.find((r) => r.kind === 'hocuspocus' && r.pattern === 'typing');
  const cs = results.find((r) => r.kind === 'consilium' && r.pattern === 'scattered');
  const hps = results.find((r) => r.kind === 'hocuspocus' && r.pattern === 'scattered');
  lines.push('');
  if (c) {
    const first = c.loads[0]!;
    lines.push(
      `Target (typing history: the first connect → synced after the restart under 250 ms): **${metOrNot(first < 250)}**, ${ms(first)} ms (median of ${COLD_CLIENTS}: ${ms(median(c.loads))} ms). ` +
        `Consilium / Hocuspocus, first load: ${ratio(first, hp?.loads[0])}; median: ${ratio(median(c.loads), hp ? median(hp.loads) : null)}. Consilium / reference: n/a (the reference server stores nothing).`,
    );
    if (cs) {
      lines.push(
        '',
        `Scattered history (context, no target): first load ${ms(cs.loads[0]!)} ms, median ${ms(median(cs.loads))} ms; Consilium / Hocuspocus, first load: ${ratio(cs.loads[0]!, hps?.loads[0])}, median: ${ratio(median(cs.loads), hps ? median(hps.loads) : null)}. ` +
          'Most of this time is Yjs itself applying a document of about 100,000 unmergeable items, once in the server and once in the client, whatever the storage.',
      );
    }
  }
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------- S5

interface WriteCost {
  kind: Kind;
  textLength: number;
  stateBytes: number;
  edits: number;
  updateBytes: number;
  /** Bytes handed to storage over the edits (null when the server cannot tell). */
  handed: number | null;
  osBytes: number;
  /** How the bytes were written: Consilium appends / commits / compactions, Hocuspocus stores. */
  writes: string;
}

type Counters = { handed: number | null; writes: HubMetrics | { stores: number } | null; os: number };

async function counters(s: ServerUnderTest): Promise<Counters> {
  const os = writeBytes(s.child.pid!);
  if (s.kind === 'consilium') {
    const m = (await consiliumMetrics(s)).metrics;
    return { handed: m ? m.bytesAppended + m.bytesCompacted : null, writes: m, os };
  }
  const h = await hocuspocusStats(s);
  return { handed: h.storedBytes, writes: { stores: h.stores }, os };
}

function describeWrites(before: Counters, after: Counters): string {
  const a = after.writes as any;
  const b = before.writes as any;
  if (!a || !b) return 'n/a (no hub.metrics())';
  if ('stores' in a) return `${a.stores - b.stores} stores (the whole document each)`;
  return `${a.appendedBatches - b.appendedBatches} appends, ${a.commits - b.commits} commits, ${a.compactions - b.compactions} compactions (${a.bytesCompacted - b.bytesCompacted} bytes)`;
}

const S5_EDITS = 300;
const S5_RATE = 8;
const S5_BYTES = 1_000_000;

async function writeCost(kind: Kind): Promise<WriteCost> {
  const server = await startServerUnderTest(kind);
  const worker = await startWorker('doc-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie });
  try {
    const [room] = await makeRooms(server, 1, 'S5');
    const grown = await ask(worker, { type: 'grow', room, bytes: S5_BYTES, chunk: 10_000 }, undefined, 600_000);
    await sleep(5000); // the servers store the grown document (Hocuspocus: 2 s after the last change)
    const before = await counters(server);
    console.log(`S5 ${kind}: ${S5_EDITS} edits at ${S5_RATE}/s on ${grown.textLength} characters …`);
    const typed = await ask(worker, { type: 'type', room, edits: S5_EDITS, rate: S5_RATE }, undefined, 600_000);
    await sleep(5000);
    const after = await counters(server);
    await ask(worker, { type: 'leave' });
    return {
      kind,
      textLength: grown.textLength,
      stateBytes: grown.stateBytes,
      edits: typed.edits,
      updateBytes: typed.updateBytes,
      handed: after.handed === null || before.handed === null ? null : after.handed - before.handed,
      osBytes: after.os - before.os,
      writes: describeWrites(before, after),
    };
  } finally {
    await endWorker(worker);
    await stopServer(server);
  }
}

export async function s5(): Promise<string[]> {
  const results: WriteCost[] = [];
  for (const kind of STORING_KINDS) results.push(await writeCost(kind));
  const perEdit = (r: WriteCost) => (r.handed === null ? null : r.handed / r.edits);
  const update = (r: WriteCost) => r.updateBytes / r.edits;
  const lines = [
    `### S5: bytes written to storage per edit on a 1 MB brief`,
    '',
    `The brief is grown through the server to ${S5_BYTES.toLocaleString('en')} characters of text (inserts of 10,000 characters, each waiting until a second client has it), the servers get 5 s to store it, ` +
      `then one client makes ${S5_EDITS} single-character inserts at random positions, ${S5_RATE} per second (typing), each its own update, and the servers get 5 s more. ` +
      'Handed to storage: the bytes the server passed to its store over the edits and the 5 s after (Consilium: hub.metrics() bytesAppended + bytesCompacted; ' +
      "Hocuspocus: the state passed to its SQLite extension's store, counted by a wrapper in peers/hocuspocus.mjs). " +
      "Update: the average size of the writer's encoded Yjs updates. OS: write_bytes of the server process from /proc/<pid>/io over the same period (the database file, its WAL and checkpoints, every thread).",
    '',
    '| Server | Document (characters, encoded bytes) | Edits | Average update bytes | Handed to storage per edit bytes | × update | How it was written | OS write_bytes per edit KiB | OS × update |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const handed = perEdit(r);
    lines.push(
      `| ${LABEL[r.kind]} | ${r.textLength}, ${r.stateBytes} | ${r.edits} | ${update(r).toFixed(1)} | ${handed === null ? 'n/a (no hub.metrics())' : handed.toFixed(0)} | ${ratio(handed, update(r), 1)} | ${r.writes} | ${kib(r.osBytes / r.edits)} | ${ratio(r.osBytes / r.edits, update(r), 0)} |`,
    );
  }
  if (KINDS.includes('reference')) lines.push(`| ${LABEL.reference} | ${NO_STORAGE} | | | | | | | |`);
  const c = results.find((r) => r.kind === 'consilium');
  const hp = results.find((r) => r.kind === 'hocuspocus');
  lines.push('');
  if (c) {
    const handed = perEdit(c);
    const times = handed === null ? null : handed / update(c);
    lines.push(
      `Target (bytes handed to storage per edit at most 3 × the update): **${times === null ? 'not checked (no hub.metrics())' : metOrNot(times <= 3)}**, ${times === null ? 'n/a' : times.toFixed(1)} ×. ` +
        `Consilium / Hocuspocus, bytes handed to storage per edit: ${ratio(handed, hp ? perEdit(hp) : null)}; OS write_bytes per edit: ${ratio(c.osBytes / c.edits, hp ? hp.osBytes / hp.edits : null)}. Consilium / reference: n/a (the reference server stores nothing).`,
    );
  }
  lines.push('');
  return lines;
}
