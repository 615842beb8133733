/**
 * Consilium as a server under test for tests/bench/compare.ts: the same start as server/main.ts
 * (configuration from the environment, the sqlite engine), run as a forked child process that
 * also measures its own event-loop delay and reports it over IPC ('eld-reset' / 'eld-report').
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { startServer } from '../../server/app.js';
import { loadConfig } from '../../server/config.js';
import { createLogger } from '../../server/log.js';
import { createStore } from '../../server/store/index.js';

const config = loadConfig();
const store = await createStore(config);
const server = await startServer({ config, store, log: createLogger(config.logLevel) });
// The histogram records the time between timer ticks, so each value includes the resolution itself.
const RESOLUTION_MS = 5;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
const lag = (ns: number) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
process.on('message', (msg: { type: string }) => {
  if (msg.type === 'eld-reset') delay.reset();
  if (msg.type === 'eld-report') process.send?.({ type: 'eld', p50: lag(delay.percentile(50)), p99: lag(delay.percentile(99)), max: lag(delay.max) });
});
const stop = async () => {
  await server.close();
  await store.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.send?.({ type: 'ready', port: server.port });
