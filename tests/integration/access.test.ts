import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { addMember, type ApiClient, closeClients, createCase, signUp } from '../helpers/clients.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

/**
 * Every route of a case, with a body a member could send. The table is the contract: a
 * stranger gets the same 404 as for a case that does not exist, and each write needs its role.
 */
async function world() {
  const owner = await signUp(server, { name: 'Owner' });
  const c = await createCase(owner);
  const roles: Record<string, Awaited<ReturnType<typeof signUp>>> = {};
  for (const role of ['editor', 'commenter', 'viewer']) {
    roles[role] = await signUp(server, { name: role });
    await addMember(owner, c.id, roles[role]!, role);
  }
  const thread = (await owner.post(`/api/cases/${c.id}/threads`, { anchor: { kind: 'case' }, body: 'hello', requestId: randomUUID() })).body.thread;
  const evidence = (await owner.post(`/api/cases/${c.id}/evidence`, { kind: 'guideline', title: 'NCCN', strength: 'high' })).body.evidence;
  const entry = (await owner.post(`/api/cases/${c.id}/stakeholders`, { stakeholder: 'insurer', who: 'Reviewer', channel: 'fax', date: '2026-01-05' })).body.entry;
  const coverage = (await owner.post(`/api/cases/${c.id}/coverage`, { payer: 'Acme', requested: 'Drug', submittedOn: '2026-01-02' })).body.request;
  const readiness = (await owner.get(`/api/cases/${c.id}/readiness`)).body.items[0];
  const added = (await owner.post(`/api/cases/${c.id}/readiness`, { label: 'Genomic panel' })).body.item;
  const message = thread.messages[0];
  const option = (await owner.post(`/api/cases/${c.id}/options`, { title: 'Watchful waiting' })).body.option;
  const second = (await owner.post(`/api/cases/${c.id}/options`, { title: 'Second-line therapy' })).body.option;
  const roundBody = { question: 'Which?', optionIds: [option.id, second.id], rule: 'consensus', quorum: { minVoters: 1, requiredDisciplines: [] } };
  const round = (await owner.post(`/api/cases/${c.id}/rounds`, roundBody)).body.round;
  const t = `/api/cases/${c.id}/threads/${thread.id}`;
  const routes: { method: string; path: string; body?: object; lowest: 'viewer' | 'commenter' | 'editor' | 'owner' }[] = [
    { method: 'GET', path: `/api/cases/${c.id}/threads`, lowest: 'viewer' },
    { method: 'GET', path: t, lowest: 'viewer' },
    { method: 'POST', path: `${t}/read`, body: {}, lowest: 'viewer' },
    { method: 'POST', path: `/api/cases/${c.id}/threads`, body: { anchor: { kind: 'case' }, body: 'x', requestId: randomUUID() }, lowest: 'commenter' },
    { method: 'POST', path: `${t}/messages`, body: { body: 'x', requestId: randomUUID() }, lowest: 'commenter' },
    { method: 'PATCH', path: t, body: { status: 'resolved' }, lowest: 'commenter' },
    { method: 'GET', path: `/api/cases/${c.id}/evidence`, lowest: 'viewer' },
    { method: 'POST', path: `/api/cases/${c.id}/evidence`, body: { kind: 'trial', title: 'T', strength: 'low' }, lowest: 'editor' },
    { method: 'PATCH', path: `/api/cases/${c.id}/evidence/${evidence.id}`, body: { title: 'T2' }, lowest: 'editor' },
    { method: 'GET', path: `/api/cases/${c.id}/stakeholders`, lowest: 'viewer' },
    { method: 'POST', path: `/api/cases/${c.id}/stakeholders`, body: { stakeholder: 'family', who: 'Son', channel: 'phone', date: '2026-01-06' }, lowest: 'editor' },
    { method: 'PATCH', path: `/api/cases/${c.id}/stakeholders/${entry.id}`, body: { status: 'resolved' }, lowest: 'editor' },
    { method: 'GET', path: `/api/cases/${c.id}/coverage`, lowest: 'viewer' },
    { method: 'POST', path: `/api/cases/${c.id}/coverage`, body: { payer: 'B', requested: 'Scan', submittedOn: '2026-01-03' }, lowest: 'editor' },
    { method: 'PATCH', path: `/api/cases/${c.id}/coverage/${coverage.id}`, body: { referenceNumber: 'R-1' }, lowest: 'editor' },
    { method: 'GET', path: `/api/cases/${c.id}/readiness`, lowest: 'viewer' },
    { method: 'GET', path: `/api/cases/${c.id}/options`, lowest: 'viewer' },
    { method: 'GET', path: `/api/cases/${c.id}/rounds`, lowest: 'viewer' },
    { method: 'GET', path: `/api/cases/${c.id}/rounds/${round.id}`, lowest: 'viewer' },
    { method: 'POST', path: `/api/cases/${c.id}/rounds`, body: roundBody, lowest: 'editor' },
    { method: 'PUT', path: `/api/cases/${c.id}/rounds/${round.id}/ballot`, body: { stances: { [option.id]: { stance: 'support' } } }, lowest: 'commenter' },
    { method: 'POST', path: `/api/cases/${c.id}/options`, body: { title: 'Option' }, lowest: 'editor' },
    { method: 'PATCH', path: `/api/cases/${c.id}/options/${option.id}`, body: { risks: 'Some' }, lowest: 'editor' },
    { method: 'POST', path: `/api/cases/${c.id}/rounds/${round.id}/close`, body: {}, lowest: 'owner' },
    { method: 'DELETE', path: `/api/cases/${c.id}/options/${option.id}`, lowest: 'editor' },
    { method: 'PATCH', path: `/api/cases/${c.id}/readiness/${readiness.id}`, body: { state: 'partial' }, lowest: 'editor' },
    { method: 'POST', path: `/api/cases/${c.id}/readiness`, body: { label: 'Extra' }, lowest: 'owner' },
    // Only the author edits or deletes a message; only the creator (here the owner) or an owner deletes a thread.
    { method: 'PATCH', path: `${t}/messages/${message.id}`, body: { body: 'edited' }, lowest: 'owner' },
    { method: 'PATCH', path: `/api/cases/${c.id}/readiness/${added.id}`, body: { required: false }, lowest: 'owner' },
    { method: 'DELETE', path: `${t}/messages/${message.id}`, lowest: 'owner' },
    { method: 'DELETE', path: t, lowest: 'owner' },
    { method: 'DELETE', path: `/api/cases/${c.id}/readiness/${added.id}`, lowest: 'owner' },
    { method: 'DELETE', path: `/api/cases/${c.id}/evidence/${evidence.id}`, lowest: 'editor' },
    { method: 'DELETE', path: `/api/cases/${c.id}/stakeholders/${entry.id}`, lowest: 'editor' },
    { method: 'DELETE', path: `/api/cases/${c.id}/coverage/${coverage.id}`, lowest: 'editor' },
  ];
  return { owner, roles, caseId: c.id, routes };
}

const ORDER = ['viewer', 'commenter', 'editor', 'owner'] as const;

describe('access to discussion and records', () => {
  it('answers a stranger exactly as for a case that does not exist, on every route', async () => {
    const { caseId, routes } = await world();
    const stranger = await signUp(server);
    const missing = randomUUID();
    for (const r of routes) {
      const real = await stranger.request(r.method, r.path, r.body);
      const fake = await stranger.request(r.method, r.path.replace(caseId, missing), r.body);
      expect(real.status, `${r.method} ${r.path}`).toBe(404);
      expect(real.body, `${r.method} ${r.path}`).toEqual(fake.body);
    }
  });

  it('gives each role exactly the writes its abilities allow', async () => {
    const { owner, roles, routes } = await world();
    const who: Record<string, ApiClient> = { ...roles, owner };
    for (const r of routes) {
      for (const role of ORDER) {
        if (role === 'owner' && r.method === 'DELETE') continue; // deletes run once below, by the lowest allowed role
        const allowed = ORDER.indexOf(role) >= ORDER.indexOf(r.lowest);
        if (r.method === 'DELETE' && role !== r.lowest && allowed) continue;
        const res = await who[role]!.request(r.method, r.path, r.body && { ...r.body, ...('requestId' in r.body ? { requestId: randomUUID() } : {}) });
        expect(res.status < 400, `${role} ${r.method} ${r.path} → ${res.status} ${JSON.stringify(res.body)}`).toBe(allowed);
        if (!allowed) expect(res.status, `${role} ${r.method} ${r.path}`).toBe(403);
      }
    }
  });
});
