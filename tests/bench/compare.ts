/**
 * The comparative suite of `npm run bench` (issue 7, item 3): Consilium (sqlite engine), the
 * reference server of y-websocket 2.1 (bin/server.cjs, in memory, no auth) and Hocuspocus 3 with
 * its SQLite extension, each in its own child process, driven by real providers from other child
 * processes (tests/bench/peers/load-worker.mjs), same machine, same run. Appends a section to
 * docs/BENCHMARKS.md (run tests/bench/run.ts first; it rewrites the file).
 *
 * The peers live in tests/bench/peers with their own package.json and node_modules, installed
 * here when missing, so that their yjs never mixes with the app's.
 *
 * Env: BENCH_DURATION_MS (default 10000), BENCH_S2_SCALE (fraction of S2's 500 rooms × 4 editors,
 * default 1), BENCH_WORKERS (load processes per scenario, default 2), BENCH_ROUNDS (runs of each
 * scenario per server, the order of the servers rotated each round; the median round is reported;
 * default 3), BENCH_ONLY (comma-separated server names to run, e.g. "consilium,reference"),
 * BENCH_PROFILE (a directory for CPU profiles of the Consilium process).
 */
import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accepts, freePort } from '../helpers/processes.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '../..');
const peers = join(here, 'peers');
const benchmarksFile = join(root, 'docs/BENCHMARKS.md');
const DURATION = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const S2_SCALE = Number(process.env.BENCH_S2_SCALE ?? 1);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

type Kind = 'consilium' | 'reference' | 'hocuspocus';
const KINDS: Kind[] = (['consilium', 'reference', 'hocuspocus'] as Kind[]).filter((k) => !ONLY || ONLY.includes(k));
const LABEL: Record<Kind, string> = {
  consilium: 'Consilium (sqlite)',
  reference: 'y-websocket 2.1.0 bin/server.cjs (in memory)',
  hocuspocus: 'Hocuspocus 3.4.3 + SQLite extension 3.4.4',
};

interface Running {
  kind: Kind;
  child: ChildProcess;
  port: number;
  dir: string;
  cookie?: string;
  /** Consilium only: event-loop delay in ms. */
  eventLoop?: () => Promise<{ p50: number; p99: number; max: number }>;
  resetEventLoop?: () => void;
}

interface Result {
  kind: Kind;
  clients: number;
  sent: number;
  samples: number;
  expected: number;
  p50: number;
  p99: number;
  cpu: number;
  /** CPU of all load processes together, 100 % = one core: near 200 % on two cores, the clients are the bottleneck. */
  loadCpu: number;
  eld?: { p50: number; p99: number; max: number };
  /** p99 of each round, when several rounds ran. */
  rounds?: number[];
}

const quantile = (sorted: Float64Array, q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ensurePeers(): void {
  const need = ['y-websocket/bin/server.cjs', '@hocuspocus/server/package.json', '@hocuspocus/extension-sqlite/package.json', '@hocuspocus/provider/package.json', 'ws/package.json', 'yjs/package.json'];
  if (need.every((p) => existsSync(join(peers, 'node_modules', p)))) return;
  console.log('Installing the peer servers into tests/bench/peers …');
  execFileSync('npm', ['install', '--prefix', peers, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: peers });
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await accepts(port)) return;
    await sleep(100);
  }
  throw new Error(`nothing listens on ${port}`);
}

/** CPU time (user + system) of a process, in seconds, from /proc. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

async function startServerUnderTest(kind: Kind): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const port = await freePort();
  let child: ChildProcess;
  if (kind === 'consilium') {
    child = fork(join(here, 'consilium-server.ts'), [], {
      cwd: root,
      // BENCH_PROFILE=<dir>: a V8 CPU profile of each Consilium run, to open in Chrome DevTools.
      execArgv: ['--import', 'tsx', ...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [])],
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'warn', SIGNUPS_PER_HOUR: '1000000', REDIS_URL: '', MONGODB_URI: '' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`Consilium exited with ${code}`)));
    });
    const running: Running = { kind, child, port, dir };
    running.resetEventLoop = () => child.send({ type: 'eld-reset' });
    running.eventLoop = () =>
      new Promise((resolve) => {
        const on = (m: any) => {
          if (m?.type !== 'eld') return;
          child.off('message', on);
          resolve(m);
        };
        child.on('message', on);
        child.send({ type: 'eld-report' });
      });
    // One person who owns every case the scenarios use; each client connects with their cookie.
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.org', password: 'correct horse battery', name: 'Bench Owner', discipline: 'nursing' }),
    });
    if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${await res.text()}`);
    running.cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return running;
  }
  if (kind === 'reference') {
    // In memory: any YPERSISTENCE (even empty) would switch on its LevelDB persistence.
    const { YPERSISTENCE: _ignored, ...env } = process.env;
    child = spawn(process.execPath, [join(peers, 'node_modules/y-websocket/bin/server.cjs')], {
      cwd: dir,
      env: { ...env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } else {
    child = spawn(process.execPath, [join(peers, 'hocuspocus.mjs'), String(port), join(dir, 'hocuspocus.sqlite')], {
      cwd: peers,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  await waitForPort(port, child);
  return { kind, child, port, dir };
}

async function stopServer(s: Running): Promise<void> {
  if (s.child.exitCode === null) {
    const exited = new Promise((r) => s.child.once('exit', r));
    s.child.kill('SIGTERM');
    await Promise.race([exited, sleep(5000)]);
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
  }
  rmSync(s.dir, { recursive: true, force: true });
}

/** Room names for a scenario; for Consilium, one case per room. */
async function makeRooms(s: Running, count: number, tag: string): Promise<string[]> {
  if (s.kind !== 'consilium') return Array.from({ length: count }, (_, i) => `${tag}-room-${i}`);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`http://127.0.0.1:${s.port}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie! },
      body: JSON.stringify({ title: `Bench ${tag} ${i}`, patientRef: `PT-${10000 + i}` }),
    });
    if (res.status !== 201) throw new Error(`create case failed: ${res.status} ${await res.text()}`);
    names.push(`case:${((await res.json()) as { case: { id: string } }).case.id}:brief`);
  }
  return names;
}

async function runScenario(s: Running, tag: string, roomCount: number, perRoom: number, rate: number): Promise<Result> {
  const names = await makeRooms(s, roomCount, tag);
  const url = s.kind === 'consilium' ? `ws://127.0.0.1:${s.port}/yjs` : `ws://127.0.0.1:${s.port}`;
  // Deal clients out to the load processes round-robin, so one room's editors sit in different processes.
  const plans: { name: string; count: number }[][] = Array.from({ length: WORKERS }, () => []);
  let w = 0;
  for (const name of names) {
    const counts = new Array(WORKERS).fill(0);
    for (let i = 0; i < perRoom; i++) counts[w++ % WORKERS]++;
    counts.forEach((count, j) => count && plans[j]!.push({ name, count }));
  }
  const workers = plans
    .filter((p) => p.length)
    .map((rooms) =>
      fork(join(peers, 'load-worker.mjs'), [JSON.stringify({ kind: s.kind, url, rooms, cookie: s.cookie, rate })], {
        cwd: peers,
        execArgv: ['--max-old-space-size=2048'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
  const message = (child: ChildProcess, type: string) =>
    new Promise<any>((resolve, reject) => {
      const on = (m: any) => {
        if (m?.type !== type) return;
        child.off('message', on);
        child.off('exit', onExit);
        resolve(m);
      };
      const onExit = (code: number) => reject(new Error(`a load process exited with ${code} before '${type}'`));
      child.on('message', on);
      child.once('exit', onExit);
    });
  await Promise.all(workers.map((c) => message(c, 'ready')));
  await sleep(500);
  s.resetEventLoop?.();
  const cpuBefore = cpuSeconds(s.child.pid!);
  const loadBefore = workers.reduce((n, c) => n + cpuSeconds(c.pid!), 0);
  const wallBefore = performance.now();
  for (const c of workers) c.send({ type: 'start' });
  await sleep(DURATION);
  for (const c of workers) c.send({ type: 'stop' });
  const cpuAfter = cpuSeconds(s.child.pid!);
  const loadAfter = workers.reduce((n, c) => n + cpuSeconds(c.pid!), 0);
  const wall = (performance.now() - wallBefore) / 1000;
  const eld = await s.eventLoop?.();
  await sleep(2000); // let the last edits arrive
  const reports = await Promise.all(workers.map((c) => {
    const r = message(c, 'report');
    c.send({ type: 'report' });
    return r;
  }));
  await Promise.all(workers.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  let samples = 0;
  for (const r of reports) samples += r.latencies.length;
  const all = new Float64Array(samples);
  let k = 0;
  for (const r of reports) for (const v of r.latencies) all[k++] = v;
  all.sort();
  const sent = reports.reduce((n, r) => n + r.sent, 0);
  return {
    kind: s.kind,
    clients: roomCount * perRoom,
    sent,
    samples,
    expected: sent * (perRoom - 1),
    p50: quantile(all, 0.5),
    p99: quantile(all, 0.99),
    cpu: ((cpuAfter - cpuBefore) / wall) * 100,
    loadCpu: ((loadAfter - loadBefore) / wall) * 100,
    ...(eld ? { eld } : {}),
  };
}

function table(title: string, results: Result[], note: string): string[] {
  const ms = (x: number) => x.toFixed(1);
  const lines = [
    `### ${title}`,
    '',
    note,
    '',
    '| Server | Clients | Edits sent | Receipts (of expected) | p50 ms | p99 ms | p99 per round ms | Server CPU % | Load processes CPU % | Event-loop delay p99 ms |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${LABEL[r.kind]} | ${r.clients} | ${r.sent} | ${r.samples} (${((100 * r.samples) / Math.max(1, r.expected)).toFixed(1)} %) | ${ms(r.p50)} | ${ms(r.p99)} | ${(r.rounds ?? [r.p99]).map(ms).join(', ')} | ${r.cpu.toFixed(0)} | ${r.loadCpu.toFixed(0)} | ${r.eld ? ms(r.eld.p99) : 'n/a (not measurable from outside)'} |`,
    );
  }
  const c = results.find((r) => r.kind === 'consilium');
  const ref = results.find((r) => r.kind === 'reference');
  const hp = results.find((r) => r.kind === 'hocuspocus');
  lines.push('');
  if (c && ref && hp) {
    const vsRef = c.p99 / ref.p99;
    const vsHp = c.p99 / hp.p99;
    const met = vsRef <= 1.25 && vsHp < 1;
    lines.push(
      `Target (p99 ≤ 1.25 × the reference server's and below Hocuspocus's): **${met ? 'met' : 'not met'}**, ` +
        `Consilium p99 / reference p99 = ${vsRef.toFixed(2)} (${vsRef <= 1.25 ? 'met' : 'not met'}), ` +
        `Consilium p99 / Hocuspocus p99 = ${vsHp.toFixed(2)} (${vsHp < 1 ? 'met' : 'not met'}).`,
    );
  } else {
    lines.push('Target not checked: not every server ran (BENCH_ONLY).');
  }
  lines.push('');
  return lines;
}

async function main(): Promise<void> {
  ensurePeers();
  const s2Rooms = Math.max(1, Math.round(500 * S2_SCALE));
  const scenarios = [
    { id: 'S1', title: `S1: one room, 50 editors, 5 updates per second each, ${DURATION / 1000} s`, rooms: 1, perRoom: 50, rate: 5 },
    { id: 'S2', title: `S2: ${s2Rooms} rooms × 4 editors, 1 update per second each, ${DURATION / 1000} s${S2_SCALE !== 1 ? ` (scaled by ${S2_SCALE} from 500 rooms)` : ''}`, rooms: s2Rooms, perRoom: 4, rate: 1 },
  ];
  const results: Record<string, Result[]> = {};
  for (const sc of scenarios) {
    const runs = new Map<Kind, Result[]>(KINDS.map((k) => [k, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Rotate the order each round, so no server always runs first (or right after the heaviest).
      const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
      for (const kind of order) {
        const server = await startServerUnderTest(kind);
        try {
          console.log(`${sc.id} round ${round + 1}/${ROUNDS} ${kind} …`);
          const r = await runScenario(server, sc.id, sc.rooms, sc.perRoom, sc.rate);
          console.log(
            `${sc.id} ${kind}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, CPU ${r.cpu.toFixed(0)} %, load ${r.loadCpu.toFixed(0)} %, ${r.samples}/${r.expected} receipts${r.eld ? `, event-loop p99 ${r.eld.p99.toFixed(1)} ms` : ''}`,
          );
          runs.get(kind)!.push(r);
        } finally {
          await stopServer(server);
        }
      }
    }
    // Report each server's median round by p99, with every round's p99 alongside.
    results[sc.id] = KINDS.map((kind) => {
      const rs = [...runs.get(kind)!].sort((a, b) => a.p99 - b.p99);
      return { ...rs[Math.floor((rs.length - 1) / 2)]!, rounds: runs.get(kind)!.map((r) => r.p99) };
    });
  }

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const note =
    `Latency: from the sender's wall-clock time embedded in the edit (a Y.Map entry) to its receipt at every other editor of the room; ` +
    `${WORKERS} load processes of real providers (y-websocket 2.1 WebsocketProvider for Consilium and the reference server, @hocuspocus/provider 3.4.3 for Hocuspocus), ` +
    `one WebSocket each. Server CPU: user + system time of the server process from /proc over the sending period, 100 % = one core. ` +
    `Each server ran ${ROUNDS} time(s), in rotated order; the row is its median round by p99. Consilium's event-loop delay is its delay beyond the 5 ms sampling interval.`;
  const lines = [
    '',
    '## Comparison with Hocuspocus and the y-websocket reference server',
    '',
    `Written by \`npm run bench\` (tests/bench/compare.ts), run ${new Date().toISOString()}. Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()} ${arch()}, Node.js ${process.version}.`,
    'Each server runs in its own child process, one after another, and is driven from other child processes on the same machine;',
    'the load processes share the cores with the server, so absolute figures are pessimistic; compare the servers with each other.',
    `Command: \`npm run bench\`${['BENCH_S2_SCALE', 'BENCH_DURATION_MS', 'BENCH_ROUNDS', 'BENCH_WORKERS', 'BENCH_ONLY', 'BENCH_PROFILE'].filter((k) => process.env[k]).map((k) => ` ${k}=${process.env[k]}`).join('') || ''} (the comparison alone: \`node --import tsx tests/bench/compare.ts\`).`,
    'Event-loop delay is measured inside the Consilium process only (perf_hooks.monitorEventLoopDelay); the peers cannot be instrumented from outside without changing them.',
    '',
    ...table(scenarios[0]!.title, results.S1!, note),
    ...table(scenarios[1]!.title, results.S2!, note),
    'Not yet measured: S3 (idle connections, memory), S4 (cold load of 100,000 updates), S5 (bytes written per edit), S6 (reconnect storm), S7 (durability under SIGKILL), S8 (two processes with Redis).',
    '',
  ];
  const existing = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n';
  const marker = '\n## Comparison with Hocuspocus and the y-websocket reference server';
  const base = existing.includes(marker) ? existing.slice(0, existing.indexOf(marker)) : existing.replace(/\n+$/, '\n');
  writeFileSync(benchmarksFile, base + lines.join('\n'));
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
