import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addMember, type ApiClient, closeClients, createCase, signUp } from '../helpers/clients.js';
import { buildCase } from '../helpers/factories.js';
import { withLatency } from '../helpers/latency.js';
import { useTestServer } from '../helpers/server.js';

// Every store call takes up to 15 ms here, so concurrent requests interleave inside the store.
const server = useTestServer({ wrapStore: (store) => withLatency(store, 15) });
afterEach(closeClients);

async function team(n: number) {
  const owner = await signUp(server, { name: 'Owner' });
  const c = await createCase(owner);
  const members: ApiClient[] = [];
  for (let i = 0; i < n; i++) {
    const m = await signUp(server, { name: `Member ${i}` });
    await addMember(owner, c.id, m, 'editor');
    members.push(m);
  }
  return { owner, members, caseId: c.id };
}

describe('under interleaving requests', () => {
  it('lands twenty replies and their retries, sent all at once, exactly once each', async () => {
    const { owner, members, caseId } = await team(3);
    const t = (await owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'start', requestId: randomUUID() })).body.thread.id;
    const writers = [owner, ...members];
    const posts = Array.from({ length: 20 }, (_, i) => ({ who: writers[i % writers.length]!, body: `reply ${i}`, requestId: randomUUID() }));
    // Each post is sent twice at the same moment, as a client retrying a slow request would.
    const answers = await Promise.all([...posts, ...posts].map((p) => p.who.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: p.body, requestId: p.requestId })));
    expect(answers.every((a) => a.status === 201 || a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(20);
    const messages = (await owner.get(`/api/cases/${caseId}/threads/${t}`)).body.thread.messages;
    expect(messages.map((m: { body: string }) => m.body).sort()).toEqual(['start', ...posts.map((p) => p.body)].sort());
    const times = messages.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('makes one thread of eight simultaneous posts of the same new thread', async () => {
    const { owner, caseId } = await team(0);
    const requestId = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'once', requestId })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.thread.id)).size).toBe(1);
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.threads).toHaveLength(1);
  });

  it('refuses a request id reused for a different post', async () => {
    const { owner, caseId } = await team(0);
    const requestId = randomUUID();
    const first = await owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'first', requestId });
    const other = await owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'something else', requestId });
    expect(other.status).toBe(409);
    expect(other.body.error.fields).toEqual({ requestId: 'was already used for a different post' });
    const asReply = await owner.post(`/api/cases/${caseId}/threads/${first.body.thread.id}/messages`, { body: 'first', requestId });
    expect(asReply.status).toBe(409);
  });

  it('keeps all of four simultaneous changes to different fields of one record', async () => {
    const { owner, members: [editor], caseId } = await team(1);
    const id = (await owner.post(`/api/cases/${caseId}/coverage`, { payer: 'Acme', requested: 'Drug', submittedOn: '2026-01-02' })).body.request.id;
    for (let round = 0; round < 5; round++) {
      const changes = [{ referenceNumber: `REF-${round}` }, { payerWording: `Wording ${round}` }, { payer: `Payer ${round}` }, { requested: `Drug ${round}` }];
      const answers = await Promise.all(changes.map((change, i) => (i % 2 ? editor! : owner).patch(`/api/cases/${caseId}/coverage/${id}`, change)));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
      expect((await owner.get(`/api/cases/${caseId}/coverage`)).body.requests[0]).toMatchObject(Object.assign({}, ...changes));
    }
  });

  it('creates the standard readiness items once when many open the checklist at once', async () => {
    const { owner } = await team(0);
    // A case stored without its checklist, as if created before checklists existed.
    const record = buildCase({ createdBy: owner.user!.id });
    await server().store.cases.create(record);
    await server().store.memberships.add({ caseId: record.id, userId: owner.user!.id, role: 'owner', discipline: 'nursing', addedBy: owner.user!.id, addedAt: record.createdAt });
    const lists = await Promise.all(Array.from({ length: 10 }, () => owner.get(`/api/cases/${record.id}/readiness`)));
    expect(lists.every((l) => l.status === 200 && l.body.items.length === 7)).toBe(true);
    expect(await server().store.readiness.list(record.id)).toHaveLength(7);
  });

  it('clears unread counts of a deleted thread, even with a reply racing the deletion', async () => {
    const { owner, members: [editor], caseId } = await team(1);
    const t = (await owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'x', requestId: randomUUID() })).body.thread.id;
    await Promise.all([
      owner.delete(`/api/cases/${caseId}/threads/${t}`),
      owner.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: 'racing', requestId: randomUUID() }),
    ]);
    expect((await editor!.get('/api/cases')).body.cases[0].health.unread).toBe(0);
    expect((await editor!.get(`/api/cases/${caseId}/threads`)).body.unread).toEqual({ caseId, unread: 0, byThread: {} });
  });
});
