import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT, briefDocName } from '../../shared/brief.js';
import { briefPlainText } from '../../server/domain/brief.js';
import { EVENTS } from '../../shared/events.js';
import { StorageUnavailable, storageUnavailable } from '../../server/store/errors.js';
import type { Store } from '../../server/store/port.js';
import { addMember, type Answer, ApiClient, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { freePort } from '../helpers/processes.js';
import { describeWithRedis } from '../helpers/redis.js';
import { serverProcess, storedDoc, withStoredData, type ServerProcess } from '../helpers/server-process.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Fault injection (issue 8): each test ends with "nothing acknowledged is lost and everyone
 * converges".
 */
afterEach(closeClients);

/** Types `text` at the end of the brief's first paragraph, as a person typing would. */
function type(doc: Y.Doc, text: string): void {
  const paragraph = doc.getXmlFragment(BRIEF_FRAGMENT).get(1) as Y.XmlElement;
  const t = paragraph.get(0) as Y.XmlText;
  t.insert(t.length, text);
}

const briefOf = (doc: Y.Doc) => doc.getXmlFragment(BRIEF_FRAGMENT).toString();
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

/** A request whose answer may never come (the server dies): the status, or null when none came. */
async function attempt(send: () => Promise<Answer>): Promise<Answer | null> {
  try {
    return await send();
  } catch {
    return null;
  }
}
const ok = (a: Answer | null) => a !== null && a.status >= 200 && a.status < 300;

describe('fault: the server is killed (SIGKILL) in the middle of an edit storm, comments and a vote', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'consilium-faults-'));
  let proc: ServerProcess | undefined;
  afterAll(async () => {
    closeClients();
    await proc?.stop('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses nothing acknowledged: briefs converge on every client and in storage, every answered comment and ballot is there once', async () => {
    proc = serverProcess(await freePort(), dataDir);
    await proc.start();
    const server = proc.server;

    // A team: an owner, two editors and a commenter, on a case with a vote open.
    const owner = await signUp(server, { name: 'Ada Owner', discipline: 'oncology' });
    const editors = [await signUp(server, { name: 'Eli Editor', discipline: 'pharmacy' }), await signUp(server, { name: 'Eva Editor', discipline: 'nursing' })];
    const commenter = await signUp(server, { name: 'Cy Commenter', discipline: 'social_work' });
    const c = await createCase(owner);
    for (const e of editors) await addMember(owner, c.id, e, 'editor');
    await addMember(owner, c.id, commenter, 'commenter');
    const option = async (title: string) => (await owner.post(`/api/cases/${c.id}/options`, { title })).body.option.id as string;
    const [a, b] = [await option('Pembrolizumab'), await option('Docetaxel')];
    const round = (await owner.post(`/api/cases/${c.id}/rounds`, {
      question: 'Which second-line treatment?', optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 2, requiredDisciplines: [] },
    })).body.round as { id: string };
    expect(round.id).toBeTruthy();
    const thread = (await owner.post(`/api/cases/${c.id}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'Storm thread' })).body.thread.id as string;

    // Ten editing clients (owner and editors), each typing its own numbered tokens without pause.
    const typists = [owner, ...editors];
    const clients = Array.from({ length: 10 }, (_, i) => ({ i, typed: [] as string[], ...connectBrief(typists[i % typists.length]!, c.id) }));
    await Promise.all(clients.map((cl) => synced(cl.provider)));
    let typing = true;
    const typingLoops = clients.map(async (cl) => {
      for (let n = 0; typing; n++) {
        const token = `<${cl.i}.${n}>`;
        type(cl.doc, token);
        cl.typed.push(token);
        await new Promise((r) => setTimeout(r, 10 + cl.i));
      }
    });

    // A burst of replies from everyone who may comment, and ballots, each remembering its answer.
    const writers = [owner, ...editors, commenter];
    const posts: { who: ApiClient; body: string; requestId: string; answer: Answer | null }[] = [];
    let posting = true;
    const postingLoops = writers.map(async (who, w) => {
      for (let n = 0; posting; n++) {
        const p = { who, body: `reply ${w}.${n}`, requestId: randomUUID(), answer: null as Answer | null };
        posts.push(p);
        p.answer = await attempt(() => who.post(`/api/cases/${c.id}/threads/${thread}/messages`, { body: p.body, requestId: p.requestId }));
      }
    });
    const ballots = writers.map((who, w) => ({ who, body: { stances: { [a]: { stance: w % 2 ? 'support' : 'abstain' }, [b]: { stance: 'support' } } }, answer: null as Answer | null }));
    const vote = (v: (typeof ballots)[number]) => v.who.request('PUT', `/api/cases/${c.id}/rounds/${round.id}/ballot`, v.body);
    // Two ballots well before the crash, the others at about the moment of it.
    for (const v of ballots.slice(0, 2)) v.answer = await attempt(() => vote(v));
    await new Promise((r) => setTimeout(r, 600));
    const late = ballots.slice(2).map(async (v) => (v.answer = await attempt(() => vote(v))));

    // The crash: no shutdown, no flush.
    expect(await proc.stop('SIGKILL')).toBeNull();
    posting = false;
    await Promise.all([...postingLoops, ...late]);
    await new Promise((r) => setTimeout(r, 150)); // keep typing while the server is down: offline edits
    typing = false;
    await Promise.all(typingLoops);
    const acknowledged = posts.filter((p) => ok(p.answer));
    expect(acknowledged.length).toBeGreaterThan(10);
    expect(ballots.slice(0, 2).every((v) => ok(v.answer))).toBe(true);

    await proc.start();
    // The providers reconnect on their own and send what the server lacks.
    await waitFor(() => clients.every((cl) => cl.provider.wsconnected && cl.provider.synced), { timeoutMs: 15_000, what: 'every provider to reconnect and sync' });
    const reference = () => briefOf(clients[0]!.doc);
    await waitFor(() => clients.every((cl) => briefOf(cl.doc) === reference()), { timeoutMs: 15_000, what: 'every client to converge' });
    const text = briefPlainText(clients[0]!.doc);
    for (const cl of clients) for (const token of cl.typed) expect(count(text, token), token).toBe(1);

    // Every answered comment is there exactly once, before any retry.
    const stored = async () => ((await owner.get(`/api/cases/${c.id}/threads/${thread}`)).body.thread.messages as { body: string }[]).map((m) => m.body);
    const afterCrash = await stored();
    for (const p of acknowledged) expect(afterCrash.filter((m) => m === p.body), p.body).toHaveLength(1);
    // The client retries what got no answer with the same request id: 201 if it never landed, 200 if only the answer was lost.
    const unanswered = posts.filter((p) => !ok(p.answer));
    const retried = await Promise.all(unanswered.map((p) => p.who.post(`/api/cases/${c.id}/threads/${thread}/messages`, { body: p.body, requestId: p.requestId })));
    for (const r of retried) expect([200, 201]).toContain(r.status);
    const final = await stored();
    expect(final.filter((m) => m !== 'Storm thread').sort()).toEqual(posts.map((p) => p.body).sort());

    // Every answered ballot is counted with the stances it was answered for; unanswered ones are cast again.
    const roundNow = async () => (await owner.get(`/api/cases/${c.id}/rounds/${round.id}`)).body.round as { ballots: { voter: { id: string }; stances: Record<string, { stance: string }> }[] };
    const ballotsAfterCrash = (await roundNow()).ballots;
    for (const v of ballots.filter((x) => ok(x.answer))) {
      const mine = ballotsAfterCrash.filter((x) => x.voter.id === v.who.user!.id);
      expect(mine).toHaveLength(1);
      expect(mine[0]!.stances[a]!.stance).toBe(v.body.stances[a]!.stance);
    }
    for (const v of ballots.filter((x) => !ok(x.answer))) expect((await vote(v)).status).toBe(200);
    const counted = (await roundNow()).ballots;
    expect(counted.map((x) => x.voter.id).sort()).toEqual(writers.map((w) => w.user!.id).sort());

    // Storage holds the same brief: stop cleanly (the clients leave first) and read the file.
    const expected = reference();
    for (const cl of clients) cl.provider.destroy();
    expect(await proc.stop('SIGTERM')).toBe(0);
    expect(proc.stderr()).not.toMatch(/final_save_failed/);
    const storedBrief = await withStoredData(dataDir, async (store) => briefOf(await storedDoc(store, briefDocName(c.id))));
    expect(storedBrief).toBe(expected);
  }, 60_000);
});

/**
 * A real full disk needs a small file system of its own: a 4 MB tmpfs mounted for the test (CI
 * runs as root). Answers how to unmount it, or why mounting is not permitted here.
 */
function mountSmallDisk(): { dir: string; unmount: () => void } | string {
  const dir = mkdtempSync(join(tmpdir(), 'consilium-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    return `mount -t tmpfs is not permitted here (${String((err as { stderr?: Buffer }).stderr ?? err).trim().split('\n')[0]})`;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmdirSync(dir);
    },
  };
}

/** Whether a tmpfs can be mounted here: null, or why not (probed once, unmounted at once). */
function mountProblem(): string | null {
  const probe = mountSmallDisk();
  if (typeof probe === 'string') return probe;
  probe.unmount();
  return null;
}

/** Writes a filler file until the file system is full; answers its path. */
function fillDisk(dir: string): string {
  const file = join(dir, 'filler');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  return file;
}

const integrity = (file: string) => {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

const noMount = mountProblem();
if (noMount) console.warn(`fault: full disk — SKIPPED: ${noMount}`);

(noMount ? describe.skip : describe)(`fault: the disk under the sqlite store fills up, then has room again${noMount ? ` — SKIPPED: ${noMount}` : ''}`, () => {
  let disk: { dir: string; unmount: () => void } | undefined;
  let server: TestServer | undefined;
  beforeAll(() => {
    const mounted = mountSmallDisk();
    if (typeof mounted === 'string') throw new Error(mounted);
    disk = mounted;
  });
  afterAll(async () => {
    closeClients();
    await server?.close();
    disk?.unmount();
  });

  it('answers writes with 503 and changes nothing, keeps the live brief in memory and stores it once there is room, without corruption', async () => {
    if (!disk) throw new Error('the small disk was not mounted');
    // Edits are retried with backoff (100 ms doubling); short commits so the test sees them at once.
    const logged: { event: string; data?: Record<string, unknown> }[] = [];
    const keep = (event: string, data?: Record<string, unknown>) => void logged.push({ event, ...(data ? { data } : {}) });
    server = await startTestServer({ dataDir: disk.dir, hub: { commitIntervalMs: 10, unloadDelayMs: 50 }, log: { debug: () => undefined, info: () => undefined, warn: keep, error: keep } });
    const s = () => server!;
    const dbFile = join(disk.dir, 'consilium.db');
    const owner = await signUp(s, { name: 'Ada Owner' });
    const editor = await signUp(s, { name: 'Eli Editor' });
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    const thread = (await owner.post(`/api/cases/${c.id}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'Before the disk filled' })).body.thread.id as string;
    const one = connectBrief(owner, c.id);
    const two = connectBrief(editor, c.id);
    await Promise.all([synced(one.provider), synced(two.provider)]);
    type(one.doc, ' saved-before');
    await waitFor(async () => briefPlainText(await storedDoc(s().store, briefDocName(c.id))).includes('saved-before'), { what: 'the first edit to be stored' });

    // Empty the WAL into the database file, so every further write must grow a file; then fill the disk.
    const side = new Database(dbFile);
    side.pragma('wal_checkpoint(TRUNCATE)');
    side.close();
    const filler = fillDisk(disk.dir);

    // The live brief: both people keep editing and see each other, while every save fails.
    const failedBefore = s().server.hub.metrics().failedCommits;
    type(one.doc, ' typed-while-full-1');
    type(two.doc, ' typed-while-full-2');
    const both = (d: Y.Doc) => briefPlainText(d).includes('typed-while-full-1') && briefPlainText(d).includes('typed-while-full-2');
    await waitFor(() => both(one.doc) && both(two.doc), { what: 'the two editors to see each other' });
    await waitFor(() => s().server.hub.metrics().failedCommits > failedBefore, { what: 'a save to be refused' });
    // Someone opening the brief now gets it from memory, with the unsaved edits.
    const late = connectBrief(editor, c.id);
    await synced(late.provider);
    expect(both(late.doc)).toBe(true);
    expect(briefPlainText(await storedDoc(s().store, briefDocName(c.id)))).not.toContain('typed-while-full');

    // HTTP writes: a clear 503 with Retry-After, never a 500.
    const refusedReply = { body: 'Posted while the disk was full', requestId: randomUUID() };
    const writes: [string, Promise<Answer>][] = [
      ['reply', editor.post(`/api/cases/${c.id}/threads/${thread}/messages`, refusedReply)],
      ['case edit', owner.patch(`/api/cases/${c.id}`, { title: 'Renamed while full' })],
      ['sign-up', new ApiClient(s).post('/api/auth/signup', { email: `full-${randomUUID().slice(0, 6)}@example.org`, password: 'correct horse battery', name: 'Late Person', discipline: 'nursing' })],
    ];
    for (const [what, pending] of writes) {
      const res = await pending;
      expect(res.status, what).toBe(503);
      expect(res.body.error.code, what).toBe('unavailable');
      expect(res.body.error.message, what).toMatch(/storage is unavailable.*Nothing was changed.*try again/);
      expect(Number(res.headers.get('retry-after')), what).toBeGreaterThan(0);
    }
    // The engine really refused (the disk is full), and no request ended as an unexplained 500.
    expect(logged.find((l) => l.event === 'doc.save_failed')?.data?.code).toBe('SQLITE_FULL');
    const refusals = logged.filter((l) => l.event === 'http.storage_unavailable').map((l) => l.data?.reason);
    expect(refusals.length).toBeGreaterThanOrEqual(writes.length);
    expect(new Set(refusals)).toEqual(new Set(['SQLITE_FULL']));
    expect(logged.filter((l) => l.event === 'http.unhandled')).toEqual([]);
    // Reads keep working.
    expect((await owner.get(`/api/cases/${c.id}`)).status).toBe(200);

    // Room again: the edits kept in memory are written, and the refused writes go through when retried.
    rmSync(filler);
    await waitFor(async () => both(await storedDoc(s().store, briefDocName(c.id))), { timeoutMs: 10_000, what: 'the edits kept in memory to be stored' });
    const messages = async () => ((await owner.get(`/api/cases/${c.id}/threads/${thread}`)).body.thread.messages as { body: string }[]).map((m) => m.body);
    expect(await messages()).toEqual(['Before the disk filled']);
    expect((await owner.get(`/api/cases/${c.id}`)).body.case.title).toBe(c.title);
    expect((await editor.post(`/api/cases/${c.id}/threads/${thread}/messages`, refusedReply)).status).toBe(201);
    expect(await messages()).toEqual(['Before the disk filled', refusedReply.body]);
    type(two.doc, ' after-room');
    await waitFor(async () => briefPlainText(await storedDoc(s().store, briefDocName(c.id))).includes('after-room'), { what: 'a later edit to be stored' });
    expect(integrity(dbFile)).toBe('ok');

    // Everyone converged, and the file holds exactly what they see once the server has stopped.
    const expected = briefOf(one.doc);
    await waitFor(() => briefOf(two.doc) === expected && briefOf(late.doc) === expected, { what: 'the clients to converge' });
    closeClients();
    await server.close();
    server = undefined;
    expect(integrity(dbFile)).toBe('ok');
    const stored = await withStoredData(disk.dir, async (store) => briefOf(await storedDoc(store, briefDocName(c.id))));
    expect(stored).toBe(expected);
  }, 30_000);
});

describe('fault: the store fails for reasons of its own (not the request)', () => {
  it('recognises the engines\' "unavailable" errors, and nothing else', () => {
    const sqlite = (code: string) => new Database.SqliteError('engine message', code);
    for (const code of ['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_READONLY_DBMOVED', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_IOERR', 'SQLITE_IOERR_WRITE', 'SQLITE_CANTOPEN']) {
      expect(storageUnavailable(sqlite(code))?.reason, code).toBe(code);
    }
    for (const code of ['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_MISMATCH']) expect(storageUnavailable(sqlite(code)), code).toBeNull();
    const mongo = (name: string) => Object.assign(new Error('connection lost'), { name });
    for (const name of ['MongoNetworkError', 'MongoServerSelectionError', 'MongoNotConnectedError']) expect(storageUnavailable(mongo(name))?.reason).toBe(name);
    expect(storageUnavailable(Object.assign(new Error('Operation `users.findOne()` buffering timed out after 10000ms'), { name: 'MongooseError' }))).toBeInstanceOf(StorageUnavailable);
    expect(storageUnavailable(new Error('wrapped', { cause: sqlite('SQLITE_FULL') }))?.reason).toBe('SQLITE_FULL');
    expect(storageUnavailable(mongo('MongoServerError'))).toBeNull();
    expect(storageUnavailable(new TypeError('x is undefined'))).toBeNull();
  });

  it('answers a Socket.io request with "unavailable" when the store cannot be read', async () => {
    let failing = false;
    const server = await startTestServer({
      wrapStore: (store) => {
        // The membership table behind a disk that stops answering (a real engine error).
        const memberships = new Proxy(store.memberships, {
          get: (target, key) => {
            const value = Reflect.get(target, key, target) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (failing) throw new Database.SqliteError('disk I/O error', 'SQLITE_IOERR_READ');
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        return new Proxy(store, { get: (target, key) => (key === 'memberships' ? memberships : Reflect.get(target, key, target)) }) as Store;
      },
    });
    try {
      const owner = await signUp(() => server);
      const c = await createCase(owner);
      const socket = await connectSocket(owner);
      failing = true;
      const refused = await emitAck(socket, EVENTS.caseJoin, { caseId: c.id });
      expect(refused).toMatchObject({ ok: false, error: { code: 'unavailable' } });
      expect(refused.error.message).toMatch(/storage is unavailable/);
      const http = await owner.post(`/api/cases/${c.id}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'x' });
      expect(http.status).toBe(503);
      failing = false;
      expect(await emitAck(socket, EVENTS.caseJoin, { caseId: c.id })).toMatchObject({ ok: true });
    } finally {
      closeClients();
      await server.close();
    }
  });
});

/** The same person, signed in with the same session, talking to another server. */
function on(server: () => TestServer, client: ApiClient): ApiClient {
  const other = new ApiClient(server);
  other.cookie = client.cookie;
  other.user = client.user;
  return other;
}

describeWithRedis('fault: Redis disappears and returns during a two-process run', (redis) => {
  let a: TestServer | undefined;
  let b: TestServer | undefined;
  const A = () => a!;
  const B = () => b!;
  afterAll(async () => {
    closeClients();
    await b?.close();
    await a?.close();
  });

  it('keeps everything acknowledged meanwhile on both processes, once, and every brief converges', async () => {
    a = await startTestServer({ config: { redisUrl: redis().url } });
    b = await startTestServer({ config: { redisUrl: redis().url }, dataDir: a.dataDir });
    const owner = await signUp(A, { name: 'Ada Owner', discipline: 'oncology' });
    const editor = await signUp(A, { name: 'Eli Editor', discipline: 'pharmacy' });
    const c = await createCase(owner);
    await addMember(owner, c.id, editor, 'editor');
    const option = async (title: string) => (await owner.post(`/api/cases/${c.id}/options`, { title })).body.option.id as string;
    const [x, y] = [await option('Pembrolizumab'), await option('Docetaxel')];
    const round = (await owner.post(`/api/cases/${c.id}/rounds`, {
      question: 'Which second-line treatment?', optionIds: [x, y], rule: 'simple_majority', quorum: { minVoters: 2, requiredDisciplines: [] },
    })).body.round.id as string;
    const thread = (await owner.post(`/api/cases/${c.id}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'Outage thread' })).body.thread.id as string;

    // Three editing clients on each process.
    const clients = [0, 1, 2, 3, 4, 5].map((i) => ({ i, typed: [] as string[], ...connectBrief(i % 2 ? on(B, editor) : owner, c.id) }));
    await Promise.all(clients.map((cl) => synced(cl.provider)));
    const edit = async (rounds: number, tag: string) => {
      for (let n = 0; n < rounds; n++) {
        for (const cl of clients) {
          const token = `<${tag}${cl.i}.${n}>`;
          type(cl.doc, token);
          cl.typed.push(token);
        }
        await new Promise((r) => setTimeout(r, 15));
      }
    };
    await edit(5, 'before');

    await redis().kill();
    // While Redis is gone: edits on both sides, replies and ballots through both processes, all answered.
    const replies = Array.from({ length: 12 }, (_, n) => ({ via: n % 2 ? on(B, editor) : owner, body: `outage reply ${n}`, requestId: randomUUID() }));
    const [answers] = await Promise.all([
      Promise.all(replies.map((r) => r.via.post(`/api/cases/${c.id}/threads/${thread}/messages`, { body: r.body, requestId: r.requestId }))),
      edit(10, 'during'),
    ]);
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(201));
    // The outage is real: edits made on A have not reached a client of B.
    expect(briefPlainText(clients[1]!.doc)).not.toContain('<during0.');
    expect((await owner.request('PUT', `/api/cases/${c.id}/rounds/${round}/ballot`, { stances: { [x]: { stance: 'support' } } })).status).toBe(200);
    expect((await on(B, editor).request('PUT', `/api/cases/${c.id}/rounds/${round}/ballot`, { stances: { [y]: { stance: 'object', rationale: 'Cost' } } })).status).toBe(200);

    await redis().start();
    await edit(3, 'after');
    // Every client, on either process, ends with the same brief holding every token once.
    const reference = () => briefOf(clients[0]!.doc);
    await waitFor(() => clients.every((cl) => briefOf(cl.doc) === reference()), { timeoutMs: 15_000, what: 'every client to converge' });
    const text = briefPlainText(clients[0]!.doc);
    for (const cl of clients) for (const token of cl.typed) expect(count(text, token), token).toBe(1);
    // And the shared store holds the same brief once both processes have saved.
    await waitFor(async () => briefOf(await storedDoc(A().store, briefDocName(c.id))) === reference(), { what: 'the store to hold the converged brief' });

    // Each process answers every reply once and both ballots; a retry with the same request id adds nothing.
    for (const via of [owner, on(B, owner)]) {
      const bodies = ((await via.get(`/api/cases/${c.id}/threads/${thread}`)).body.thread.messages as { body: string }[]).map((m) => m.body);
      expect(bodies.slice(1).sort()).toEqual(replies.map((r) => r.body).sort());
      const voters = ((await via.get(`/api/cases/${c.id}/rounds/${round}`)).body.round.ballots as { voter: { id: string } }[]).map((v) => v.voter.id);
      expect(voters.sort()).toEqual([owner.user!.id, editor.user!.id].sort());
    }
    const again = await on(B, owner).post(`/api/cases/${c.id}/threads/${thread}/messages`, { body: replies[0]!.body, requestId: replies[0]!.requestId });
    expect(again.status).toBe(200);
    expect(((await owner.get(`/api/cases/${c.id}/threads/${thread}`)).body.thread.messages as unknown[]).length).toBe(13);
  }, 45_000);

  // A Socket.io client stays connected to its process through a Redis outage, so the pushes from the
  // other process lost meanwhile are never replayed: when Redis is back, each process tells its own
  // clients to join their rooms again and refetch (the app does so on EVENTS.resync).
  it('tells Socket.io clients to refetch after Redis returns, so pushes lost during the outage are made up for', async () => {
    const owner = await signUp(A);
    const c = await createCase(owner);
    const watcher = await connectSocket(on(B, owner));
    expect((await emitAck(watcher, EVENTS.caseJoin, { caseId: c.id })).ok).toBe(true);
    let resyncs = 0;
    watcher.on(EVENTS.resync, () => resyncs++);
    await redis().kill();
    const lost = await owner.post(`/api/cases/${c.id}/threads`, { requestId: randomUUID(), anchor: { kind: 'case' }, body: 'Posted during the outage' });
    expect(lost.status).toBe(201);
    await redis().start();
    await waitFor(() => resyncs > 0, { timeoutMs: 15_000, what: 'the resync push once Redis is back' });
    // What the client then refetches holds what was posted meanwhile.
    const threads = (await on(B, owner).get(`/api/cases/${c.id}/threads`)).body.threads as { id: string }[];
    expect(threads.map((t) => t.id)).toContain(lost.body.thread.id);
  }, 30_000);
});
