/**
 * S6 and S7: what a restart and a crash cost.
 *
 * S6, reconnect storm: 500 documents × 4 idle clients (tests/bench/peers/idle-worker.mjs; each
 * document's first client wrote a 500-character paragraph, stored before the restart). The
 * server is stopped with SIGTERM and started again on the same port and data directory; the
 * providers reconnect by themselves (y-websocket: exponential backoff from 100 ms capped at its
 * default 2,500 ms; Hocuspocus: its backoff with maxDelay set to the same 2,500 ms). Each client
 * records when it is synced again; the delays are taken from the new process's spawn and from its
 * first accepted connection. Storage loads per document in the restarted process: Consilium
 * hub.metrics().storageLoads, Hocuspocus calls of its SQLite extension's fetch; the reference
 * server stores nothing (time only).
 *
 * S7, durability: an S1-like load (one room, 50 editors, 5 edits per second each; every edit a
 * new Y.Map entry, logged with its send time by tests/bench/peers/durable-worker.mjs) and, after
 * 5 s, SIGKILL of the server. (a) Clients survive: the server is started again on the same port
 * and data directory, the clients reconnect and go on editing for 2 s, stop; a fresh client then
 * reads the document. (b) Clients die too: the load processes are killed in the same instant as
 * the server, the server is restarted, and a fresh client reads the document. Lost edits are those
 * logged (sent before the kill) that the document lacks; their age is the kill time minus their
 * send time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ask, removeDir, temporaryDir, consiliumMetrics, dealRooms, endWorker, hocuspocusStats, KINDS, LABEL, makeRooms, metOrNot, quantile, ratio, restartServer, settings,
  sleep, startServerUnderTest, startWorker, stopServer, waitExit, type Kind, type ServerUnderTest,
} from './lib.js';

const wallNow = () => performance.timeOrigin + performance.now();

/** Storage loads per document in the (restarted) server, or null when it cannot tell. */
async function storageLoads(s: ServerUnderTest, names: string[]): Promise<number[] | null> {
  if (s.kind === 'consilium') {
    const m = (await consiliumMetrics(s)).metrics;
    return m ? names.map((n) => m.storageLoads[n] ?? 0) : null;
  }
  if (s.kind === 'hocuspocus') {
    const { fetches } = await hocuspocusStats(s);
    return names.map((n) => fetches[n] ?? 0);
  }
  return null;
}

// ---------------------------------------------------------------- S6

interface Storm {
  kind: Kind;
  clients: number;
  docs: number;
  stopMs: number;
  startMs: number;
  /** Per client, ms from the new process's spawn to synced again (null: never within the wait). */
  fromSpawn: (number | null)[];
  fromListening: (number | null)[];
  loads: number[] | null;
}

const RECONNECT_CAP_MS = 2500;

async function storm(kind: Kind, docs: number, perDoc: number): Promise<Storm> {
  let server = await startServerUnderTest(kind);
  const workers = await Promise.all(
    Array.from({ length: settings.workers }, () => startWorker('idle-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie, maxBackoffMs: RECONNECT_CAP_MS })),
  );
  try {
    const names = await makeRooms(server, docs, 'S6');
    await Promise.all(
      dealRooms(names, perDoc, workers.length).map((rooms, i) =>
        // Each document's clients are dealt to every load process; the first process's first one writes.
        ask(workers[i]!, { type: 'connect', rooms: rooms.map((r) => ({ ...r, write: i === 0 })), batch: 100 }, undefined, 600_000),
      ),
    );
    await sleep(5000); // the paragraphs are stored (Hocuspocus: 2 s after the last change)
    console.log(`S6 ${kind}: ${docs * perDoc} clients connected; restarting …`);
    const stopAt = Date.now();
    await stopServer(server, { remove: false });
    const stopMs = Date.now() - stopAt;
    server = await restartServer(server);
    const answers = await Promise.all(workers.map((w) => ask(w, { type: 'resync', since: server.spawnedAt, timeoutMs: 60_000 }, undefined, 120_000)));
    const delays: (number | null)[] = answers.flatMap((a) => a.delays);
    const loads = await storageLoads(server, names);
    const result: Storm = {
      kind,
      clients: delays.length,
      docs,
      stopMs,
      startMs: server.listeningAt - server.spawnedAt,
      fromSpawn: delays,
      fromListening: delays.map((d) => (d === null ? null : d - (server.listeningAt - server.spawnedAt))),
      loads,
    };
    const done = delays.filter((d): d is number => d !== null);
    console.log(`S6 ${kind}: ${done.length}/${delays.length} synced again, the last ${Math.max(...done).toFixed(0)} ms after the spawn; loads per document ${loads ? `${Math.min(...loads)}–${Math.max(...loads)}` : 'n/a'}`);
    return result;
  } finally {
    await Promise.all(workers.map(endWorker));
    await stopServer(server);
  }
}

export async function s6(): Promise<string[]> {
  const docs = Math.max(2, Math.round(500 * settings.scale));
  const perDoc = 4;
  const results: Storm[] = [];
  for (const kind of KINDS) results.push(await storm(kind, docs, perDoc));
  const sec = (ms: number) => (ms / 1000).toFixed(2);
  const stats = (xs: (number | null)[]) => {
    const done = xs.filter((d): d is number => d !== null).sort((a, b) => a - b);
    return { missing: xs.length - done.length, p50: quantile(done, 0.5), max: done[done.length - 1] ?? NaN };
  };
  const loadText = (r: Storm) => {
    if (!r.loads) return r.kind === 'reference' ? 'n/a (stores nothing)' : 'n/a (no hub.metrics())';
    const exactlyOne = r.loads.filter((n) => n === 1).length;
    return `${exactlyOne} of ${r.docs} exactly 1 (min ${Math.min(...r.loads)}, max ${Math.max(...r.loads)})`;
  };
  const lines = [
    `### S6: reconnect storm, ${(docs * perDoc).toLocaleString('en')} clients over ${docs} documents${settings.scale !== 1 ? ` (BENCH_SCALE=${settings.scale}; the target is stated for 2,000 over 500)` : ''}`,
    '',
    `${docs} documents × ${perDoc} idle clients in ${settings.workers} load processes; each document's first client wrote a 500-character paragraph, then 5 s for storing. ` +
      'The server is stopped with SIGTERM and started again on the same port and data directory; the providers reconnect by themselves ' +
      `(y-websocket: exponential backoff from 100 ms, capped at ${RECONNECT_CAP_MS} ms, its default; Hocuspocus: its own backoff with maxDelay set to ${RECONNECT_CAP_MS} ms). ` +
      "Each client records when it is synced again (its provider's sync event); delays are from the new process's spawn, and from its first accepted connection. " +
      "Storage loads: loads of each document from storage in the restarted process (Consilium: hub.metrics().storageLoads; Hocuspocus: calls of its SQLite extension's fetch). One run per server.",
    '',
    '| Server | Clients | SIGTERM → exit s | Spawn → listening s | Synced again | p50 from spawn s | Last from spawn s | Last from listening s | Storage loads per document |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const spawn = stats(r.fromSpawn);
    const listen = stats(r.fromListening);
    lines.push(
      `| ${LABEL[r.kind]} | ${r.clients} | ${sec(r.stopMs)} | ${sec(r.startMs)} | ${r.clients - spawn.missing} of ${r.clients} | ${sec(spawn.p50)} | ${sec(spawn.max)} | ${sec(listen.max)} | ${loadText(r)} |`,
    );
  }
  const c = results.find((r) => r.kind === 'consilium');
  lines.push('');
  if (c) {
    const spawn = stats(c.fromSpawn);
    const timely = spawn.missing === 0 && spawn.max <= 20_000;
    const oneLoad = c.loads !== null && c.loads.every((n) => n === 1);
    const vs = (kind: Kind) => {
      const peer = results.find((r) => r.kind === kind);
      return peer ? ratio(spawn.max, stats(peer.fromSpawn).max) : 'n/a (not run)';
    };
    lines.push(
      `Targets: every client synced within 20 s of the restart (the new process's spawn): **${metOrNot(timely)}** (the last after ${sec(spawn.max)} s${spawn.missing ? `, ${spawn.missing} never within 60 s` : ''}); ` +
        `exactly one storage load per document: **${c.loads === null ? 'not checked (no hub.metrics())' : metOrNot(oneLoad)}**. ` +
        `Time to the last client, Consilium / reference: ${vs('reference')}; Consilium / Hocuspocus: ${vs('hocuspocus')}.`,
    );
  }
  lines.push('');
  return lines;
}

// ---------------------------------------------------------------- S7

interface Durability {
  kind: Kind;
  clientsSurvive: boolean;
  /** Edits logged with a send time up to the kill, and after it (clients surviving: sent while the server was down or after the restart). */
  beforeKill: number;
  afterKill: number;
  lost: number;
  lostAfterKill: number;
  /** Kill time minus the send time of the oldest lost edit sent before the kill, ms. */
  oldestLostAge: number | null;
  /** Edits sent in the last 100 ms before the kill, for scale. */
  last100ms: number;
  unsynced: number;
}

const S7_EDITORS = 50;
const S7_RATE = 5;
const S7_BEFORE_KILL_MS = 5000;

function readLogs(files: string[]): { key: string; t: number }[] {
  const entries: { key: string; t: number }[] = [];
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // a process killed before it logged anything
    }
    for (const line of text.split('\n')) {
      const [key, t] = line.split(' ');
      if (key && t && Number.isFinite(Number(t))) entries.push({ key, t: Number(t) }); // a line cut by the kill is skipped
    }
  }
  return entries;
}

async function durability(kind: Kind, clientsSurvive: boolean): Promise<Durability> {
  const logDir = temporaryDir('bench-s7-');
  let server = await startServerUnderTest(kind);
  const [room] = await makeRooms(server, 1, 'S7');
  const plans = dealRooms([room!], S7_EDITORS, settings.workers);
  const logs = plans.map((_, i) => join(logDir, `edits-${i}.log`));
  const workers = await Promise.all(
    plans.map((rooms, i) => startWorker('durable-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie, rooms, rate: S7_RATE, log: logs[i] })),
  );
  let unsynced = 0;
  try {
    await Promise.all(workers.map((w) => ask(w, { type: 'connect' })));
    await Promise.all(workers.map((w) => ask(w, { type: 'start' })));
    await sleep(S7_BEFORE_KILL_MS);
    const killAt = wallNow();
    if (!clientsSurvive) for (const w of workers) w.kill('SIGKILL');
    server.child.kill('SIGKILL');
    await Promise.all([waitExit(server.child), ...(clientsSurvive ? [] : workers.map((w) => waitExit(w)))]);
    server = await restartServer(server);
    if (clientsSurvive) {
      const answers = await Promise.all(workers.map((w) => ask(w, { type: 'resync', since: killAt, timeoutMs: 60_000 }, undefined, 120_000)));
      unsynced = answers.reduce((n, a) => n + a.unsynced, 0);
      await sleep(2000);
      await Promise.all(workers.map((w) => ask(w, { type: 'stop' })));
      await sleep(2000);
    }
    const reader = await startWorker('doc-worker.mjs', { kind, url: server.wsUrl, cookie: server.cookie });
    const { keys } = await ask<{ keys: string[] }>(reader, { type: 'readEdits', room });
    await endWorker(reader);
    const present = new Set(keys);
    const sent = readLogs(logs);
    const before = sent.filter((e) => e.t <= killAt);
    const lostBefore = before.filter((e) => !present.has(e.key));
    const lostAfter = sent.filter((e) => e.t > killAt && !present.has(e.key));
    const result: Durability = {
      kind,
      clientsSurvive,
      beforeKill: before.length,
      afterKill: sent.length - before.length,
      lost: lostBefore.length,
      lostAfterKill: lostAfter.length,
      oldestLostAge: lostBefore.length ? killAt - Math.min(...lostBefore.map((e) => e.t)) : null,
      last100ms: before.filter((e) => e.t > killAt - 100).length,
      unsynced,
    };
    console.log(`S7 ${kind} (${clientsSurvive ? 'clients survive' : 'clients killed'}): ${result.lost} of ${result.beforeKill} lost${result.oldestLostAge !== null ? `, the oldest sent ${result.oldestLostAge.toFixed(0)} ms before the kill` : ''}`);
    return result;
  } finally {
    await Promise.all(workers.map(endWorker));
    await stopServer(server);
    removeDir(logDir);
  }
}

export async function s7(): Promise<string[]> {
  const results: Durability[] = [];
  for (const kind of KINDS) {
    results.push(await durability(kind, true));
    if (kind !== 'reference') results.push(await durability(kind, false));
  }
  const lines = [
    '### S7: durability, SIGKILL of the server during an S1-like load',
    '',
    `One room, ${S7_EDITORS} editors in ${settings.workers} load processes, ${S7_RATE} edits per second each; every edit is a new entry of a Y.Map, logged with its send time (synchronously, to a file) right after the provider was handed it. ` +
      `After ${S7_BEFORE_KILL_MS / 1000} s the server gets SIGKILL. (a) Clients survive: the server is started again on the same port and data directory, the providers reconnect and resend what the server lacks, ` +
      'go on editing for 2 s and stop; 2 s later a fresh client reads the document. (b) Clients killed too: the load processes get SIGKILL in the same instant as the server; the server is started again and a fresh client reads the document. ' +
      'Lost: edits sent up to the kill that the document lacks; age: the kill time minus the send time of the oldest lost one. One run per server and case.',
    '',
    '| Server | Case | Edits sent before the kill | In its last 100 ms | Sent after the kill | Lost (sent before the kill) | Oldest lost, ms before the kill | Lost (sent after the kill) | Clients not synced again |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${LABEL[r.kind]} | ${r.clientsSurvive ? '(a) clients survive' : '(b) clients killed too'} | ${r.beforeKill} | ${r.last100ms} | ${r.afterKill} | ${r.lost} | ${r.oldestLostAge === null ? '–' : r.oldestLostAge.toFixed(0)} | ${r.lostAfterKill} | ${r.clientsSurvive ? r.unsynced : '–'} |`,
    );
    if (r.kind === 'reference') lines.push(`| ${LABEL.reference} | (b) clients killed too | n/a (in memory: everything is lost with the process, by design) | | | | | | |`);
  }
  const find = (kind: Kind, survive: boolean) => results.find((r) => r.kind === kind && r.clientsSurvive === survive);
  const c = { a: find('consilium', true), b: find('consilium', false) };
  lines.push('');
  if (c.a && c.b) {
    const age = c.b.oldestLostAge ?? 0;
    const peer = (kind: Kind) => {
      const a = find(kind, true);
      const b = find(kind, false);
      if (!a) return `${LABEL[kind]}: not run`;
      return `${LABEL[kind]}: (a) ${a.lost} lost, (b) ${b ? `${b.lost} lost${b.oldestLostAge !== null ? `, the oldest ${b.oldestLostAge.toFixed(0)} ms before the kill` : ''}` : 'n/a'}`;
    };
    lines.push(
      `Targets: (a) zero edits lost while the clients survive: **${metOrNot(c.a.lost === 0 && c.a.lostAfterKill === 0)}** (${c.a.lost + c.a.lostAfterKill} lost); ` +
        `(b) with the clients gone too, at most the last 100 ms of edits lost: **${metOrNot(age <= 100)}** (${c.b.lost} lost${c.b.oldestLostAge !== null ? `, the oldest sent ${age.toFixed(0)} ms before the kill` : ''}). ` +
        `For comparison, ${peer('reference')}; ${peer('hocuspocus')}. ` +
        `Lost in (b), Consilium / Hocuspocus: ${c.b.lost} / ${find('hocuspocus', false)?.lost ?? 'n/a'} = ${ratio(c.b.lost, find('hocuspocus', false)?.lost)}; ` +
        `oldest lost age, Consilium / Hocuspocus: ${ratio(c.b.oldestLostAge ?? 0, find('hocuspocus', false)?.oldestLostAge ?? null)}.`,
    );
  }
  lines.push('');
  return lines;
}
