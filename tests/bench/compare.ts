/**
 * The comparative suite of `npm run bench` (issue 7, item 3): Consilium (sqlite engine), the
 * reference server of y-websocket 2.1 (bin/server.cjs, in memory, no auth) and Hocuspocus 3 with
 * its SQLite extension, each in its own child process, driven by real providers from other child
 * processes (tests/bench/peers/*-worker.mjs), same machine, same run. Runs the scenarios S1–S8
 * (one module per group, see each for what it measures and how) and replaces the section after
 * '## Comparison with Hocuspocus and the y-websocket reference server' in docs/BENCHMARKS.md
 * (run tests/bench/run.ts first; it rewrites the part before).
 *
 *   S1, S2  latency.ts    edit latency under load (one busy room; many small rooms)
 *   S3      memory.ts     memory per idle connection and per loaded document
 *   S4, S5  storage.ts    cold load of a long history; bytes written per edit
 *   S6, S7  restart.ts    reconnect storm after a restart; edits lost to SIGKILL
 *   S8      scale-out.ts  two Consilium processes with Redis: the hop's latency, publishes per update
 *
 * The peers live in tests/bench/peers with their own package.json and node_modules, installed
 * here when missing, so that their yjs never mixes with the app's.
 *
 * Env: BENCH_SCENARIOS (comma-separated, e.g. "S3,S4"; default all), BENCH_DURATION_MS (sending
 * period of S1, S2 and S8, default 10000), BENCH_S2_SCALE (fraction of S2's 500 rooms × 4 editors,
 * default 1), BENCH_SCALE (fraction of the sizes of S3, S4 and S6 for quick runs, default 1:
 * the sizes the targets are stated for), BENCH_WORKERS (load processes per scenario, default 2),
 * BENCH_ROUNDS (runs of S1, S2 and S8 per server, the order rotated each round; the median round
 * is reported; default 5), BENCH_ONLY (comma-separated server names, e.g. "consilium,reference"),
 * BENCH_PROFILE (a directory for CPU profiles of the Consilium processes).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { s1, s2 } from './latency.js';
import { ENV_KNOBS, ensurePeers, killAllChildren, root, settings } from './lib.js';
import { s3 } from './memory.js';
import { s6, s7 } from './restart.js';
import { s8 } from './scale-out.js';
import { s4, s5 } from './storage.js';

const benchmarksFile = join(root, 'docs/BENCHMARKS.md');
const MARKER = '\n## Comparison with Hocuspocus and the y-websocket reference server';

const SCENARIOS: { id: string; what: string; run: () => Promise<string[]> }[] = [
  { id: 'S1', what: 'one room, 50 editors', run: s1 },
  { id: 'S2', what: '500 rooms × 4 editors', run: s2 },
  { id: 'S3', what: 'idle connections, memory', run: s3 },
  { id: 'S4', what: 'cold load of 100,000 updates', run: s4 },
  { id: 'S5', what: 'bytes written per edit', run: s5 },
  { id: 'S6', what: 'reconnect storm', run: s6 },
  { id: 'S7', what: 'durability under SIGKILL', run: s7 },
  { id: 'S8', what: 'two processes with Redis', run: s8 },
];

const knobs = () => ENV_KNOBS.filter((k) => process.env[k]).map((k) => ` ${k}=${process.env[k]}`).join('');

function header(): string[] {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return [
    '',
    MARKER.trim(),
    '',
    `Written by \`npm run bench\` (tests/bench/compare.ts), last run ${new Date().toISOString()} (a run of some scenarios, BENCH_SCENARIOS, keeps the others' sections; each says when it was measured). Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()} ${release()} ${arch()}, Node.js ${process.version}.`,
    'Each server runs in its own child process, one after another, and is driven from other child processes on the same machine;',
    'the load processes share the cores with the server, so absolute figures are pessimistic; compare the servers with each other.',
    `Command: \`npm run bench\`${knobs()} (the comparison alone: \`node --import tsx tests/bench/compare.ts\`; a subset: \`BENCH_SCENARIOS=S3,S4 node --import tsx tests/bench/compare.ts\`).`,
    'Event-loop delay is measured inside the Consilium process only (perf_hooks.monitorEventLoopDelay); the peers are run as published, with instruments only where they can be attached without changing them (a preloaded module answering memory questions; wrappers around the Hocuspocus SQLite extension\'s fetch and store).',
    'KB and KiB below are 1,024 bytes.',
    '',
  ];
}

/** The section as it stands, split into its scenarios, so that a partial run replaces only what it measured. */
function previousSections(existing: string): Map<string, string> {
  const sections = new Map<string, string>();
  const at = existing.indexOf(MARKER);
  if (at < 0) return sections;
  const parts = existing.slice(at).split(/\n(?=### S\d)/);
  for (const part of parts.slice(1)) {
    const id = /^### (S\d)/.exec(part)?.[1];
    if (id) sections.set(id, part.replace(/\n*Not yet measured:[^\n]*\n*$/, '').replace(/\n+$/, '\n'));
  }
  return sections;
}

async function main(): Promise<void> {
  ensurePeers();
  const wanted = SCENARIOS.filter((s) => !settings.scenarios || settings.scenarios.includes(s.id));
  const existing = existsSync(benchmarksFile) ? readFileSync(benchmarksFile, 'utf8') : '# Benchmarks\n';
  const sections = previousSections(existing);
  for (const scenario of wanted) {
    const started = Date.now();
    console.log(`\n${scenario.id}: ${scenario.what} …`);
    const [title, ...rest] = await scenario.run();
    sections.set(scenario.id, [title, '', `Measured ${new Date().toISOString()}${knobs()}.`, ...rest].join('\n'));
    console.log(`${scenario.id} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  const missing = SCENARIOS.filter((s) => !sections.has(s.id));
  const body = SCENARIOS.filter((s) => sections.has(s.id)).map((s) => sections.get(s.id)!.replace(/\n+$/, '') + '\n');
  const lines = [
    ...header(),
    ...body,
    ...(missing.length ? [`Not yet measured: ${missing.map((s) => `${s.id} (${s.what})`).join(', ')}.`, ''] : []),
  ];
  const base = existing.includes(MARKER) ? existing.slice(0, existing.indexOf(MARKER)) : existing.replace(/\n+$/, '\n');
  writeFileSync(benchmarksFile, base + lines.join('\n'));
  console.log(lines.join('\n'));
}

main()
  .then(() => {
    killAllChildren();
    process.exit(0);
  })
  .catch((err) => {
    console.error(err);
    killAllChildren();
    process.exit(1);
  });
