import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { loadConfig } from '../../server/config.js';
import { createStore } from '../../server/store/index.js';
import type { Store } from '../../server/store/port.js';
import { waitFor } from './factories.js';
import { accepts } from './processes.js';
import type { TestServer } from './server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The real server (`node --import tsx server/main.ts`) as a child process on a fixed port and
 * data folder, so a test can kill it like a crash (SIGKILL) and start it again on the same port:
 * clients that reconnect by themselves find it where it was.
 */
export interface ServerProcess {
  port: number;
  dataDir: string;
  /** For the test helpers that take a server getter (`signUp`, `connectBrief`). */
  server: () => TestServer;
  /** What the process wrote to stderr so far (warnings and errors; the log level is `warn`). */
  stderr(): string;
  /** Starts it (again) and waits until it accepts connections. */
  start(): Promise<void>;
  /** Sends a signal and waits for the process to be gone; answers its exit code (null when killed). */
  stop(signal: 'SIGKILL' | 'SIGTERM'): Promise<number | null>;
}

export function serverProcess(port: number, dataDir: string, env: Record<string, string> = {}): ServerProcess {
  let child: ChildProcess | null = null;
  let errors = '';
  const url = `http://127.0.0.1:${port}`;
  const handle: ServerProcess = {
    port,
    dataDir,
    server: () => ({ url, port, dataDir }) as TestServer,
    stderr: () => errors,
    async start() {
      if (await accepts(port)) throw new Error(`port ${port} is already taken`);
      const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        cwd: root,
        env: {
          ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn',
          REDIS_URL: '', MONGODB_URI: '', SIGNUPS_PER_HOUR: '100000', ...env,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = proc;
      proc.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
      await waitFor(async () => {
        if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}: ${errors.slice(-800)}`);
        return accepts(port);
      }, { timeoutMs: 30_000, intervalMs: 50, what: 'the server to listen' });
    },
    async stop(signal) {
      const proc = child;
      child = null;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return proc?.exitCode ?? null;
      return new Promise<number | null>((resolve) => {
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      });
    },
  };
  return handle;
}

/** Opens the data folder's store directly (the server must be stopped), runs `read`, closes it. */
export async function withStoredData<T>(dataDir: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = await createStore(loadConfig({ DATA_DIR: dataDir }));
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

/** The stored copy of a Yjs document, as a document. */
export async function storedDoc(store: Store, name: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  for (const chunk of await store.documents.load(name)) Y.applyUpdate(doc, chunk.data);
  return doc;
}
