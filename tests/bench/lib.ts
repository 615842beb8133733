/**
 * What the comparative benchmark's scenarios share (tests/bench/compare.ts): the settings read
 * from the environment, starting, stopping, killing and restarting the three servers under test
 * (each its own child process), the load processes (tests/bench/peers/*-worker.mjs, real
 * providers, each its own child process), the IPC conversations with both, readings from /proc,
 * and small formatting helpers for the Markdown report.
 *
 * Every child process started here is tracked and killed when compare.ts exits, also on failure.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accepts, freePort } from '../helpers/processes.js';
import type { HubMetrics } from './consilium-server.js';

export type { HubMetrics };
export const here = fileURLToPath(new URL('.', import.meta.url));
export const root = join(here, '../..');
export const peers = join(here, 'peers');

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** The knobs, all optional; see compare.ts for what each means. */
export const settings = {
  duration: num('BENCH_DURATION_MS', 10_000),
  s2Scale: num('BENCH_S2_SCALE', 1),
  workers: num('BENCH_WORKERS', 2),
  rounds: num('BENCH_ROUNDS', 5),
  only: process.env.BENCH_ONLY?.split(',').map((s) => s.trim()),
  scenarios: process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim().toUpperCase()),
  /** Fraction of the full sizes of S3, S4 and S6 (documents, connections, edits); 1 = the sizes the targets are stated for. */
  scale: num('BENCH_SCALE', 1),
};
export const ENV_KNOBS = ['BENCH_SCENARIOS', 'BENCH_SCALE', 'BENCH_S2_SCALE', 'BENCH_DURATION_MS', 'BENCH_ROUNDS', 'BENCH_WORKERS', 'BENCH_ONLY', 'BENCH_PROFILE'];

export type Kind = 'consilium' | 'reference' | 'hocuspocus';
export const ALL_KINDS: Kind[] = ['consilium', 'reference', 'hocuspocus'];
export const KINDS: Kind[] = ALL_KINDS.filter((k) => !settings.only || settings.only.includes(k));
export const LABEL: Record<Kind, string> = {
  consilium: 'Consilium (sqlite)',
  reference: 'y-websocket 2.1.0 bin/server.cjs (in memory)',
  hocuspocus: 'Hocuspocus 3.4.3 + SQLite extension 3.4.4',
};

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
/** The q-quantile of numbers sorted ascending. */
export const quantile = (sorted: ArrayLike<number>, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);
export const kib = (bytes: number) => (bytes / 1024).toFixed(1);
export const metOrNot = (ok: boolean) => (ok ? 'met' : 'not met');
/** A ratio for the report, or n/a with the reason when either side is missing. */
export function ratio(a: number | null | undefined, b: number | null | undefined, digits = 2): string {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0) return 'n/a';
  const r = a / b;
  return Math.abs(r) >= 0.1 || r === 0 ? r.toFixed(digits) : r.toPrecision(2);
}

// ---------------------------------------------------------------- child processes

const children = new Set<ChildProcess>();
/** Tracks a child process so that it is killed if compare.ts ends before it. */
export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
/** Temporary directories of this run (data directories, logs), removed when compare.ts exits, also on failure. */
const temporary = new Set<string>();
export function temporaryDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.add(dir);
  return dir;
}
export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  temporary.delete(dir);
}

export function killAllChildren(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
function cleanUp(): void {
  killAllChildren();
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
}
process.once('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanUp();
    process.exit(130);
  });
}

/** Resolves with the next IPC message of this type from the child; rejects if it exits first or the time runs out. */
export function nextMessage<T = any>(child: ChildProcess, type: string, timeoutMs = 300_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (m: any) => {
      if (m?.type !== type) return;
      done();
      resolve(m as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      done();
      reject(new Error(`process ${child.pid} exited (${code ?? signal}) before '${type}'`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no '${type}' from process ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Sends a request and waits for its answer (`answer` defaults to the workers' `<type>-done`). */
export function ask<T = any>(child: ChildProcess, request: { type: string; [k: string]: unknown }, answer = `${request.type}-done`, timeoutMs?: number): Promise<T> {
  const reply = nextMessage<T>(child, answer, timeoutMs);
  child.send(request);
  return reply;
}

export function waitExit(child: ChildProcess, timeoutMs = 10_000): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

// ---------------------------------------------------------------- /proc

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system) of a process, in seconds, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size of a process in bytes (VmRSS in /proc/<pid>/status). */
export function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Bytes the process caused to be written to storage (write_bytes in /proc/<pid>/io, all its threads). */
export function writeBytes(pid: number): number {
  const m = /^write_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

// ---------------------------------------------------------------- servers under test

export interface ServerUnderTest {
  kind: Kind;
  child: ChildProcess;
  port: number;
  dir: string;
  /** Consilium: the session cookie of the one owner of every case the scenarios use. */
  cookie?: string;
  /** Where the providers connect (the document name is appended by the provider). */
  wsUrl: string;
  /** Wall-clock times of the spawn and of the first accepted connection. */
  spawnedAt: number;
  listeningAt: number;
  /** Extra environment it was started with (Consilium: REDIS_URL), kept for a restart. */
  env: Record<string, string>;
}

export interface StartOptions {
  /** Reuse a data directory (a restart); a fresh temporary one otherwise. */
  dir?: string;
  port?: number;
  /** Consilium: reuse a session instead of signing up (a restart, a second process). */
  cookie?: string;
  env?: Record<string, string>;
}

export function ensurePeers(): void {
  const need = ['y-websocket/bin/server.cjs', '@hocuspocus/server/package.json', '@hocuspocus/extension-sqlite/package.json', '@hocuspocus/provider/package.json', 'ws/package.json', 'yjs/package.json'];
  if (need.every((p) => existsSync(join(peers, 'node_modules', p)))) return;
  console.log('Installing the peer servers into tests/bench/peers …');
  execFileSync('npm', ['install', '--prefix', peers, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: peers });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await accepts(port)) return;
    await sleep(20);
  }
  throw new Error(`nothing listens on ${port}`);
}

function spawnServer(kind: Kind, dir: string, port: number, env: Record<string, string>): ChildProcess {
  const stdio: ('ignore' | 'inherit' | 'ipc')[] = ['ignore', 'ignore', 'inherit', 'ipc'];
  if (kind === 'consilium') {
    return fork(join(here, 'consilium-server.ts'), [], {
      cwd: root,
      // BENCH_PROFILE=<dir>: a V8 CPU profile of each Consilium run, to open in Chrome DevTools.
      execArgv: ['--expose-gc', '--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn', SIGNUPS_PER_HOUR: '1000000', REDIS_URL: '', MONGODB_URI: '', ...env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  if (kind === 'reference') {
    // In memory: any YPERSISTENCE (even empty) would switch on its LevelDB persistence.
    const { YPERSISTENCE: _ignored, ...rest } = process.env;
    return fork(join(peers, 'node_modules/y-websocket/bin/server.cjs'), [], {
      cwd: dir,
      execArgv: ['--expose-gc', '--require', join(peers, 'instrument.cjs')],
      env: { ...rest, HOST: '127.0.0.1', PORT: String(port) },
      stdio,
    });
  }
  return fork(join(peers, 'hocuspocus.mjs'), [String(port), join(dir, 'hocuspocus.sqlite')], { cwd: peers, execArgv: ['--expose-gc'], stdio });
}

async function signUpOwner(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.org', password: 'correct horse battery', name: 'Bench Owner', discipline: 'nursing' }),
  });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Starts one server under test in its own process and waits until it accepts connections. */
export async function startServerUnderTest(kind: Kind, options: StartOptions = {}): Promise<ServerUnderTest> {
  const dir = options.dir ?? temporaryDir(`bench-${kind}-`);
  const port = options.port ?? (await freePort());
  const env = options.env ?? {};
  const spawnedAt = Date.now();
  const child = track(spawnServer(kind, dir, port, env));
  if (kind === 'consilium') {
    await nextMessage(child, 'ready', 60_000);
  } else {
    await waitForPort(port, child);
  }
  const listeningAt = Date.now();
  const wsUrl = kind === 'consilium' ? `ws://127.0.0.1:${port}/yjs` : `ws://127.0.0.1:${port}`;
  const server: ServerUnderTest = { kind, child, port, dir, wsUrl, spawnedAt, listeningAt, env };
  if (kind === 'consilium') server.cookie = options.cookie ?? (await signUpOwner(port));
  return server;
}

/** SIGTERM (each server saves what it holds and exits), SIGKILL after 15 s; the data directory stays unless `remove`. */
export async function stopServer(s: ServerUnderTest, { remove = true } = {}): Promise<void> {
  if (s.child.exitCode === null && s.child.signalCode === null) {
    s.child.kill('SIGTERM');
    if (!(await waitExit(s.child, 15_000))) {
      console.warn(`${s.kind} did not exit within 15 s of SIGTERM; killed`);
      s.child.kill('SIGKILL');
      await waitExit(s.child);
    }
  }
  if (remove) removeDir(s.dir);
}

/** SIGKILL, like a crash: nothing is saved on the way out. */
export async function killServer(s: ServerUnderTest): Promise<void> {
  s.child.kill('SIGKILL');
  await waitExit(s.child);
}

/** The same server again, on the same port and data directory (after a stop or a kill). */
export function restartServer(s: ServerUnderTest): Promise<ServerUnderTest> {
  return startServerUnderTest(s.kind, { dir: s.dir, port: s.port, env: s.env, ...(s.cookie ? { cookie: s.cookie } : {}) });
}

export interface Memory {
  rss: number;
  heapUsed: number;
}

/** process.memoryUsage() of the server after a forced GC (all three servers run with --expose-gc). */
export function serverMemory(s: ServerUnderTest): Promise<Memory> {
  return ask<Memory>(s.child, { type: 'memory' }, 'memory', 30_000);
}

/** Consilium: the hub's counters (null until hub.metrics() exists) and its loaded documents and connections. */
export async function consiliumMetrics(s: ServerUnderTest): Promise<{ metrics: HubMetrics | null; stats: { documents: number; connections: number } }> {
  return ask(s.child, { type: 'metrics' }, 'metrics', 30_000);
}

export interface HocuspocusStats {
  fetches: Record<string, number>;
  stores: number;
  storedBytes: number;
  documents: number;
  connections: number;
}
/** Hocuspocus: what its SQLite extension was asked to fetch and store, and its loaded documents. */
export function hocuspocusStats(s: ServerUnderTest): Promise<HocuspocusStats> {
  return ask<HocuspocusStats>(s.child, { type: 'stats' }, 'stats', 30_000);
}

/** Documents the server holds in memory (null for the reference server, which cannot tell). */
export async function loadedDocuments(s: ServerUnderTest): Promise<number | null> {
  if (s.kind === 'consilium') return (await consiliumMetrics(s)).stats.documents;
  if (s.kind === 'hocuspocus') return (await hocuspocusStats(s)).documents;
  return null;
}

/** Waits until the server has unloaded every document (Consilium, Hocuspocus); false on timeout. */
export async function waitUnloaded(s: ServerUnderTest, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const n = await loadedDocuments(s);
    if (n === null || n === 0) return true;
    await sleep(100);
  }
  return false;
}

/** Room (document) names; for Consilium one case per room, created over HTTP by the owner. */
export async function makeRooms(s: ServerUnderTest, count: number, tag: string): Promise<string[]> {
  if (s.kind !== 'consilium') return Array.from({ length: count }, (_, i) => `${tag}-room-${i}`);
  const create = async (i: number) => {
    const res = await fetch(`http://127.0.0.1:${s.port}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie! },
      body: JSON.stringify({ title: `Bench ${tag} ${i}`, patientRef: `PT-${10000 + i}` }),
    });
    if (res.status !== 201) throw new Error(`create case failed: ${res.status} ${await res.text()}`);
    return `case:${((await res.json()) as { case: { id: string } }).case.id}:brief`;
  };
  const names: string[] = [];
  // A few requests at a time: quicker than one by one, without flooding the server.
  for (let i = 0; i < count; i += 8) names.push(...(await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, j) => create(i + j)))));
  return names;
}

// ---------------------------------------------------------------- load processes

/** Starts a load process (tests/bench/peers/<file>) with its configuration as the one argument. */
export function forkWorker(file: string, config: object): ChildProcess {
  return track(
    fork(join(peers, file), [JSON.stringify(config)], {
      cwd: peers,
      execArgv: ['--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

/** Starts a worker that uses tests/bench/peers/clients.mjs serve() and waits for its 'ready'. */
export async function startWorker(file: string, config: object): Promise<ChildProcess> {
  const child = forkWorker(file, config);
  await nextMessage(child, 'ready', 60_000);
  return child;
}

/** Ends a worker: asks it to close its clients, then makes sure it is gone. */
export async function endWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.send({ type: 'close' });
  if (!(await waitExit(child, 10_000))) {
    child.kill('SIGKILL');
    await waitExit(child);
  }
}

/**
 * Deals `perRoom` clients of each room out to `workers` load processes round-robin, so that one
 * room's clients sit in different processes.
 */
export function dealRooms(names: string[], perRoom: number, workers: number): { name: string; count: number }[][] {
  const plans: { name: string; count: number }[][] = Array.from({ length: workers }, () => []);
  let w = 0;
  for (const name of names) {
    const counts = new Array<number>(workers).fill(0);
    for (let i = 0; i < perRoom; i++) counts[w++ % workers]!++;
    counts.forEach((count, j) => count && plans[j]!.push({ name, count }));
  }
  return plans;
}

/** Runs `body` with a fresh server of this kind, stopped (and its directory removed) afterwards, also on failure. */
export async function withServer<T>(kind: Kind, body: (s: ServerUnderTest) => Promise<T>, options: StartOptions = {}): Promise<T> {
  const server = await startServerUnderTest(kind, options);
  try {
    return await body(server);
  } finally {
    await stopServer(server);
  }
}
