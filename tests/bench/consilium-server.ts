/**
 * Consilium as a server under test for tests/bench/compare.ts: the same start as server/main.ts
 * (configuration from the environment, the sqlite engine), run as a forked child process (with
 * --expose-gc) that answers over IPC:
 *   'eld-reset' / 'eld-report' → { type: 'eld', p50, p99, max }: its own event-loop delay, in ms;
 *   'memory'  → { type: 'memory', rss, heapUsed, … }: process.memoryUsage() after a forced full GC;
 *   'metrics' → { type: 'metrics', metrics, stats }: the hub's counters (hub.metrics(): store
 *     loads per document, bytes appended / compacted, commits; null while the hub has none) and
 *     hub.stats() (documents loaded, connections).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { createStore } from '../../server/store/index.js';

/** What the hub counts since the process started (see hub.metrics()). */
export type { StorageMetrics as HubMetrics } from '../../server/realtime/yjs/persistence.js';

const config = loadConfig();
const store = await createStore(config);
const server = await startServer({ config, store, log: createLogger(config.logLevel) });
const hub = server.hub;
// The histogram records the time between timer ticks, so each value includes the resolution itself.
const RESOLUTION_MS = 5;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
/** A full collection that also gives memory back to the OS where V8 can (its 'last-resort' flavour), for steadier RSS readings. */
function fullGc(): void {
  const gc = (globalThis as { gc?: (options?: object) => void }).gc;
  try {
    gc?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    gc?.();
  }
}
const lag = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'eld-reset') delay.reset();
  if (msg.type === 'eld-report') process.send?.({ type: 'eld', p50: lag(delay.percentile(50)), p99: lag(delay.percentile(99)), max: lag(delay.max) });
  if (msg.type === 'memory') {
    fullGc();
    setImmediate(() => process.send?.({ type: 'memory', ...process.memoryUsage() }));
  }
  if (msg.type === 'metrics') process.send?.({ type: 'metrics', metrics: hub.metrics(), stats: hub.stats() });
});
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
// Without compare.ts nobody would stop this process: stop with it (also when it crashed).
process.on('disconnect', () => void stop());
process.send?.({ type: 'ready', port: server.port });
