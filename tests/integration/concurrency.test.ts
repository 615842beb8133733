import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addMember, type ApiClient, closeClients, createCase, signUp } from '../helpers/clients.js';
import { buildCase, waitFor } from '../helpers/factories.js';
import { withLatency } from '../helpers/latency.js';
import { startTestServer, TEST_ENGINES, useTestServer } from '../helpers/server.js';

afterEach(closeClients);

if (!TEST_ENGINES.includes('mongo')) {
  const reason = 'concurrency on the mongo engine — SKIPPED: MONGODB_URI is not set';
  console.warn(reason);
  describe.skip(reason, () => it('runs on mongo', () => undefined)); // skipped: the reason is its name
}

describe.each(TEST_ENGINES)('concurrency on the %s engine', (engine) => {
  // Every store call takes up to 15 ms here, so concurrent requests interleave inside the store.
  const server = useTestServer({ engine, wrapStore: (store) => withLatency(store, 15) });

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

    it('lands every answer when twelve invitees answer a poll at the same moment', async () => {
      const { owner } = await team(0);
      const invitees = await Promise.all(Array.from({ length: 12 }, (_, i) => signUp(server, { name: `Invitee ${i}` })));
      const poll = (await owner.post('/api/conferences', {
        title: 'Family meeting', kind: 'family_meeting', timeZone: 'Europe/Berlin', attendeeIds: invitees.map((p) => p.user!.id),
        pollSlots: [{ start: '2027-03-23T14:00', end: '2027-03-23T15:00' }, { start: '2027-03-24T14:00', end: '2027-03-24T15:00' }],
      })).body.conference;
      const [s1, s2] = poll.poll.slots.map((s: { id: string }) => s.id);
      const answers = await Promise.all(invitees.map((p, i) => p.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: i % 3 === 0 ? 'no' : 'yes', [s2]: 'if_need_be' } })));
      expect(answers.map((a) => a.status)).toEqual(invitees.map(() => 200));
      const final = (await owner.get(`/api/conferences/${poll.id}`)).body.conference.poll;
      expect(final.waitingFor).toEqual([]);
      expect(final.slots.map((s: { yes: number; ifNeedBe: number; no: number }) => [s.yes, s.ifNeedBe, s.no])).toEqual([[8, 0, 4], [0, 12, 0]]);
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

    it('keeps exactly ten ballots and the right tally when ten members send fifty ballots at once', async () => {
      const { owner, members, caseId } = await team(9);
      const option = async (title: string) => (await owner.post(`/api/cases/${caseId}/options`, { title })).body.option.id as string;
      const [a, b] = [await option('A'), await option('B')];
      const round = (await owner.post(`/api/cases/${caseId}/rounds`, { question: 'Which?', optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } })).body.round;
      const voters = [owner, ...members];
      // Everyone sends five ballots at once; each member's last word is "support A" for the first
      // seven members and "object to A" for the other three.
      const sends = voters.flatMap((v, i) => Array.from({ length: 5 }, () =>
        v.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: i < 7 ? { stance: 'support' } : { stance: 'object', rationale: 'no' } } })));
      const answers = await Promise.all(sends);
      expect(answers.every((r) => r.status === 200)).toBe(true);
      const seen = (await owner.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round;
      expect(seen.voters).toHaveLength(10);
      expect(seen.result.tallies[0]).toMatchObject({ support: 7, object: 3 });
      expect(await server().store.ballots.listByRound(round.id)).toHaveLength(10);
    });

    it('either counts a ballot that races the close or refuses it, never both', async () => {
      const { owner, members, caseId } = await team(1);
      const option = async (title: string) => (await owner.post(`/api/cases/${caseId}/options`, { title })).body.option.id as string;
      const [a, b] = [await option('A'), await option('B')];
      const outcomes = { counted: 0, refused: 0 };
      for (let round = 0; round < 10; round++) {
        const r = (await owner.post(`/api/cases/${caseId}/rounds`, { question: `Round ${round}`, optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } })).body.round;
        await owner.request('PUT', `/api/cases/${caseId}/rounds/${r.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
        const [vote, close] = await Promise.all([
          members[0]!.request('PUT', `/api/cases/${caseId}/rounds/${r.id}/ballot`, { stances: { [b]: { stance: 'support' } } }),
          owner.post(`/api/cases/${caseId}/rounds/${r.id}/close`, {}),
        ]);
        expect(close.status).toBe(200);
        const final = (await owner.get(`/api/cases/${caseId}/rounds/${r.id}`)).body.round;
        const counted = final.result.tallies[1].support === 1;
        const stored = final.ballots.some((x: { voter: { id: string } }) => x.voter.id === members[0]!.user!.id);
        if (vote.status === 200) {
          expect([counted, stored]).toEqual([true, true]);
          outcomes.counted++;
        } else {
          expect(vote.status).toBe(409);
          expect([counted, stored]).toEqual([false, false]);
          outcomes.refused++;
        }
      }
      // Whichever ending each race has, nothing is half-counted (the next test forces the refusal).
      expect(outcomes.counted + outcomes.refused).toBe(10);
    });

    it('keeps the stored ballot and the final count in agreement when one member sends two ballots during the close', async () => {
      const { owner, members, caseId } = await team(1);
      const option = async (title: string) => (await owner.post(`/api/cases/${caseId}/options`, { title })).body.option.id as string;
      const [a, b] = [await option('A'), await option('B')];
      for (let i = 0; i < 8; i++) {
        const r = (await owner.post(`/api/cases/${caseId}/rounds`, { question: `Twice ${i}`, optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } })).body.round;
        const put = (option: string) => members[0]!.request('PUT', `/api/cases/${caseId}/rounds/${r.id}/ballot`, { stances: { [option]: { stance: 'support' } } });
        await Promise.all([put(a), put(b), owner.post(`/api/cases/${caseId}/rounds/${r.id}/close`, {})]);
        const stored = await server().store.ballots.find(r.id, members[0]!.user!.id);
        const closed = await server().store.rounds.find(caseId, r.id);
        expect(closed?.counted?.[members[0]!.user!.id] ?? null, `round ${i}`).toBe(stored?.version ?? null);
      }
    });

    it('refuses, and undoes, a ballot that lands after the close took its count', async () => {
      // A deterministic interleaving: the ballot's write waits until the close has counted and closed.
      let release: (() => void) | null = null;
      let armed = false;
      const gated = await startTestServer({
        engine,
        wrapStore: (store) => {
          /** The repository with some of its methods replaced. */
          const override = <R extends object>(repo: R, methods: Partial<R>): R =>
            new Proxy(repo, { get: (t, k) => (k in methods ? (methods as Record<PropertyKey, unknown>)[k] : (Reflect.get(t, k, t) as (...a: unknown[]) => unknown).bind(t)) });
          const ballots = override(store.ballots, {
            put: async (...args: Parameters<typeof store.ballots.put>) => {
              if (armed) await new Promise<void>((r) => (release = r));
              return store.ballots.put(...args);
            },
          });
          const rounds = override(store.rounds, {
            close: async (...args: Parameters<typeof store.rounds.close>) => {
              const closed = await store.rounds.close(...args);
              release?.();
              return closed;
            },
          });
          return new Proxy(store, { get: (t, k) => (k === 'ballots' ? ballots : k === 'rounds' ? rounds : Reflect.get(t, k, t)) });
        },
      });
      try {
        const g = () => gated;
        const owner = await signUp(g);
        const nurse = await signUp(g);
        const c = await createCase(owner);
        await addMember(owner, c.id, nurse, 'commenter');
        const option = async (title: string) => (await owner.post(`/api/cases/${c.id}/options`, { title })).body.option.id as string;
        const [a, b] = [await option('A'), await option('B')];
        const r = (await owner.post(`/api/cases/${c.id}/rounds`, { question: 'Which?', optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } })).body.round;
        await owner.request('PUT', `/api/cases/${c.id}/rounds/${r.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
        armed = true;
        const late = nurse.request('PUT', `/api/cases/${c.id}/rounds/${r.id}/ballot`, { stances: { [b]: { stance: 'support' } } });
        await waitFor(() => release !== null, { what: "the nurse's ballot to wait at the store" });
        armed = false;
        expect((await owner.post(`/api/cases/${c.id}/rounds/${r.id}/close`, {})).status).toBe(200);
        const refused = await late;
        expect(refused.status).toBe(409);
        expect(refused.body.error.message).toMatch(/closed/);
        const final = (await owner.get(`/api/cases/${c.id}/rounds/${r.id}`)).body.round;
        expect(final.ballots.map((x: { voter: { id: string } }) => x.voter.id)).toEqual([owner.user!.id]);
        expect(final.result.tallies[1].support).toBe(0);
      } finally {
        closeClients();
        await gated.close();
      }
    });
  });
});
