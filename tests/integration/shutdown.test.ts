import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { briefDocName } from '../../shared/brief.js';
import { briefPlainText } from '../../server/domain/brief.js';
import { loadConfig } from '../../server/config.js';
import { createStore } from '../../server/store/index.js';
import * as Y from 'yjs';
import { closeClients, connectBrief, createCase, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { accepts, freePort } from '../helpers/processes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
afterEach(closeClients);

describe('shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'consilium-shutdown-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes the edits still waiting for the group commit when the server gets SIGTERM, then exits', async () => {
    const port = await freePort();
    // A commit interval of ten minutes: only the flush at shutdown can have written the edit.
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, COMMIT_INTERVAL_MS: '600000', LOG_LEVEL: 'warn', REDIS_URL: '', MONGODB_URI: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let errors = '';
    child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
    await waitFor(() => accepts(port), { timeoutMs: 30_000, intervalMs: 100, what: 'the server to listen' });
    const server = () => ({ url: `http://127.0.0.1:${port}` }) as TestServer;
    const owner = await signUp(server);
    const c = await createCase(owner);
    const writer = connectBrief(owner, c.id);
    const reader = connectBrief(owner, c.id);
    await Promise.all([synced(writer.provider), synced(reader.provider)]);
    expect(briefPlainText(writer.doc).length).toBeGreaterThan(0);
    writer.doc.getText('note').insert(0, 'written at shutdown');
    // The server has applied it once another client has it.
    await waitFor(() => reader.doc.getText('note').toString() === 'written at shutdown', { what: 'the edit to reach the server' });
    // The clients stay connected: the server closes them as it stops.
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(errors).not.toMatch(/final_save_failed/);

    const store = await createStore(loadConfig({ DATA_DIR: dataDir }));
    try {
      const doc = new Y.Doc();
      for (const chunk of await store.documents.load(briefDocName(c.id))) Y.applyUpdate(doc, chunk.data);
      expect(doc.getText('note').toString()).toBe('written at shutdown');
      expect(briefPlainText(doc).length).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  }, 60_000);
});

describe('liveness', () => {
  let server: TestServer | undefined;
  afterAll(() => server?.close());

  it('drops a brief connection that stops answering pings, and keeps the ones that answer', async () => {
    server = await startTestServer({ hub: { pingIntervalMs: 100 } });
    const get = () => server!;
    const owner = await signUp(get);
    const c = await createCase(owner);
    const healthy = connectBrief(owner, c.id);
    await synced(healthy.provider);
    // A client that never answers a ping (the protocol-level pong is switched off).
    const silent = new WebSocket(`${server.url.replace('http', 'ws')}/yjs/${briefDocName(c.id)}`, { headers: { cookie: owner.cookie! }, autoPong: false });
    await new Promise((r) => silent.once('open', r));
    await waitFor(() => server!.server.hub.stats().connections === 2, { what: 'both connections' });
    const closed = new Promise<number>((r) => silent.once('close', (code) => r(code)));
    // Terminated without a close frame: the client sees 1006 (abnormal closure).
    expect(await closed).toBe(1006);
    await waitFor(() => server!.server.hub.stats().connections === 1, { what: 'the silent connection to be gone' });
    expect(healthy.provider.wsconnected).toBe(true);
  });
});
