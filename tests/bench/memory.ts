/**
 * S3: memory per idle connection and per loaded small document. 5,000 idle connections over 1,000
 * documents, opened by load processes (tests/bench/peers/idle-worker.mjs) in steps:
 *   M0  the server started, nothing connected;
 *   M1  1,000 documents, one connection each (each first client writes a 500-character paragraph);
 *   M2  4,000 more connections to the same documents (5 per document).
 * per connection = (M2 − M1) / 4,000; per document = (M1 − M0 − 1,000 × per connection) / 1,000.
 * Before each reading the server is left alone for a while (settle), then asked over IPC to run a
 * forced full GC (V8's 'last-resort' flavour, which also hands memory back to the OS where it can;
 * all three run with --expose-gc: Consilium by its own bench entry, Hocuspocus by its
 * bench wrapper, the reference server through a preloaded module); its VmRSS is then read from
 * /proc/<pid>/status every 500 ms for 3 s and the lowest kept (the pages come back a little after
 * the GC); heapUsed after that GC is reported alongside (from the IPC answer). One run per server.
 */
import {
  ask, consiliumMetrics, dealRooms, endWorker, kib, KINDS, LABEL, makeRooms, metOrNot, ratio, rssBytes, serverMemory, settings, sleep,
  startServerUnderTest, startWorker, stopServer, type Kind, type ServerUnderTest,
} from './lib.js';

const SETTLE_MS = 5000;
const RSS_SAMPLES = 6;

interface Reading {
  rss: number;
  heap: number;
}

interface MemoryResult {
  kind: Kind;
  docs: number;
  extra: number;
  m: [Reading, Reading, Reading];
  /** Consilium: what the hub says it holds at M2. */
  held: { documents: number; connections: number } | null;
}

/** Quiet, a forced full GC, then the lowest VmRSS of a few samples (V8 hands pages back to the OS a little after the GC). */
async function reading(s: ServerUnderTest): Promise<Reading> {
  await sleep(SETTLE_MS);
  const { heapUsed } = await serverMemory(s);
  let rss = Infinity;
  for (let i = 0; i < RSS_SAMPLES; i++) {
    await sleep(500);
    rss = Math.min(rss, rssBytes(s.child.pid!));
  }
  return { rss, heap: heapUsed };
}

async function measure(kind: Kind, docs: number, perDoc: number): Promise<MemoryResult> {
  const server = await startServerUnderTest(kind);
  const workers = await Promise.all(
    Array.from({ length: settings.workers }, () => startWorker('idle-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie })),
  );
  try {
    const names = await makeRooms(server, docs, 'S3');
    const m0 = await reading(server);
    const connect = (perRoom: number, write: boolean) =>
      Promise.all(dealRooms(names, perRoom, workers.length).map((rooms, i) => ask(workers[i]!, { type: 'connect', rooms: rooms.map((r) => ({ ...r, write })), batch: 100 }, undefined, 600_000)));
    await connect(1, true);
    const m1 = await reading(server);
    await connect(perDoc - 1, false);
    const m2 = await reading(server);
    const held = kind === 'consilium' ? (await consiliumMetrics(server)).stats : null;
    const mib = (r: Reading) => (r.rss / 2 ** 20).toFixed(0);
    console.log(`S3 ${kind}: RSS ${mib(m0)} → ${mib(m1)} → ${mib(m2)} MiB${held ? `; hub holds ${held.documents} documents, ${held.connections} connections` : ''}`);
    return { kind, docs, extra: docs * (perDoc - 1), m: [m0, m1, m2], held };
  } finally {
    await Promise.all(workers.map(endWorker));
    await stopServer(server);
  }
}

/** Per connection and per document, from RSS or from the heap. */
function perUnit(r: MemoryResult, key: keyof Reading): { conn: number; doc: number } {
  const [m0, m1, m2] = r.m;
  const conn = (m2[key] - m1[key]) / r.extra;
  const doc = (m1[key] - m0[key] - r.docs * conn) / r.docs;
  return { conn, doc };
}

export async function s3(): Promise<string[]> {
  const docs = Math.max(10, Math.round(1000 * settings.scale));
  const perDoc = 5;
  const results: MemoryResult[] = [];
  for (const kind of KINDS) results.push(await measure(kind, docs, perDoc));
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  const lines = [
    `### S3: ${(docs * perDoc).toLocaleString('en')} idle connections over ${docs.toLocaleString('en')} documents${settings.scale !== 1 ? ` (BENCH_SCALE=${settings.scale}; the targets are stated for 5,000 over 1,000)` : ''}`,
    '',
    `Readings of the server process: M0 after its start (for Consilium after creating the ${docs} cases over HTTP), M1 with ${docs} documents open, one connection each (each of these clients wrote a 500-character paragraph, a small brief), ` +
      `M2 with ${docs * (perDoc - 1)} more connections to the same documents. Per connection = (M2 − M1) / ${docs * (perDoc - 1)}; per document = (M1 − M0 − ${docs} × per connection) / ${docs}. ` +
      `Each reading: ${SETTLE_MS / 1000} s of quiet, a forced full GC in the server (asked over IPC; every server runs with --expose-gc; V8's last-resort flavour, which also returns memory to the OS where it can), then VmRSS from /proc/<pid>/status, the lowest of ${RSS_SAMPLES} samples 500 ms apart; heap used is process.memoryUsage().heapUsed right after that GC. ` +
      `Clients: ${settings.workers} load processes, connecting 100 at a time per process; y-websocket WebsocketProvider for Consilium and the reference server, @hocuspocus/provider for Hocuspocus (one WebSocket each). One run per server.`,
    '',
    '| Server | RSS M0 / M1 / M2 MiB | Per connection KiB (RSS) | Per document KiB (RSS) | Heap M0 / M1 / M2 MiB | Per connection KiB (heap) | Per document KiB (heap) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const rss = perUnit(r, 'rss');
    const heap = perUnit(r, 'heap');
    lines.push(
      `| ${LABEL[r.kind]} | ${r.m.map((x) => mib(x.rss)).join(' / ')} | ${kib(rss.conn)} | ${kib(rss.doc)} | ${r.m.map((x) => mib(x.heap)).join(' / ')} | ${kib(heap.conn)} | ${kib(heap.doc)} |`,
    );
  }
  const c = results.find((r) => r.kind === 'consilium');
  lines.push('');
  if (c) {
    const rss = perUnit(c, 'rss');
    const vs = (kind: Kind, key: 'conn' | 'doc') => {
      const peer = results.find((r) => r.kind === kind);
      return peer ? ratio(rss[key], perUnit(peer, 'rss')[key]) : 'n/a (not run)';
    };
    if (c.held) lines.push(`Consilium's hub held ${c.held.documents} documents and ${c.held.connections} connections at M2.`, '');
    lines.push(
      `Targets (RSS; at most 15 KiB per idle connection and 50 KiB per small loaded document): per connection **${metOrNot(rss.conn <= 15 * 1024)}** (${kib(rss.conn)} KiB), ` +
        `per document **${metOrNot(rss.doc <= 50 * 1024)}** (${kib(rss.doc)} KiB). ` +
        `Consilium / reference: ${vs('reference', 'conn')} per connection, ${vs('reference', 'doc')} per document; ` +
        `Consilium / Hocuspocus: ${vs('hocuspocus', 'conn')} per connection, ${vs('hocuspocus', 'doc')} per document.`,
    );
  }
  lines.push('');
  return lines;
}
