/**
 * S1 and S2 (and the load of S8): edit latency under load. Load processes
 * (tests/bench/peers/load-worker.mjs) open real providers, one WebSocket each; every edit sets the
 * sender's key in a Y.Map to its wall-clock send time, and every other editor of the room records
 * receipt time minus send time. Server CPU is read from /proc over the sending period; Consilium
 * also reports its own event-loop delay over IPC. Each server runs BENCH_ROUNDS times, the order
 * of the servers rotated each round; the median round by p99 is reported.
 */
import type { ChildProcess } from 'node:child_process';
import {
  cpuSeconds, dealRooms, forkWorker, KINDS, LABEL, makeRooms, nextMessage, quantile, settings, sleep, startServerUnderTest, stopServer, waitExit,
  type Kind, type ServerUnderTest,
} from './lib.js';

export interface LatencyResult {
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
  /** With LoadOptions.crossLatencies: p50 / p99 of the receipts of edits sent from another load process. */
  cross?: { samples: number; p50: number; p99: number };
}

export interface LoadOptions {
  /** The URL each load process connects to (S8: one per Consilium process); default the server's. */
  urls?: string[];
  /** Keep the clients' awareness silent (S8: only edits travel through Redis). */
  awareness?: boolean;
  /** Called once the sending has stopped and the last edits had time to arrive (S8 reads Redis here). */
  beforeReport?: () => Promise<void>;
  /** Called just before the sending starts. */
  beforeStart?: () => Promise<void>;
  /** Also report the receipts of edits sent from another load process apart (S8: with one URL per load process, those crossed server processes). */
  crossLatencies?: boolean;
}

/** All the reports' samples of one field, sorted. */
function pooled(reports: Record<string, number[]>[], field: string): Float64Array {
  const all = new Float64Array(reports.reduce((n, r) => n + (r[field]?.length ?? 0), 0));
  let k = 0;
  for (const r of reports) for (const v of r[field] ?? []) all[k++] = v;
  return all.sort();
}

function eventLoopReset(s: ServerUnderTest): void {
  if (s.kind === 'consilium') s.child.send({ type: 'eld-reset' });
}
async function eventLoopReport(s: ServerUnderTest): Promise<LatencyResult['eld']> {
  if (s.kind !== 'consilium') return undefined;
  const reply = nextMessage(s.child, 'eld', 30_000);
  s.child.send({ type: 'eld-report' });
  const { p50, p99, max } = await reply;
  return { p50, p99, max };
}

/** One run of a latency scenario against a running server: rooms × perRoom editors, `rate` edits per second each. */
export async function runLoad(s: ServerUnderTest, names: string[], perRoom: number, rate: number, options: LoadOptions = {}): Promise<LatencyResult> {
  const plans = dealRooms(names, perRoom, settings.workers);
  const workers: ChildProcess[] = plans
    .map((rooms, j) => ({ rooms, url: options.urls?.[j % options.urls.length] ?? s.wsUrl }))
    .filter((p) => p.rooms.length)
    .map(({ rooms, url }) => forkWorker('load-worker.mjs', { kind: s.kind, url, rooms, cookie: s.cookie, rate, awareness: options.awareness ?? true, crossLatencies: options.crossLatencies ?? false }));
  try {
    await Promise.all(workers.map((c) => nextMessage(c, 'ready')));
    await sleep(500);
    await options.beforeStart?.();
    eventLoopReset(s);
    const cpuBefore = cpuSeconds(s.child.pid!);
    const loadBefore = workers.reduce((n, c) => n + cpuSeconds(c.pid!), 0);
    const wallBefore = performance.now();
    for (const c of workers) c.send({ type: 'start' });
    await sleep(settings.duration);
    for (const c of workers) c.send({ type: 'stop' });
    const cpuAfter = cpuSeconds(s.child.pid!);
    const loadAfter = workers.reduce((n, c) => n + cpuSeconds(c.pid!), 0);
    const wall = (performance.now() - wallBefore) / 1000;
    const eld = await eventLoopReport(s);
    await sleep(2000); // let the last edits arrive
    await options.beforeReport?.();
    const reports = await Promise.all(
      workers.map((c) => {
        const r = nextMessage(c, 'report');
        c.send({ type: 'report' });
        return r;
      }),
    );
    await Promise.all(workers.map((c) => waitExit(c, 5000)));
    const all = pooled(reports, 'latencies');
    const cross = options.crossLatencies ? pooled(reports, 'crossLatencies') : null;
    const sent = reports.reduce((n, r) => n + r.sent, 0);
    return {
      kind: s.kind,
      clients: names.length * perRoom,
      sent,
      samples: all.length,
      expected: sent * (perRoom - 1),
      p50: quantile(all, 0.5),
      p99: quantile(all, 0.99),
      cpu: ((cpuAfter - cpuBefore) / wall) * 100,
      loadCpu: ((loadAfter - loadBefore) / wall) * 100,
      ...(eld ? { eld } : {}),
      ...(cross ? { cross: { samples: cross.length, p50: quantile(cross, 0.5), p99: quantile(cross, 0.99) } } : {}),
    };
  } finally {
    for (const c of workers) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

function table(title: string, results: LatencyResult[], note: string): string[] {
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

/** The median run by p99, with every run's p99 alongside. */
export function medianRun(runs: LatencyResult[]): LatencyResult {
  const sorted = [...runs].sort((a, b) => a.p99 - b.p99);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: runs.map((r) => r.p99) };
}

/** S1 / S2: runs one latency scenario on every server, BENCH_ROUNDS rounds, and returns its report section. */
async function latencyScenario(id: string, title: string, rooms: number, perRoom: number, rate: number): Promise<string[]> {
  const runs = new Map<Kind, LatencyResult[]>(KINDS.map((k) => [k, []]));
  for (let round = 0; round < settings.rounds; round++) {
    // Rotate the order each round, so no server always runs first (or right after the heaviest).
    const order = KINDS.map((_, i) => KINDS[(i + round) % KINDS.length]!);
    for (const kind of order) {
      const server = await startServerUnderTest(kind);
      try {
        console.log(`${id} round ${round + 1}/${settings.rounds} ${kind} …`);
        const names = await makeRooms(server, rooms, id);
        const r = await runLoad(server, names, perRoom, rate);
        console.log(
          `${id} ${kind}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, CPU ${r.cpu.toFixed(0)} %, load ${r.loadCpu.toFixed(0)} %, ${r.samples}/${r.expected} receipts${r.eld ? `, event-loop p99 ${r.eld.p99.toFixed(1)} ms` : ''}`,
        );
        runs.get(kind)!.push(r);
      } finally {
        await stopServer(server);
      }
    }
  }
  const note =
    `Latency: from the sender's wall-clock time embedded in the edit (a Y.Map entry) to its receipt at every other editor of the room; ` +
    `${settings.workers} load processes of real providers (y-websocket 2.1 WebsocketProvider for Consilium and the reference server, @hocuspocus/provider 3.4.3 for Hocuspocus), ` +
    `one WebSocket each. Server CPU: user + system time of the server process from /proc over the sending period, 100 % = one core. ` +
    `Each server ran ${settings.rounds} time(s), in rotated order; the row is its median round by p99. Consilium's event-loop delay is its delay beyond the 5 ms sampling interval.`;
  return table(title, KINDS.map((kind) => medianRun(runs.get(kind)!)), note);
}

export function s1(): Promise<string[]> {
  return latencyScenario('S1', `S1: one room, 50 editors, 5 updates per second each, ${settings.duration / 1000} s`, 1, 50, 5);
}

export function s2(): Promise<string[]> {
  const rooms = Math.max(1, Math.round(500 * settings.s2Scale));
  const scaled = settings.s2Scale !== 1 ? ` (scaled by ${settings.s2Scale} from 500 rooms)` : '';
  return latencyScenario('S2', `S2: ${rooms} rooms × 4 editors, 1 update per second each, ${settings.duration / 1000} s${scaled}`, rooms, 4, 1);
}
