import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe } from 'vitest';
import { MongoStore } from '../../server/store/mongo/index.js';
import type { Store } from '../../server/store/port.js';
import { accepts, findOnPath, freePort } from '../helpers/processes.js';
import { storeContract } from './store-contract.js';

/**
 * The store contract against MongoDB. It runs against MONGODB_URI when set (in a fresh,
 * dropped-afterwards database), else against a throwaway mongod from PATH, else it is
 * skipped and says so: no MongoDB server can be installed on the development machines.
 */

const SKIP_MESSAGE = 'store contract: mongo engine — SKIPPED: MONGODB_URI is not set and no mongod binary was found on PATH';

/** Resolves once something accepts TCP connections on the port; rejects if `alive()` turns false or time runs out. */
async function waitForPort(port: number, alive: () => string | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = alive();
    if (dead) throw new Error(dead);
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`mongod did not accept connections on port ${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const dbName = `consilium_contract_${randomBytes(6).toString('hex')}`;
const envUri = process.env.MONGODB_URI;
const mongodBinary = envUri ? null : findOnPath('mongod');

if (envUri) {
  describe('store contract: mongo engine (MONGODB_URI)', () => {
    storeContract(
      async () => new MongoStore(envUri, { dbName }),
      async (s) => {
        await s.close();
        // A separate connection to drop the run's database; the store is already closed.
        const conn = await mongoose.createConnection(envUri, { dbName }).asPromise();
        try {
          await conn.dropDatabase();
        } finally {
          await conn.close();
        }
      },
    );
  });
} else if (mongodBinary) {
  describe(`store contract: mongo engine (throwaway ${mongodBinary})`, () => {
    let dir = '';
    let child: ChildProcess | null = null;
    let uri = '';
    let output = '';

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'consilium-mongod-'));
      const port = await freePort();
      const proc = spawn(mongodBinary, ['--dbpath', dir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child = proc;
      const keep = (chunk: Buffer) => { output = (output + chunk.toString()).slice(-4000); };
      proc.stdout?.on('data', keep);
      proc.stderr?.on('data', keep);
      let spawnError: Error | null = null;
      proc.once('error', (err) => { spawnError = err; });
      await waitForPort(port, () => {
        if (spawnError) return `mongod could not start: ${String(spawnError)}`;
        if (proc.exitCode !== null || proc.signalCode !== null) return `mongod exited (${proc.exitCode ?? proc.signalCode}):\n${output}`;
        return null;
      }, 30_000);
      uri = `mongodb://127.0.0.1:${port}/${dbName}`;
    }, 60_000);

    afterAll(async () => {
      const proc = child;
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    // Nested so that its hooks run inside ours: mongod is up before the store connects and
    // is stopped only after the store has closed.
    describe('contract', () => {
      storeContract(
        async () => new MongoStore(uri),
        async (s) => { await s.close(); },
      );
    });
  });
} else {
  console.warn(SKIP_MESSAGE);
  describe.skip(SKIP_MESSAGE, () => { // skipped: no MONGODB_URI and no mongod here; the message says so
    storeContract(
      async () => { throw new Error(SKIP_MESSAGE); },
      async () => {},
    );
  });
}
