/**
 * S8: two Consilium processes sharing documents through Redis (Consilium only). A redis-server of
 * our own on a free loopback port (tests/helpers/redis.ts), two Consilium processes with
 * REDIS_URL set to it and the same sqlite DATA_DIR. An S1-like room (50 editors, 5 edits per
 * second each, tests/bench/peers/load-worker.mjs) runs in two layouts, alternating, BENCH_ROUNDS
 * times each, a fresh room (case) each run:
 *   one process: every editor on process A (B runs, idle);
 *   split:       the load processes' editors dealt to A and B, half each (25 + 25 of the room).
 * The hop's cost is split minus one process, at p50 and p99 of the median run of each layout.
 * Redis messages per update: the delta of cmdstat_publish calls (INFO commandstats, via ioredis)
 * from just before the sending starts to 2 s after it stops, divided by the edits sent. The
 * clients' awareness is switched off (no local state), so that only edits travel. The receipts of
 * edits sent from the other load process are also reported apart: in the split layout exactly
 * those crossed between the two Consilium processes.
 */
import { Redis } from 'ioredis';
import { findOnPath } from '../helpers/processes.js';
import { startRedis, type TestRedis } from '../helpers/redis.js';
import { medianRun, runLoad, type LatencyResult } from './latency.js';
import { KINDS, makeRooms, metOrNot, removeDir, settings, startServerUnderTest, stopServer, temporaryDir, type ServerUnderTest } from './lib.js';

type Layout = 'one process' | 'split';
interface Run extends LatencyResult {
  publishes: number;
}

async function publishCalls(redis: Redis): Promise<number> {
  const info = await redis.info('commandstats');
  const m = /^cmdstat_publish:calls=(\d+)/m.exec(info);
  return m ? Number(m[1]) : 0;
}

async function oneRun(layout: Layout, a: ServerUnderTest, b: ServerUnderTest, redis: Redis, round: number): Promise<Run> {
  const names = await makeRooms(a, 1, `S8-${round}-${layout === 'split' ? 'split' : 'one'}`);
  let before = 0;
  let after = 0;
  const r = await runLoad(a, names, 50, 5, {
    urls: layout === 'split' ? [a.wsUrl, b.wsUrl] : [a.wsUrl],
    awareness: false,
    crossLatencies: true,
    beforeStart: async () => void (before = await publishCalls(redis)),
    beforeReport: async () => void (after = await publishCalls(redis)),
  });
  console.log(`S8 round ${round + 1} ${layout}: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${((after - before) / Math.max(1, r.sent)).toFixed(2)} publishes per update`);
  return { ...r, publishes: after - before };
}

export async function s8(): Promise<string[]> {
  const title = '### S8: two Consilium processes with Redis, one room of 50 editors';
  if (!KINDS.includes('consilium')) return [title, '', 'Not run: Consilium is not among BENCH_ONLY.', ''];
  const binary = findOnPath('redis-server');
  if (!binary) return [title, '', 'Not run: no redis-server on PATH (apt-get install redis-server).', ''];
  let redisServer: TestRedis | null = null;
  let redis: Redis | null = null;
  const servers: ServerUnderTest[] = [];
  const dir = temporaryDir('bench-s8-');
  const runs: Record<Layout, Run[]> = { 'one process': [], split: [] };
  try {
    redisServer = await startRedis(binary);
    redis = new Redis(redisServer.url, { lazyConnect: false, maxRetriesPerRequest: 1 });
    const env = { REDIS_URL: redisServer.url };
    const a = await startServerUnderTest('consilium', { dir, env });
    servers.push(a);
    const b = await startServerUnderTest('consilium', { dir, env, cookie: a.cookie! });
    servers.push(b);
    for (let round = 0; round < settings.rounds; round++) {
      const order: Layout[] = round % 2 === 0 ? ['split', 'one process'] : ['one process', 'split'];
      for (const layout of order) runs[layout].push(await oneRun(layout, a, b, redis, round));
    }
  } finally {
    redis?.disconnect();
    for (const s of servers) await stopServer(s, { remove: false });
    await redisServer?.close();
    removeDir(dir);
  }
  const one = medianRun(runs['one process']) as Run;
  const split = medianRun(runs.split) as Run;
  const ms = (x: number) => x.toFixed(1);
  const perUpdate = (r: Run) => r.publishes / Math.max(1, r.sent);
  const lines = [
    title,
    '',
    'A redis-server of our own on a free loopback port; two Consilium processes (A and B) with REDIS_URL set to it and the same sqlite DATA_DIR. ' +
      `An S1-like room (50 editors, 5 edits per second each, ${settings.duration / 1000} s, ${settings.workers} load processes of y-websocket providers, awareness off so that only edits travel) in two layouts: ` +
      'every editor on A ("one process"; B runs idle), or half the editors on each ("split"). Latency as in S1 (send time in the edit to receipt at every other editor). ' +
      `The layouts alternate, ${settings.rounds} run(s) each, a fresh room each run; the row is each layout's median run by p99. ` +
      'Publishes: the delta of cmdstat_publish calls in INFO commandstats (ioredis) from just before the sending to 2 s after it, over the edits sent. ' +
      'Consilium only: the reference server has no multi-process mode, and the peers are not run with Redis here.',
    '',
    '| Layout | Edits sent | Receipts (of expected) | p50 ms | p99 ms | p99 per run ms | Receipts from the other load process: p50 / p99 ms | Redis publishes | Publishes per update |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [layout, r] of [['one process', one], ['split', split]] as const) {
    lines.push(
      `| ${layout} | ${r.sent} | ${r.samples} (${((100 * r.samples) / Math.max(1, r.expected)).toFixed(1)} %) | ${ms(r.p50)} | ${ms(r.p99)} | ${(r.rounds ?? []).map(ms).join(', ')} | ${r.cross ? `${ms(r.cross.p50)} / ${ms(r.cross.p99)}` : 'n/a'} | ${r.publishes} | ${perUpdate(r).toFixed(2)} |`,
    );
  }
  const dp50 = split.p50 - one.p50;
  const dp99 = split.p99 - one.p99;
  const signed = (x: number) => `${x >= 0 ? '+' : ''}${ms(x)}`;
  lines.push(
    '',
    'In the split layout each load process is connected to one Consilium process, so the receipts of edits sent from the other load process are exactly those that crossed between the Consilium processes (half of all receipts); ' +
      `in the one-process layout the same receipts went through A alone. Their difference is the hop itself: ${one.cross && split.cross ? `${signed(split.cross.p50 - one.cross.p50)} ms at p50, ${signed(split.cross.p99 - one.cross.p99)} ms at p99` : 'n/a'} (context; the targets are checked on the whole room, as stated).`,
    '',
    `Targets: the hop adds at most 2 ms at p50: **${metOrNot(dp50 <= 2)}** (${signed(dp50)} ms); at most 10 ms at p99: **${metOrNot(dp99 <= 10)}** (${signed(dp99)} ms); ` +
      `one Redis publish per update (split layout): **${metOrNot(Number(perUpdate(split).toFixed(2)) <= 1)}** (${perUpdate(split).toFixed(2)}). ` +
      'Ratios to the peers: n/a (Consilium only).',
    '',
  );
  return lines;
}
