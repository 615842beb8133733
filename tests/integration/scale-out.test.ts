import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT, briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { EVENTS } from '../../shared/events.js';
import { briefPlainText } from '../../server/domain/brief.js';
import { DOC_CHANNEL_PREFIX } from '../../server/realtime/scale/redis-bus.js';
import { LIMIT_KEY_PREFIX, redisLimiters } from '../../server/realtime/scale/redis-limiter.js';
import { createLogger } from '../../server/log.js';
import { limiterContract } from '../helpers/limiter-contract.js';
import { freePort } from '../helpers/processes.js';
import type { DocumentRepository, Store } from '../../server/store/port.js';
import { addMember, ApiClient, awarenessMessage, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { describeWithRedis } from '../helpers/redis.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Two Consilium servers on one data folder and one real redis-server: everything a person does
 * on one process reaches the people on the other, and a Redis restart loses nothing.
 */

/** Types text at the end of the brief's first paragraph, the way an editor would. */
function type(doc: Y.Doc, text: string): void {
  const paragraph = doc.getXmlFragment(BRIEF_FRAGMENT).toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement;
  const t = paragraph.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

/** The same person, signed in with the same session, talking to another server. */
function on(server: () => TestServer, client: ApiClient): ApiClient {
  const other = new ApiClient(server);
  other.cookie = client.cookie;
  other.user = client.user;
  return other;
}

/** Appends to documents named in `held` wait until they are released: edits stay only in memory. */
function holdingAppends(held: Set<string>) {
  return (store: Store): Store => {
    const real = store.documents;
    const documents = new Proxy(real, {
      get(target, key) {
        if (key === 'append') {
          return async (name: string, update: Uint8Array) => {
            await waitFor(() => !held.has(name), { timeoutMs: 60_000, what: 'appends to be released' });
            return target.append(name, update);
          };
        }
        if (key === 'appendMany') {
          return async (entries: { docName: string; update: Uint8Array }[]) => {
            await waitFor(() => entries.every((e) => !held.has(e.docName)), { timeoutMs: 60_000, what: 'appends to be released' });
            return target.appendMany(entries);
          };
        }
        const value = Reflect.get(target, key, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as DocumentRepository;
    return new Proxy(store, { get: (target, key) => (key === 'documents' ? documents : Reflect.get(target, key, target)) });
  };
}

describeWithRedis('scale-out: two processes sharing one Redis', (redis) => {
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  const A = () => a!;
  const B = () => b!;
  const held = new Set<string>();

  beforeAll(async () => {
    a = await startTestServer({ config: { redisUrl: redis().url }, wrapStore: holdingAppends(held) });
    b = await startTestServer({ config: { redisUrl: redis().url }, dataDir: a.dataDir });
  });
  afterAll(async () => {
    held.clear();
    await b?.close();
    await a?.close();
  });
  afterEach(closeClients);

  /** An owner and an editor, both signed up (and signed in) on A, on a new case. */
  async function team() {
    const owner = await signUp(A, { name: `Owner ${randomUUID().slice(0, 6)}` });
    const editor = await signUp(A, { name: `Editor ${randomUUID().slice(0, 6)}` });
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    return { owner, editor, caseId: c.id };
  }

  it('carries a brief edit made on one process to a client of the other, both ways', async () => {
    const { owner, editor, caseId } = await team();
    const onA = connectBrief(owner, caseId);
    const onB = connectBrief(on(B, editor), caseId);
    await synced(onA.provider);
    await synced(onB.provider);
    type(onA.doc, ' typed on A');
    await waitFor(() => briefPlainText(onB.doc).includes(' typed on A'), { what: 'the edit to reach B' });
    type(onB.doc, ' typed on B');
    await waitFor(() => briefPlainText(onA.doc).includes(' typed on B'), { what: 'the edit to reach A' });
    expect(briefPlainText(onA.doc)).toBe(briefPlainText(onB.doc));
  });

  it('applies a removal or a role change made on one process to brief connections open on the other', async () => {
    const { owner, editor, caseId } = await team();
    const viewer = await signUp(A, { name: `Viewer ${randomUUID().slice(0, 6)}` });
    await addMember(owner, caseId, viewer, 'editor');
    const editorOnB = connectBrief(on(B, editor), caseId);
    const viewerOnB = connectBrief(on(B, viewer), caseId);
    await synced(editorOnB.provider);
    await synced(viewerOnB.provider);
    const closed = new Promise<number | undefined>((resolve) => editorOnB.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code)));
    // On A: the editor is removed, the other becomes a viewer.
    expect((await owner.delete(`/api/cases/${caseId}/members/${editor.user!.id}`)).status).toBe(204);
    expect((await owner.patch(`/api/cases/${caseId}/members/${viewer.user!.id}`, { role: 'viewer' })).status).toBe(200);
    expect(await closed).toBe(DOC_CLOSE.accessRevoked);
    // The downgraded member's edits on B are now refused (read-only: 4409).
    const refused = new Promise<number | undefined>((resolve) => viewerOnB.provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code)));
    await waitFor(() => B().server.hub.participants(caseId).some((p) => p.userId === viewer.user!.id && p.role === 'viewer'), { what: 'the role to reach B' });
    type(viewerOnB.doc, ' not allowed');
    expect(await refused).toBe(DOC_CLOSE.editRefused);
  });

  it('gives a process that opens a brief late what another holds but has not stored yet', async () => {
    const { owner, editor, caseId } = await team();
    held.add(briefDocName(caseId));
    try {
      const onA = connectBrief(owner, caseId);
      await synced(onA.provider);
      type(onA.doc, ' only in memory on A');
      await waitFor(async () => (await A().server.hub.inspect(caseId, (d) => (briefPlainText(d).includes(' only in memory on A') ? true : null))) === true, { what: 'A to apply the edit' });
      const onB = connectBrief(on(B, editor), caseId);
      await waitFor(() => briefPlainText(onB.doc).includes(' only in memory on A'), { what: 'B to catch up' });
    } finally {
      held.delete(briefDocName(caseId));
    }
  });

  it('pushes a comment posted over HTTP on one process to a socket joined on the other', async () => {
    const { owner, editor, caseId } = await team();
    const socket = await connectSocket(on(B, editor));
    expect(await emitAck(socket, EVENTS.caseJoin, { caseId })).toMatchObject({ ok: true });
    const seen: { threadId: string; thread: { messages: { body: string }[] } | null }[] = [];
    socket.on(EVENTS.threadChanged, (p) => seen.push(p));
    const res = await owner.post(`/api/cases/${caseId}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'Posted on A' });
    expect(res.status).toBe(201);
    await waitFor(() => seen.some((p) => p.threadId === res.body.thread.id && p.thread?.messages[0]?.body === 'Posted on A'), { what: 'the thread on B' });
  });

  it('shows presence across processes: who joins on one appears on the other, and leaves it', async () => {
    const { owner, editor, caseId } = await team();
    const watcher = await connectSocket(on(B, editor));
    await emitAck(watcher, EVENTS.caseJoin, { caseId });
    const heard: { people: { userId: string }[] }[] = [];
    watcher.on(EVENTS.presenceChanged, (p) => heard.push(p));

    const joiner = await connectSocket(owner);
    const ack = await emitAck(joiner, EVENTS.caseJoin, { caseId });
    // The joiner, on A, sees the watcher who is on B.
    expect(ack.data.presence.people.map((p: { userId: string }) => p.userId).sort()).toEqual([owner.user!.id, editor.user!.id].sort());
    await waitFor(() => heard.at(-1)?.people.some((p) => p.userId === owner.user!.id), { what: 'B to see the owner' });
    joiner.close();
    await waitFor(() => heard.at(-1)?.people.every((p) => p.userId !== owner.user!.id), { what: 'B to see the owner leave' });
  });

  it('shares cursors across processes, also with a process that opens the brief later, and removes them when their client leaves', async () => {
    const { owner, editor, caseId } = await team();
    const onA = connectBrief(owner, caseId);
    await synced(onA.provider);
    onA.provider.awareness.setLocalState({ user: { name: owner.user!.name }, cursor: { at: 3 } });
    // B loads the brief only now: its state request brings A's cursor along.
    const onB = connectBrief(on(B, editor), caseId);
    await synced(onB.provider);
    const cursorOfA = () => onB.provider.awareness.getStates().get(onA.doc.clientID) as { user?: { name?: string }; cursor?: { at: number } } | undefined;
    await waitFor(() => cursorOfA()?.user?.name === owner.user!.name && cursorOfA()?.cursor?.at === 3, { what: "A's cursor on B" });
    onA.provider.awareness.setLocalStateField('cursor', { at: 9 });
    await waitFor(() => cursorOfA()?.cursor?.at === 9, { what: "A's cursor to move on B" });
    onA.provider.destroy();
    await waitFor(() => cursorOfA() === undefined, { what: "A's cursor to leave B" });
  });

  it("does not let a client on the other process take over someone's cursor id", async () => {
    const { owner, editor, caseId } = await team();
    const onA = connectBrief(owner, caseId);
    await synced(onA.provider);
    onA.provider.awareness.setLocalState({ user: { name: owner.user!.name }, cursor: { at: 1 } });
    const onB = connectBrief(on(B, editor), caseId);
    await synced(onB.provider);
    await waitFor(() => onB.provider.awareness.getStates().has(onA.doc.clientID), { what: "A's cursor on B" });
    // The editor, on B, announces a state under the owner's client id (with their own name, as the server requires).
    onB.provider.ws!.send(awarenessMessage(onA.doc.clientID, { user: { name: editor.user!.name }, cursor: { at: 99 } }));
    // A later honest change from the editor shows the forgery was handled before it.
    onB.provider.awareness.setLocalState({ user: { name: editor.user!.name }, cursor: { at: 5 } });
    await waitFor(() => (onA.provider.awareness.getStates().get(onB.doc.clientID) as { cursor?: { at: number } } | undefined)?.cursor?.at === 5, { what: "the editor's honest cursor on A" });
    for (const seen of [onA, onB]) {
      expect(seen.provider.awareness.getStates().get(onA.doc.clientID)).toMatchObject({ user: { name: owner.user!.name }, cursor: { at: 1 } });
    }
  });

  it('counts failed sign-ins across processes: the limit holds wherever the attempts land', async () => {
    const email = `limited-${randomUUID().slice(0, 8)}@example.org`;
    await signUp(A, { email });
    const max = A().server.services.config.signInMaxFailures;
    for (let i = 0; i < max; i++) {
      const res = await new ApiClient(i % 2 === 0 ? A : B).post('/api/auth/signin', { email, password: 'wrong wrong wrong' });
      expect(res.status).toBe(401);
    }
    // Each process saw only half of the failures; together they pass the limit.
    for (const server of [A, B]) {
      const blocked = await new ApiClient(server).post('/api/auth/signin', { email, password: 'correct horse battery' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    // Redis holds the counter under a hash of the email, never the email itself.
    const redisClient = new Redis(redis().url);
    try {
      const keys = await redisClient.keys(`${LIMIT_KEY_PREFIX}*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(' ')).not.toContain(email);
    } finally {
      redisClient.disconnect();
    }
  });

  it('publishes each update to Redis exactly once, and the other process does not publish it again', async () => {
    const { owner, editor, caseId } = await team();
    const channel = DOC_CHANNEL_PREFIX + briefDocName(caseId);
    const admin = new Redis(redis().url);
    const monitor = await admin.monitor();
    // An update for every holder is kind 0, then the sender's id (36 characters), then no addressee.
    const updatesBy = new Map<string, number>();
    monitor.on('monitor', (_time: string, args: string[]) => {
      if (args[0]?.toLowerCase() !== 'publish' || args[1] !== channel) return;
      const sender = /^\\x00\$([0-9a-f-]{36})\\x00/.exec(args[2] ?? '')?.[1];
      if (sender) updatesBy.set(sender, (updatesBy.get(sender) ?? 0) + 1);
    });
    try {
      const onA = connectBrief(owner, caseId);
      const onB = connectBrief(on(B, editor), caseId);
      await synced(onA.provider);
      await synced(onB.provider);
      const edits = 25;
      for (let i = 0; i < edits; i++) type(onA.doc, ` a${i}`);
      await waitFor(() => briefPlainText(onB.doc).includes(` a${edits - 1}`), { what: 'the edits on B' });
      // One edit on B: when Redis has seen it, B has long sent anything it would have echoed.
      type(onB.doc, ' b');
      await waitFor(() => [...updatesBy.values()].includes(1), { what: "B's edit in Redis" });
      expect([...updatesBy.values()].sort((x, y) => x - y)).toEqual([1, edits]);
    } finally {
      monitor.disconnect();
      admin.disconnect();
    }
  });

  it('loses nothing when Redis restarts: edits made on both sides meanwhile converge, and rooms work again', async () => {
    const { owner, editor, caseId } = await team();
    const onA = connectBrief(owner, caseId);
    const onB = connectBrief(on(B, editor), caseId);
    await synced(onA.provider);
    await synced(onB.provider);
    type(onA.doc, ' before');
    await waitFor(() => briefPlainText(onB.doc).includes(' before'), { what: 'the first edit on B' });

    await redis().kill();
    type(onA.doc, ' A while Redis was down');
    type(onB.doc, ' B while Redis was down');
    const hubHas = async (s: () => TestServer, text: string) => (await s().server.hub.inspect(caseId, (d) => (briefPlainText(d).includes(text) ? true : null))) === true;
    await waitFor(() => hubHas(A, ' A while Redis was down'), { what: 'A to apply its edit' });
    await waitFor(() => hubHas(B, ' B while Redis was down'), { what: 'B to apply its edit' });
    // Each process keeps serving its own clients meanwhile.
    const socket = await connectSocket(owner);
    expect(await emitAck(socket, EVENTS.caseJoin, { caseId })).toMatchObject({ ok: true });

    await redis().start();
    const both = (d: Y.Doc) => ['before', 'A while Redis was down', 'B while Redis was down'].every((t) => briefPlainText(d).includes(t));
    await waitFor(() => both(onA.doc) && both(onB.doc), { timeoutMs: 15_000, what: 'both sides to converge' });
    expect(briefPlainText(onA.doc)).toBe(briefPlainText(onB.doc));

    // And stored: the shared log holds everything once both processes have saved.
    await waitFor(async () => {
      const doc = new Y.Doc();
      for (const chunk of await A().store.documents.load(briefDocName(caseId))) Y.applyUpdate(doc, chunk.data);
      return both(doc);
    }, { what: 'the store to hold both edits' });

    // Rooms are shared again: a comment posted on A reaches a socket on B.
    const watcher = await connectSocket(on(B, editor));
    await waitFor(async () => (await emitAck(watcher, EVENTS.caseJoin, { caseId })).ok === true, { what: 'B to join' });
    const seen: string[] = [];
    watcher.on(EVENTS.threadChanged, (p: { threadId: string }) => seen.push(p.threadId));
    await waitFor(async () => {
      const res = await owner.post(`/api/cases/${caseId}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'After the restart' });
      await waitFor(() => seen.includes(res.body.thread.id), { timeoutMs: 1000, what: 'the thread on B' });
      return true;
    }, { timeoutMs: 15_000, what: 'a comment to cross again' });
  });
});

describe('scale-out: without REDIS_URL', () => {
  it('starts, serves and stops without loading anything about Redis', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'consilium-no-redis-'));
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const url = (path: string) => pathToFileURL(join(root, path)).href;
    try {
      // A module hook that refuses Redis's packages and our Redis module, in a fresh Node.js process.
      writeFileSync(join(dir, 'hooks.mjs'), `export async function resolve(specifier, context, next) {
        if (/^(ioredis|@socket\\.io\\/redis-adapter)(\\/|$)|realtime\\/scale\\/redis/.test(specifier)) throw new Error('Redis was loaded: ' + specifier);
        return next(specifier, context);
      }`);
      writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`);
      writeFileSync(join(dir, 'run.mts'), `
        import { startServer } from ${JSON.stringify(url('server/app.ts'))};
        import { loadConfig } from ${JSON.stringify(url('server/config.ts'))};
        import { SqliteStore } from ${JSON.stringify(url('server/store/sqlite/index.ts'))};
        const config = { ...loadConfig(process.env), port: 0, host: '127.0.0.1', dataDir: ${JSON.stringify(dir)}, logLevel: 'silent' as const };
        const store = new SqliteStore(${JSON.stringify(join(dir, 'consilium.db'))});
        const server = await startServer({ config, store });
        const health = await fetch(server.url + '/healthz');
        await server.close();
        await store.close();
        console.log('healthz', health.status);
      `);
      const env = { ...process.env };
      delete env.REDIS_URL;
      const out = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', '--import', join(dir, 'register.mjs'), join(dir, 'run.mts')], { cwd: root, env, timeout: 30_000 }, (err, stdout, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout));
      });
      expect(out.trim()).toBe('healthz 200');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithRedis('attempt limiter in Redis', (redis) => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redis().url);
  });
  afterAll(() => client.disconnect());

  limiterContract((clock, max, windowMs) => redisLimiters(client, clock, createLogger('silent'))(`test-${randomUUID()}`, max, windowMs));

  describe('while Redis cannot be reached', () => {
    let down: Redis;
    beforeAll(async () => {
      // Nothing listens on this port: every command fails at once (no offline queue).
      down = new Redis(await freePort(), '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
      down.on('error', () => undefined);
    });
    afterAll(() => down.disconnect());
    limiterContract((clock, max, windowMs) => redisLimiters(down, clock, createLogger('silent'))(`test-${randomUUID()}`, max, windowMs));
  });
});
