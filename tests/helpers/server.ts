import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { Clock } from '../../server/domain/clock.js';
import type { Logger } from '../../server/log.js';
import type { HubOptions } from '../../server/realtime/yjs/hub.js';
import type { Store } from '../../server/store/port.js';
import { SqliteStore } from '../../server/store/sqlite/index.js';

export interface TestServerOptions {
  /** Serve a built client from this folder (browser tests). */
  clientDir?: string;
  config?: Partial<Config>;
  hub?: Partial<HubOptions>;
  clock?: Clock;
  /** Reuse this data folder instead of a fresh one. */
  dataDir?: string;
  /** Wraps the real store, to add latency or faults at the edge (slow disk, lost database). */
  wrapStore?: (store: Store) => Store;
  /** How often live connections' sessions are re-checked. */
  sessionCheckMs?: number;
  /** Receives the server's log lines instead of silence. */
  log?: Logger;
  /** How often votes past their closing time are closed. */
  voteCheckMs?: number;
  /** The storage engine: sqlite (default), or mongo on MONGODB_URI in a fresh database dropped at close. */
  engine?: 'sqlite' | 'mongo';
}

/** The engines this run can test: sqlite always, mongo when MONGODB_URI is set. */
export const TEST_ENGINES: ('sqlite' | 'mongo')[] = ['sqlite', ...(process.env.MONGODB_URI ? (['mongo'] as const) : [])];

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  store: Store;
  server: RunningServer;
  /** Stops the server and starts a new one on the same data (on a new port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

// Fast saves and unloads so tests see persistence without waiting long.
const FAST_HUB: Partial<HubOptions> = { commitIntervalMs: 10, unloadDelayMs: 50 };

/**
 * Starts the real server on an ephemeral port with a fresh sqlite data folder. Prefer
 * `useTestServer()`, which cannot forget to close it.
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'consilium-test-'));
  const config: Config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
    signUpsPerHour: 100_000, // tests sign up many people from one address
    ...(opts.clientDir ? { clientDir: opts.clientDir } : { clientDir: join(dataDir, 'no-client') }),
    ...opts.config,
  };
  const boot = async () => {
    const real = opts.engine === 'mongo' ? await mongoStore() : new SqliteStore(join(dataDir, 'consilium.db'));
    const store = opts.wrapStore ? opts.wrapStore(real) : real;
    const server = await startServer({
      config, store, hub: { ...FAST_HUB, ...opts.hub },
      ...(opts.clock ? { clock: opts.clock } : {}),
      ...(opts.sessionCheckMs ? { sessionCheckMs: opts.sessionCheckMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
      ...(opts.voteCheckMs ? { voteCheckMs: opts.voteCheckMs } : {}),
    });
    return { store, server };
  };
  // One database per test server, kept across restarts like the sqlite file.
  const mongoDb = `consilium_test_${randomBytes(6).toString('hex')}`;
  const mongoStore = async (): Promise<Store> => {
    const { MongoStore } = await import('../../server/store/mongo/index.js');
    return new MongoStore(process.env.MONGODB_URI!, { dbName: mongoDb });
  };
  const dropMongo = async () => {
    const mongoose = (await import('mongoose')).default;
    const conn = await mongoose.createConnection(process.env.MONGODB_URI!, { dbName: mongoDb }).asPromise();
    await conn.dropDatabase();
    await conn.close();
  };
  let current = await boot();
  let closed = false;
  const handle: TestServer = {
    url: current.server.url,
    port: current.server.port,
    dataDir,
    store: current.store,
    server: current.server,
    async restart() {
      await current.server.close();
      await current.store.close();
      current = await boot();
      Object.assign(handle, { url: current.server.url, port: current.server.port, store: current.store, server: current.server });
    },
    async close() {
      if (closed) return;
      closed = true;
      await current.server.close();
      if (opts.engine === 'mongo') await dropMongo();
      await current.store.close();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return handle;
}

/** Starts a test server before the file's tests and closes it after them; returns a getter. */
export function useTestServer(opts: TestServerOptions = {}): () => TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startTestServer(opts);
  });
  afterAll(async () => {
    await server?.close();
  });
  return () => {
    if (!server) throw new Error('the test server has not started yet');
    return server;
  };
}
