/**
 * `npm run fuzz`: a longer fuzzing run against a server of its own (sqlite in a temporary folder).
 *
 *   FUZZ_SEED=<n>        replay a seed (default: a random one, printed first)
 *   FUZZ_ITERATIONS=<n>  iterations of each fuzzer (default 2000)
 *   FUZZ_BATCH=<n>       iterations between health/canary checks (default 100)
 *
 * Exits 1 when anything failed, printing each failure with the seed to replay it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { SqliteStore } from '../../server/store/sqlite/index.js';
import { closeClients } from '../helpers/clients.js';
import { randomSeed } from './generators.js';
import { gcHeapUsed, MEMORY_BOUND_NOTE, runFuzz } from './run-fuzz.js';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : randomSeed();
const iterations = Number(process.env.FUZZ_ITERATIONS ?? 2000);
const batch = Number(process.env.FUZZ_BATCH ?? 100);
console.log(`[fuzz] seed ${seed} (replay with FUZZ_SEED=${seed} FUZZ_ITERATIONS=${iterations}), ${iterations} iterations of each fuzzer`);

// An exception nobody caught is a failure, not the end of the run.
const uncaught: string[] = [];
const report = (what: string) => {
  uncaught.push(what);
  console.log(`[fuzz] ${what}`);
};
process.on('uncaughtException', (err) => report(`uncaught exception: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (err) => report(`unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));

const dataDir = mkdtempSync(join(tmpdir(), 'consilium-fuzz-'));
const clientDir = join(dataDir, 'client');
mkdirSync(clientDir);
writeFileSync(join(clientDir, 'index.html'), '<!doctype html><title>Consilium</title>');
const config = { ...loadConfig({}), port: 0, host: '127.0.0.1', dataDir, clientDir, logLevel: 'silent' as const, signUpsPerHour: 100_000 };
const store = new SqliteStore(join(dataDir, 'consilium.db'));
const server = await startServer({ config, store, hub: { commitIntervalMs: 10, unloadDelayMs: 50 } });

let exitCode = 1;
try {
  const result = await runFuzz({
    url: server.url,
    seed,
    iterations,
    batch,
    maxMessageBytes: config.maxMessageBytes,
    maxBodyBytes: config.maxBodyBytes,
    heapUsed: await gcHeapUsed(),
    hubStats: () => server.hub.stats(),
    log: (line) => console.log(line),
  });
  const failures = [...result.failures, ...uncaught.map((u) => `[seed ${seed}] ${u}`)];
  console.log(`\n[fuzz] seed ${seed}: ${iterations} iterations of each fuzzer in ${(result.ms / 1000).toFixed(1)} s`);
  console.log(`[fuzz] heap growth: ${result.heapGrowthMb === null ? 'not measured' : `${result.heapGrowthMb.toFixed(1)} MB`} (${MEMORY_BOUND_NOTE})`);
  console.log('[fuzz] outcomes:');
  for (const [k, v] of Object.entries(result.counts).sort()) console.log(`  ${k.padEnd(48)} ${v}`);
  if (failures.length === 0) {
    console.log(`[fuzz] no failures (seed ${seed})`);
    exitCode = 0;
  } else {
    console.log(`[fuzz] ${failures.length} failure(s):`);
    for (const f of failures) console.log(`  - ${f}`);
  }
} catch (err) {
  console.log(`[fuzz] seed ${seed}: the run itself failed (replay with FUZZ_SEED=${seed} FUZZ_ITERATIONS=${iterations}): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
} finally {
  closeClients();
  await server.close();
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
