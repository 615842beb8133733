import { startServer } from './app.js';
import { loadConfig } from './config.js';
import { createLogger, describeError } from './log.js';
import { createStore } from './store/index.js';

/** `npm start`: the configured store, one server, a clean shutdown on SIGINT / SIGTERM. */
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const store = await createStore(config);
  const server = await startServer({ config, store, log });
  console.log(`Consilium is running at http://localhost:${server.port} (storage: ${store.engine}${store.engine === 'sqlite' ? `, ${config.dataDir}` : ''})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('server.stopping', { signal });
    try {
      await server.close();
      await store.close();
    } catch (err) {
      log.error('server.stop_failed', describeError(err));
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error('Consilium could not start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
