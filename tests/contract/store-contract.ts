import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { UniqueViolation } from '../../server/store/errors.js';
import type { CaseItemRecord, ConferenceRecord, EvidenceData, MessageRecord, RoundRecord, Store, ThreadRecord } from '../../server/store/port.js';
import { buildAudit, buildCase, buildMembership, buildUser } from '../helpers/factories.js';

/**
 * The behaviour every storage engine must have. Each engine's test file calls this with a
 * factory for a fresh, empty store; the same assertions then hold for sqlite and mongo.
 */
export function storeContract(makeStore: () => Promise<Store>, destroy: (s: Store) => Promise<void>): void {
  let store: Store;
  beforeAll(async () => {
    store = await makeStore();
    await store.ready();
  });
  afterAll(async () => {
    if (store) await destroy(store);
  });

  async function caseWithOwner(ownerOverrides = {}) {
    const owner = buildUser(ownerOverrides);
    await store.users.create(owner);
    const c = buildCase({ createdBy: owner.id });
    await store.cases.create(c);
    await store.memberships.add(buildMembership({ caseId: c.id, userId: owner.id, role: 'owner' }));
    return { owner, c };
  }

  describe('users', () => {
    it('finds a created user by id and by email', async () => {
      const u = buildUser();
      await store.users.create(u);
      expect(await store.users.findById(u.id)).toEqual(u);
      expect(await store.users.findByEmail(u.email)).toEqual(u);
      expect(await store.users.findByEmail('nobody@example.org')).toBeNull();
    });

    it('refuses a second account with the same email through a unique index', async () => {
      const u = buildUser();
      await store.users.create(u);
      const twin = buildUser({ email: u.email });
      await expect(store.users.create(twin)).rejects.toSatisfy((e) => e instanceof UniqueViolation && e.constraint === 'email');
      expect(await store.users.findById(twin.id)).toBeNull();
    });

    it('finds many users by id, ignoring unknown ids', async () => {
      const a = buildUser();
      const b = buildUser();
      await store.users.create(a);
      await store.users.create(b);
      const found = await store.users.findManyByIds([a.id, b.id, buildUser().id]);
      expect(found.map((u) => u.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store.users.findManyByIds([])).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('returns a session only until it expires, and honours extension and deletion', async () => {
      const u = buildUser();
      await store.users.create(u);
      const s = { id: `s-${u.id}`, userId: u.id, createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-01-02T00:00:00.000Z' };
      await store.sessions.create(s);
      expect(await store.sessions.findValid(s.id, '2026-01-01T12:00:00.000Z')).toEqual(s);
      expect(await store.sessions.findValid(s.id, '2026-01-02T00:00:00.001Z')).toBeNull();
      await store.sessions.extend(s.id, '2026-01-03T00:00:00.000Z');
      expect((await store.sessions.findValid(s.id, '2026-01-02T12:00:00.000Z'))?.expiresAt).toBe('2026-01-03T00:00:00.000Z');
      await store.sessions.delete(s.id);
      expect(await store.sessions.findValid(s.id, '2026-01-01T12:00:00.000Z')).toBeNull();
    });

    it('deletes expired sessions and keeps live ones', async () => {
      const u = buildUser();
      await store.users.create(u);
      await store.sessions.create({ id: `old-${u.id}`, userId: u.id, createdAt: '2020-01-01T00:00:00.000Z', expiresAt: '2020-01-02T00:00:00.000Z' });
      await store.sessions.create({ id: `new-${u.id}`, userId: u.id, createdAt: '2020-01-01T00:00:00.000Z', expiresAt: '2099-01-02T00:00:00.000Z' });
      expect(await store.sessions.deleteExpired('2021-01-01T00:00:00.000Z')).toBeGreaterThanOrEqual(1);
      expect(await store.sessions.findValid(`old-${u.id}`, '2019-01-01T00:00:00.000Z')).toBeNull();
      expect(await store.sessions.findValid(`new-${u.id}`, '2021-01-01T00:00:00.000Z')).not.toBeNull();
    });
  });

  describe('cases', () => {
    it('stores a case with its resistance entries and required disciplines intact', async () => {
      const { c } = await caseWithOwner();
      expect(await store.cases.findById(c.id)).toEqual(c);
    });

    it('lists only the cases the user is a member of, active or archived as asked', async () => {
      const { owner, c } = await caseWithOwner();
      const other = await caseWithOwner();
      const archived = buildCase({ createdBy: owner.id, status: 'archived' });
      await store.cases.create(archived);
      await store.memberships.add(buildMembership({ caseId: archived.id, userId: owner.id, role: 'owner' }));

      const active = await store.cases.listForUser(owner.id, { archived: false });
      expect(active.map((x) => x.id)).toEqual([c.id]);
      const old = await store.cases.listForUser(owner.id, { archived: true });
      expect(old.map((x) => x.id)).toEqual([archived.id]);
      expect((await store.cases.listForUser(other.owner.id, { archived: false })).map((x) => x.id)).toEqual([other.c.id]);
    });

    it('lists the most recently changed case first', async () => {
      const { owner, c } = await caseWithOwner();
      const second = buildCase({ createdBy: owner.id, updatedAt: '2000-01-01T00:00:00.000Z' });
      await store.cases.create(second);
      await store.memberships.add(buildMembership({ caseId: second.id, userId: owner.id, role: 'owner' }));
      expect((await store.cases.listForUser(owner.id, { archived: false })).map((x) => x.id)).toEqual([c.id, second.id]);
      await store.cases.update(second.id, { title: 'Renamed' }, '2099-01-01T00:00:00.000Z');
      expect((await store.cases.listForUser(owner.id, { archived: false })).map((x) => x.id)).toEqual([second.id, c.id]);
    });

    it('updates only the given fields and reports unknown cases', async () => {
      const { c } = await caseWithOwner();
      const at = '2030-05-05T05:05:05.000Z';
      const updated = await store.cases.update(c.id, { title: 'New title', requiredDisciplines: ['surgery'] }, at);
      expect(updated).toEqual({ ...c, title: 'New title', requiredDisciplines: ['surgery'], updatedAt: at });
      expect(await store.cases.findById(c.id)).toEqual(updated);
      expect(await store.cases.update(buildCase().id, { title: 'x' }, at)).toBeNull();
    });
  });

  describe('memberships', () => {
    it('keeps one membership per user per case through a unique index', async () => {
      const { owner, c } = await caseWithOwner();
      await expect(store.memberships.add(buildMembership({ caseId: c.id, userId: owner.id, role: 'viewer' })))
        .rejects.toSatisfy((e) => e instanceof UniqueViolation && e.constraint === 'membership');
      expect((await store.memberships.find(c.id, owner.id))?.role).toBe('owner');
    });

    it('changes a role and a discipline, and answers not_found for a stranger', async () => {
      const { c } = await caseWithOwner();
      const u = buildUser();
      await store.users.create(u);
      await store.memberships.add(buildMembership({ caseId: c.id, userId: u.id, role: 'viewer' }));
      const r = await store.memberships.update(c.id, u.id, { role: 'editor', discipline: 'pharmacy' });
      expect(r).toMatchObject({ ok: true, membership: { role: 'editor', discipline: 'pharmacy' } });
      expect(await store.memberships.find(c.id, u.id)).toMatchObject({ role: 'editor', discipline: 'pharmacy' });
      expect(await store.memberships.update(c.id, buildUser().id, { role: 'editor' })).toEqual({ ok: false, reason: 'not_found' });
      expect(await store.memberships.remove(c.id, buildUser().id)).toEqual({ ok: false, reason: 'not_found' });
    });

    it('never demotes or removes the last owner', async () => {
      const { owner, c } = await caseWithOwner();
      expect(await store.memberships.update(c.id, owner.id, { role: 'editor' })).toEqual({ ok: false, reason: 'last_owner' });
      expect(await store.memberships.remove(c.id, owner.id)).toEqual({ ok: false, reason: 'last_owner' });
      expect((await store.memberships.find(c.id, owner.id))?.role).toBe('owner');
      // A change of discipline alone is not a change of ownership.
      expect(await store.memberships.update(c.id, owner.id, { discipline: 'surgery' })).toMatchObject({ ok: true });
    });

    it('keeps an owner when two owners step down at the same moment', async () => {
      for (let round = 0; round < 5; round++) {
        const { owner, c } = await caseWithOwner();
        const second = buildUser();
        await store.users.create(second);
        await store.memberships.add(buildMembership({ caseId: c.id, userId: second.id, role: 'owner' }));
        const results = await Promise.all([
          store.memberships.update(c.id, owner.id, { role: 'editor' }),
          store.memberships.remove(c.id, second.id),
        ]);
        const owners = (await store.memberships.listByCase(c.id)).filter((m) => m.role === 'owner');
        expect(owners.length).toBeGreaterThanOrEqual(1);
        expect(results.some((r) => !r.ok && r.reason === 'last_owner')).toBe(true);
      }
    });

    it('lists a case team', async () => {
      const { owner, c } = await caseWithOwner();
      const u = buildUser();
      await store.users.create(u);
      await store.memberships.add(buildMembership({ caseId: c.id, userId: u.id, role: 'commenter', discipline: 'social_work' }));
      const team = await store.memberships.listByCase(c.id);
      expect(team.map((m) => [m.userId, m.role]).sort()).toEqual([[owner.id, 'owner'], [u.id, 'commenter']].sort());
      const removed = await store.memberships.remove(c.id, u.id);
      expect(removed).toMatchObject({ ok: true, membership: { userId: u.id } });
      expect(await store.memberships.find(c.id, u.id)).toBeNull();
    });
  });

  describe('documents', () => {
    it('stores and loads an update bigger than a MongoDB document may be, and compacts it away', async () => {
      const name = `case:${buildCase().id}:brief`;
      // 20 MB of text in one update: over MongoDB's 16 MB document limit.
      const doc = new Y.Doc();
      doc.getText('t').insert(0, 'x'.repeat(20 * 1024 * 1024));
      const big = Y.encodeStateAsUpdate(doc);
      await store.documents.append(name, big);
      const chunks = await store.documents.load(name);
      expect(chunks).toHaveLength(1);
      expect(Buffer.compare(Buffer.from(chunks[0]!.data), Buffer.from(big))).toBe(0);
      await store.documents.compact(name, big, chunks.map((c) => c.id));
      const after = await store.documents.load(name);
      expect(after).toHaveLength(1);
      expect(after[0]!.id).not.toBe(chunks[0]!.id);
      const copy = new Y.Doc();
      Y.applyUpdate(copy, after[0]!.data);
      expect(copy.getText('t').length).toBe(20 * 1024 * 1024);
    }, 60_000);

    function editUpdate(text: string, clientID: number): Uint8Array {
      const doc = new Y.Doc();
      doc.clientID = clientID;
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    }

    function textOf(chunks: { data: Uint8Array }[]): string {
      const doc = new Y.Doc();
      for (const c of chunks) Y.applyUpdate(doc, c.data);
      return doc.getText('t').toString();
    }

    it('keeps appended updates per document, byte for byte', async () => {
      const name = `case:${buildCase().id}:brief`;
      const u1 = editUpdate('alpha', 1);
      await store.documents.append(name, u1);
      await store.documents.append(name, editUpdate('beta', 2));
      const chunks = await store.documents.load(name);
      expect(chunks).toHaveLength(2);
      expect(chunks.some((c) => Buffer.from(c.data).equals(Buffer.from(u1)))).toBe(true);
      expect(await store.documents.load(`case:${buildCase().id}:brief`)).toEqual([]);
    });

    it('compaction replaces exactly the chunks it names and keeps those appended meanwhile', async () => {
      const name = `case:${buildCase().id}:brief`;
      await store.documents.append(name, editUpdate('one', 1));
      await store.documents.append(name, editUpdate('two', 2));
      const seen = await store.documents.load(name);
      await store.documents.append(name, editUpdate('three', 3)); // arrives during compaction
      const snapshot = Y.mergeUpdates(seen.map((c) => c.data));
      await store.documents.compact(name, snapshot, seen.map((c) => c.id));
      const after = await store.documents.load(name);
      expect(after).toHaveLength(2);
      const text = textOf(after);
      for (const word of ['one', 'two', 'three']) expect(text).toContain(word);
    });

    it('appends several documents\' updates in one write, each at level 0, and keeps the level a fold names', async () => {
      const a = `case:${buildCase().id}:brief`;
      const b = `case:${buildCase().id}:brief`;
      await store.documents.appendMany([
        { docName: a, update: editUpdate('first', 1) },
        { docName: b, update: editUpdate('second', 2) },
        { docName: a, update: editUpdate('third', 3) },
      ]);
      const chunksA = await store.documents.load(a);
      expect(chunksA.map((c) => c.level)).toEqual([0, 0]);
      expect(textOf(chunksA)).toContain('first');
      expect(textOf(chunksA)).toContain('third');
      expect(textOf(await store.documents.load(b))).toBe('second');
      await store.documents.compact(a, Y.mergeUpdates(chunksA.map((c) => c.data)), chunksA.map((c) => c.id), 1);
      expect((await store.documents.load(a)).map((c) => c.level)).toEqual([1]);
      const [run] = await store.documents.load(a);
      await store.documents.compact(a, run!.data, [run!.id]);
      expect((await store.documents.load(a)).map((c) => c.level)).toEqual([2]);
      await store.documents.appendMany([]);
    });

    it('two compactions racing each other lose nothing', async () => {
      const name = `case:${buildCase().id}:brief`;
      await store.documents.append(name, editUpdate('a', 1));
      const early = await store.documents.load(name);
      await store.documents.append(name, editUpdate('b', 2));
      const late = await store.documents.load(name);
      await Promise.all([
        store.documents.compact(name, Y.mergeUpdates(late.map((c) => c.data)), late.map((c) => c.id)),
        store.documents.compact(name, Y.mergeUpdates(early.map((c) => c.data)), early.map((c) => c.id)),
      ]);
      const text = textOf(await store.documents.load(name));
      expect(text).toContain('a');
      expect(text).toContain('b');
    });
  });

  describe('threads and messages', () => {
    function thread(caseId: string, overrides: Partial<ThreadRecord> = {}): ThreadRecord {
      return {
        id: randomUUID(), caseId, anchor: { kind: 'brief', start: 'AAAA', end: 'BBBB', quote: 'two blocks' }, status: 'open',
        createdBy: randomUUID(), createdAt: '2026-02-01T10:00:00.000Z', resolvedBy: null, resolvedAt: null, deletedAt: null,
        lastActivityAt: '2026-02-01T10:00:00.000Z', ...overrides,
      };
    }
    function message(t: ThreadRecord, seq: number, overrides: Partial<MessageRecord> = {}): MessageRecord {
      return {
        id: randomUUID(), caseId: t.caseId, threadId: t.id, authorId: randomUUID(), body: `message ${seq}`, mentions: [], seq,
        requestId: randomUUID(), createdAt: '2026-02-01T10:00:00.000Z', editedAt: null, deletedAt: null, ...overrides,
      };
    }

    it('keeps threads with their anchors per case, and hides deleted ones', async () => {
      const { c } = await caseWithOwner();
      const t = thread(c.id);
      const other = thread(c.id, { anchor: { kind: 'case' }, createdAt: '2026-02-02T10:00:00.000Z' });
      await store.threads.create(t);
      await store.threads.create(other);
      expect(await store.threads.find(c.id, t.id)).toEqual(t);
      expect(await store.threads.find(buildCase().id, t.id)).toBeNull(); // another case's id never finds it
      expect((await store.threads.listByCase(c.id)).map((x) => x.id)).toEqual([t.id, other.id]);
      const resolved = await store.threads.update(c.id, t.id, { status: 'resolved', resolvedBy: 'u', resolvedAt: '2026-02-03T00:00:00.000Z' });
      expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'u' });
      await store.threads.update(c.id, other.id, { deletedAt: '2026-02-03T00:00:00.000Z' });
      expect(await store.threads.find(c.id, other.id)).toBeNull();
      expect((await store.threads.listByCase(c.id)).map((x) => x.id)).toEqual([t.id]);
    });

    it('orders messages by server sequence and refuses a repeated request id per author', async () => {
      const { c } = await caseWithOwner();
      const t = thread(c.id);
      await store.threads.create(t);
      const author = randomUUID();
      const second = message(t, 2, { authorId: author });
      const first = message(t, 1);
      await store.messages.create(second);
      await store.messages.create(first);
      expect((await store.messages.listByCase(c.id)).map((m) => m.seq)).toEqual([1, 2]);
      const other = thread(c.id);
      await store.threads.create(other);
      await store.messages.create(message(other, 5));
      expect((await store.messages.listByThread(c.id, t.id)).map((m) => m.seq)).toEqual([1, 2]);
      expect((await store.messages.listByThread(c.id, other.id)).map((m) => m.seq)).toEqual([5]);
      expect(await store.messages.listByThread(buildCase().id, t.id)).toEqual([]);
      await expect(store.messages.create(message(t, 3, { authorId: author, requestId: second.requestId }))).rejects.toSatisfy(
        (e) => e instanceof UniqueViolation && e.constraint === 'request',
      );
      expect(await store.messages.findByRequest(author, second.requestId)).toEqual(second);
      // The same request id from another author is a different request.
      await store.messages.create(message(t, 4, { requestId: second.requestId }));
      expect(await store.messages.listByCase(c.id)).toHaveLength(4);
    });

    it('edits and tombstones a message', async () => {
      const { c } = await caseWithOwner();
      const t = thread(c.id);
      await store.threads.create(t);
      const m = message(t, 1, { mentions: ['a'] });
      await store.messages.create(m);
      const edited = await store.messages.update(c.id, m.id, { body: 'edited', mentions: ['a', 'b'], editedAt: '2026-02-02T00:00:00.000Z' });
      expect(edited).toEqual({ ...m, body: 'edited', mentions: ['a', 'b'], editedAt: '2026-02-02T00:00:00.000Z' });
      const gone = await store.messages.update(c.id, m.id, { body: '', mentions: [], deletedAt: '2026-02-03T00:00:00.000Z' });
      expect(gone).toMatchObject({ body: '', deletedAt: '2026-02-03T00:00:00.000Z' });
      expect(await store.messages.update(buildCase().id, m.id, { body: 'x' })).toBeNull();
    });

    it('counts unread messages per thread and per case, per user, across concurrent posts', async () => {
      const { c } = await caseWithOwner();
      const t1 = thread(c.id);
      const t2 = thread(c.id);
      await store.threads.create(t1);
      await store.threads.create(t2);
      const [ann, ben] = [randomUUID(), randomUUID()];
      await Promise.all(Array.from({ length: 10 }, () => store.unread.add(c.id, t1.id, [ann, ben])));
      await store.unread.add(c.id, t2.id, [ann]);
      expect(await store.unread.byThread(ann, c.id)).toEqual(new Map([[t1.id, 10], [t2.id, 1]]));
      expect(await store.unread.byCase(ann, [c.id, buildCase().id])).toEqual(new Map([[c.id, 11]]));
      await store.unread.clear(ann, t1.id);
      expect(await store.unread.byCase(ann, [c.id])).toEqual(new Map([[c.id, 1]]));
      expect(await store.unread.byThread(ben, c.id)).toEqual(new Map([[t1.id, 10]]));
      expect(await store.unread.byCase(ben, [])).toEqual(new Map());
      await store.unread.clearThread(t1.id); // the thread was deleted: nobody has anything to read in it
      expect(await store.unread.byThread(ben, c.id)).toEqual(new Map());
      expect(await store.unread.byCase(ann, [c.id])).toEqual(new Map([[c.id, 1]]));
    });
  });

  describe('notifications', () => {
    it('lists a user\'s notifications newest first and marks them read', async () => {
      const user = randomUUID();
      const caseId = buildCase().id;
      const make = (at: string) => ({ id: randomUUID(), userId: user, caseId, kind: 'mention' as const, threadId: randomUUID(),
        conferenceId: null, occurrence: null, actorId: randomUUID(), createdAt: at, readAt: null });
      const [a, b, c] = [make('2026-01-01T00:00:00.000Z'), make('2026-01-02T00:00:00.000Z'), make('2026-01-03T00:00:00.000Z')];
      await store.notifications.create([a, b, c]);
      await store.notifications.create([{ ...make('2026-01-04T00:00:00.000Z'), userId: randomUUID() }]);
      expect((await store.notifications.listForUser(user, 2)).map((n) => n.id)).toEqual([c.id, b.id]);
      expect(await store.notifications.countUnread(user)).toBe(3);
      expect(await store.notifications.find(user, a.id)).toEqual(a);
      expect(await store.notifications.find(randomUUID(), a.id)).toBeNull(); // only the owner finds it
      expect(await store.notifications.markRead(user, [a.id], '2026-01-05T00:00:00.000Z')).toBe(1);
      expect(await store.notifications.markRead(randomUUID(), 'all', '2026-01-05T00:00:00.000Z')).toBe(0);
      expect(await store.notifications.countUnread(user)).toBe(2);
      const elsewhere = { ...make('2026-01-04T00:00:00.000Z'), caseId: buildCase().id };
      await store.notifications.create([elsewhere]);
      expect(await store.notifications.markRead(user, { caseId: elsewhere.caseId }, '2026-01-05T00:00:00.000Z')).toBe(1);
      expect(await store.notifications.countUnread(user)).toBe(2);
      expect(await store.notifications.markRead(user, 'all', '2026-01-06T00:00:00.000Z')).toBe(2);
      expect((await store.notifications.listForUser(user, 10)).find((n) => n.id === a.id)?.readAt).toBe('2026-01-05T00:00:00.000Z');
    });
  });

  describe('case items (evidence, stakeholders, readiness, coverage)', () => {
    const data: EvidenceData = { kind: 'trial', title: 'KEYNOTE-024', citation: 'Reck M, et al. NEJM 2016', url: 'https://example.org', year: 2016, summary: 'OS benefit', strength: 'high' };
    const item = (caseId: string, overrides: Partial<CaseItemRecord<EvidenceData>> = {}): CaseItemRecord<EvidenceData> => ({
      id: randomUUID(), caseId, data, version: 1, createdBy: randomUUID(), createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...overrides,
    });

    it('keeps items per case and per kind', async () => {
      const { c } = await caseWithOwner();
      const e = item(c.id);
      await store.evidence.create(e);
      expect(await store.evidence.find(c.id, e.id)).toEqual(e);
      expect(await store.stakeholders.find(c.id, e.id)).toBeNull(); // another kind
      expect(await store.evidence.find(buildCase().id, e.id)).toBeNull(); // another case
      expect(await store.coverage.list(c.id)).toEqual([]);
      await expect(store.evidence.create(e)).rejects.toSatisfy((err) => err instanceof UniqueViolation && err.constraint === 'id');
      const later = item(c.id, { createdAt: '2026-01-02T00:00:00.000Z' });
      await store.evidence.create(later);
      expect((await store.evidence.list(c.id)).map((x) => x.id)).toEqual([e.id, later.id]);
      expect((await store.evidence.listForCases([c.id, buildCase().id])).map((x) => x.id)).toEqual([e.id, later.id]);
    });

    it('updates only from the version it read, and deletes', async () => {
      const { c } = await caseWithOwner();
      const e = item(c.id);
      await store.evidence.create(e);
      const changed = await store.evidence.update(c.id, e.id, { ...data, title: 'Renamed' }, 1, '2026-01-03T00:00:00.000Z');
      expect(changed).toMatchObject({ version: 2, data: { title: 'Renamed' }, updatedAt: '2026-01-03T00:00:00.000Z' });
      expect(await store.evidence.update(c.id, e.id, { ...data, title: 'Stale' }, 1, '2026-01-04T00:00:00.000Z')).toBe('conflict');
      expect(await store.evidence.update(c.id, randomUUID(), data, 1, '2026-01-04T00:00:00.000Z')).toBeNull();
      expect((await store.evidence.find(c.id, e.id))?.data.title).toBe('Renamed');
      const racing = await Promise.all([
        store.evidence.update(c.id, e.id, { ...data, title: 'A' }, 2, '2026-01-05T00:00:00.000Z'),
        store.evidence.update(c.id, e.id, { ...data, title: 'B' }, 2, '2026-01-05T00:00:00.000Z'),
      ]);
      expect(racing.filter((r) => r === 'conflict')).toHaveLength(1);
      expect(await store.evidence.delete(c.id, e.id)).toBe(true);
      expect(await store.evidence.delete(c.id, e.id)).toBe(false);
    });
  });

  describe('decision rounds and ballots', () => {
    const round = (caseId: string, overrides: Partial<RoundRecord> = {}): RoundRecord => ({
      id: randomUUID(), caseId, question: 'Which treatment?', optionIds: [randomUUID(), randomUUID()], rule: 'simple_majority', threshold: null,
      quorum: { minVoters: 2, requiredDisciplines: ['oncology'] }, closesAt: null, visibility: 'open', status: 'open', openedBy: randomUUID(),
      openedAt: '2026-04-01T10:00:00.000Z', closedAt: null, closedBy: null, result: null, counted: null, briefText: null, briefState: null,
      recommendation: null, remindersSent: [], record: null, ...overrides,
    });

    it('keeps rounds per case and closes each exactly once', async () => {
      const { c } = await caseWithOwner();
      const r = round(c.id);
      const timed = round(c.id, { closesAt: '2026-04-02T10:00:00.000Z', openedAt: '2026-04-01T11:00:00.000Z' });
      await store.rounds.create(r);
      await store.rounds.create(timed);
      expect(await store.rounds.find(c.id, r.id)).toEqual(r);
      expect(await store.rounds.find(buildCase().id, r.id)).toBeNull();
      expect((await store.rounds.listByCase(c.id)).map((x) => x.id)).toEqual([r.id, timed.id]);
      expect((await store.rounds.listOpenWithClosingTime()).map((x) => x.id)).toContain(timed.id);
      const record = {
        options: [{ id: 'o1', title: 'Option A', description: '', expectedBenefit: 'b', risks: 'r', burden: '', evidenceIds: ['e1'] }],
        evidence: [{ id: 'e1', kind: 'trial' as const, title: 'T', citation: 'C', url: '', year: 2020, summary: '', strength: 'high' as const }],
        team: [{ id: 'u1', name: 'Ada', discipline: 'oncology' as const, role: 'owner' as const }],
        contributions: { u1: { comments: 2, evidence: 1, ballots: 1 } }, voters: { u1: 'Ada' },
      };
      const closing = { closedAt: '2026-04-01T12:00:00.000Z', closedBy: null, result: null, counted: { a: 1 }, briefText: 'Brief then', briefState: 'AAAA', record };
      expect(await store.rounds.close(c.id, timed.id, closing)).toBeNull(); // not begun
      const begun = await Promise.all([store.rounds.beginClose(c.id, timed.id), store.rounds.beginClose(c.id, timed.id)]);
      expect(begun.filter(Boolean)).toHaveLength(1);
      expect((await store.rounds.find(c.id, timed.id))?.status).toBe('closing');
      expect((await store.rounds.listOpenWithClosingTime()).map((x) => x.id)).toContain(timed.id); // a close left half-done is found
      const [first, second] = await Promise.all([store.rounds.close(c.id, timed.id, closing), store.rounds.close(c.id, timed.id, { ...closing, counted: { b: 2 } })]);
      expect([first, second].filter((x) => x !== null)).toHaveLength(1);
      expect((await store.rounds.find(c.id, timed.id))?.status).toBe('closed');
      expect((await store.rounds.listOpenWithClosingTime()).map((x) => x.id)).not.toContain(timed.id);
      expect(await store.rounds.find(c.id, timed.id)).toMatchObject({ briefText: 'Brief then', briefState: 'AAAA', recommendation: null, record });
      // A recommendation is written once, and only on a closed round.
      const rec = { optionId: timed.optionIds[0]!, optionTitle: 'Option A', text: 'We recommend A.', writtenBy: 'u1', writtenAt: '2026-04-01T13:00:00.000Z' };
      expect(await store.rounds.recommend(c.id, r.id, rec)).toBeNull();
      expect((await store.rounds.recommend(c.id, timed.id, rec))?.recommendation).toEqual(rec);
      expect(await store.rounds.recommend(c.id, timed.id, { ...rec, text: 'Changed later' })).toBeNull();
      expect((await store.rounds.find(c.id, timed.id))?.recommendation?.text).toBe('We recommend A.');
    });

    it('keeps one ballot per member per round, even when fifty arrive at once', async () => {
      const { c } = await caseWithOwner();
      const r = round(c.id);
      await store.rounds.create(r);
      const voters = Array.from({ length: 10 }, () => randomUUID());
      await Promise.all(Array.from({ length: 50 }, (_, i) => store.ballots.put({
        roundId: r.id, caseId: c.id, voterId: voters[i % 10]!, discipline: 'nursing', defer: null,
        stances: { [r.optionIds[0]!]: { stance: 'support', rationale: '' } }, updatedAt: 'x', at: `2026-04-01T10:00:${String(i).padStart(2, '0')}.000Z`,
      })));
      const ballots = await store.ballots.listByRound(r.id);
      expect(ballots).toHaveLength(10);
      expect(ballots.map((b) => b.version).reduce((a, b) => a + b)).toBe(50);
    });

    it('changes a ballot with a new version, and restores it as it was', async () => {
      const { c } = await caseWithOwner();
      const r = round(c.id);
      await store.rounds.create(r);
      const voter = randomUUID();
      const put = (stance: 'support' | 'object', at: string) => store.ballots.put({
        roundId: r.id, caseId: c.id, voterId: voter, discipline: 'pharmacy', defer: null, stances: { [r.optionIds[0]!]: { stance, rationale: 'why' } }, updatedAt: at, at,
      });
      const { ballot: first, previous: none } = await put('support', '2026-04-01T10:00:00.000Z');
      expect(none).toBeNull();
      expect(first).toMatchObject({ version: 1, castAt: '2026-04-01T10:00:00.000Z' });
      expect(await store.ballots.find(r.id, voter)).toEqual(first);
      const { ballot: second, previous } = await put('object', '2026-04-01T10:05:00.000Z');
      expect(previous).toEqual(first); // exactly what this write replaced
      expect(second).toMatchObject({ version: 2, castAt: '2026-04-01T10:00:00.000Z', updatedAt: '2026-04-01T10:05:00.000Z' });
      expect(await store.ballots.find(r.id, voter)).toEqual(second);
      expect(await store.ballots.restore(r.id, voter, first, 1)).toBe(false); // the stored one is version 2, not 1
      expect((await store.ballots.find(r.id, voter))?.version).toBe(2);
      expect(await store.ballots.restore(r.id, voter, first, 2)).toBe(true);
      expect(await store.ballots.find(r.id, voter)).toEqual(first);
      expect(await store.ballots.restore(r.id, voter, null, 1)).toBe(true);
      expect(await store.ballots.find(r.id, voter)).toBeNull();
    });
  });

  describe('audit', () => {
    it('lists a case audit newest first, up to the limit', async () => {
      const { c } = await caseWithOwner();
      await store.audit.append(buildAudit({ caseId: c.id, action: 'case.created', at: '2026-01-01T00:00:00.000Z', fields: [] }));
      await store.audit.append(buildAudit({ caseId: c.id, action: 'case.updated', at: '2026-01-02T00:00:00.000Z', fields: ['title'] }));
      await store.audit.append(buildAudit({ caseId: c.id, action: 'member.added', at: '2026-01-03T00:00:00.000Z', target: 'u1', fields: [] }));
      await store.audit.append(buildAudit({ caseId: buildCase().id, action: 'case.created' }));
      const entries = await store.audit.listByCase(c.id, 2);
      expect(entries.map((e) => e.action)).toEqual(['member.added', 'case.updated']);
      expect(entries[0]).toMatchObject({ target: 'u1', fields: [] });
      expect(entries[1]).toMatchObject({ fields: ['title'] });
    });
  });

  describe('conference audit, settings, feeds and reminders', () => {
    it('keeps entries about a conference apart from case entries, newest first', async () => {
      const conferenceId = randomUUID();
      await store.audit.append(buildAudit({ caseId: null, conferenceId, action: 'conference.scheduled', at: '2026-01-01T00:00:00.000Z', fields: ['title'] }));
      await store.audit.append(buildAudit({ caseId: null, conferenceId, action: 'conference.cancelled', at: '2026-01-02T00:00:00.000Z', fields: [] }));
      const entries = await store.audit.listByConference(conferenceId, 10);
      expect(entries.map((e) => [e.action, e.caseId, e.conferenceId])).toEqual([['conference.cancelled', null, conferenceId], ['conference.scheduled', null, conferenceId]]);
      expect(await store.audit.listByConference(randomUUID(), 10)).toEqual([]);
    });

    it('stores reminder settings and one calendar feed token hash per user, found by its hash until revoked', async () => {
      const u = buildUser();
      await store.users.create(u);
      expect((await store.users.findById(u.id))?.reminderMinutes).toBe(15);
      expect((await store.users.updateSettings(u.id, { reminderMinutes: 45 }))?.reminderMinutes).toBe(45);
      expect(await store.users.updateSettings(randomUUID(), { reminderMinutes: 5 })).toBeNull();
      await store.users.setCalendarToken(u.id, 'hash-one');
      expect((await store.users.findByCalendarToken('hash-one'))?.id).toBe(u.id);
      await store.users.setCalendarToken(u.id, 'hash-two');
      expect(await store.users.findByCalendarToken('hash-one')).toBeNull();
      await store.users.setCalendarToken(u.id, null);
      expect(await store.users.findByCalendarToken('hash-two')).toBeNull();
      // Many users without a feed do not collide on the unique rule.
      const other = buildUser();
      await store.users.create(other);
      await store.users.setCalendarToken(other.id, null);
    });

    it('stores a notification with a given id once: a second try is not new', async () => {
      const n = {
        id: randomUUID(), userId: randomUUID(), caseId: null, kind: 'conference_reminder' as const, threadId: null,
        conferenceId: randomUUID(), occurrence: '2026-03-19T07:00:00.000Z', actorId: null, createdAt: '2026-03-19T06:45:00.000Z', readAt: null,
      };
      const tries = await Promise.all([store.notifications.createOnce(n), store.notifications.createOnce(n), store.notifications.createOnce(n)]);
      expect(tries.filter(Boolean)).toHaveLength(1);
      expect(await store.notifications.listForUser(n.userId, 10)).toEqual([n]);
    });
  });

  describe('conferences', () => {
    const conference = (over: Partial<ConferenceRecord> = {}): ConferenceRecord => ({
      id: randomUUID(), title: 'Tumour board', kind: 'case_conference', status: 'scheduled', organizerId: randomUUID(), chairId: randomUUID(),
      timeZone: 'Europe/Berlin', start: '2026-03-19T07:00:00.000Z', end: '2026-03-19T08:00:00.000Z', rrule: null, exceptions: [],
      location: '', videoUrl: '', notes: '', attendees: [], agenda: [], poll: null, live: [], sequence: 0,
      caseIds: [], peopleIds: [], spanStart: '2026-03-19T07:00:00.000Z', spanEnd: '2026-03-19T08:00:00.000Z',
      version: 1, createdAt: '2026-03-01T00:00:00.000Z', updatedAt: '2026-03-01T00:00:00.000Z', ...over,
    });

    it('stores a conference whole, with nested agenda, poll and live state, and refuses a taken id', async () => {
      const c = conference({
        attendees: [{ userId: randomUUID(), response: 'pending', respondedAt: null }],
        agenda: [{ id: randomUUID(), occurrence: '2026-03-19T07:00:00.000Z', caseId: randomUUID(), minutes: 10, presenterId: null, complex: true, override: false, actualMinutes: null, outcome: null }],
        poll: { slots: [{ id: randomUUID(), start: '2026-03-19T07:00:00.000Z', end: '2026-03-19T08:00:00.000Z' }], answers: [], chosenSlotId: null },
        exceptions: [{ original: '2026-03-26T07:00:00.000Z', kind: 'skip' }],
      });
      await store.conferences.create(c);
      expect(await store.conferences.find(c.id)).toEqual(c);
      await expect(store.conferences.create(c)).rejects.toBeInstanceOf(UniqueViolation);
      expect(await store.conferences.find(randomUUID())).toBeNull();
    });

    it('replaces a conference only on the expected version, so one of two racing changes wins', async () => {
      const c = conference();
      await store.conferences.create(c);
      const [first, second] = await Promise.all([
        store.conferences.update({ ...c, title: 'First', version: 2 }, 1),
        store.conferences.update({ ...c, title: 'Second', version: 2 }, 1),
      ]);
      expect([first, second].filter((r) => r === 'conflict')).toHaveLength(1);
      const stored = (await store.conferences.find(c.id))!;
      expect(stored.version).toBe(2);
      expect(['First', 'Second']).toContain(stored.title);
      expect(await store.conferences.update({ ...c, id: randomUUID(), version: 2 }, 1)).toBeNull();
    });

    it('lists by person, by case and by time span, following changes of people and cases', async () => {
      const me = randomUUID();
      const myCase = randomUUID();
      const mine = conference({ peopleIds: [me], spanStart: '2026-03-19T07:00:00.000Z', spanEnd: '2026-03-19T08:00:00.000Z' });
      const viaCase = conference({ caseIds: [myCase], spanStart: '2026-04-01T07:00:00.000Z', spanEnd: '2026-06-01T08:00:00.000Z' });
      const polling = conference({ peopleIds: [me], status: 'polling', start: null, end: null, spanStart: null, spanEnd: null });
      const other = conference({ peopleIds: [randomUUID()], caseIds: [randomUUID()] });
      for (const c of [mine, viaCase, polling, other]) await store.conferences.create(c);
      const ids = (list: ConferenceRecord[]) => list.map((c) => c.id).sort();
      expect(ids(await store.conferences.listVisible(me, [myCase]))).toEqual([mine.id, viaCase.id, polling.id].sort());
      expect(ids(await store.conferences.listByCase(myCase))).toEqual([viaCase.id]);
      expect(ids(await store.conferences.listForPeople([me], '2026-03-19T07:30:00.000Z', '2026-03-19T07:45:00.000Z'))).toEqual([mine.id]);
      expect(await store.conferences.listForPeople([me], '2026-03-19T08:00:00.000Z', '2026-03-20T00:00:00.000Z')).toEqual([]); // touching is not overlapping
      expect(ids(await store.conferences.listScheduled('2026-05-01T00:00:00.000Z', '2026-05-02T00:00:00.000Z'))).toEqual([viaCase.id]);
      // The organizer leaves; the case moves to another conference.
      await store.conferences.update({ ...mine, peopleIds: [], version: 2 }, 1);
      await store.conferences.update({ ...viaCase, caseIds: [], version: 2 }, 1);
      await store.conferences.update({ ...other, caseIds: [myCase], version: 2 }, 1);
      expect(ids(await store.conferences.listVisible(me, [myCase]))).toEqual([polling.id, other.id].sort());
      expect(ids(await store.conferences.listByCase(myCase))).toEqual([other.id]);
    });
  });
}
