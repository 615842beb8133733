import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/events.js';
import { addMember, closeClients, connectSocket, createCase, emitAck, signUp } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

async function team() {
  const owner = await signUp(server, { name: 'Ada Owner' });
  const editor = await signUp(server, { name: 'Eli Editor' });
  const commenter = await signUp(server, { name: 'Cy Commenter' });
  const c = await createCase(owner);
  await addMember(owner, c.id, editor, 'editor');
  await addMember(owner, c.id, commenter, 'commenter');
  const trial = (await owner.post(`/api/cases/${c.id}/evidence`, { kind: 'trial', title: 'KEYNOTE-024', strength: 'high' })).body.evidence;
  return { owner, editor, commenter, caseId: c.id, trial };
}

const pembro = (evidenceIds: string[]) => ({
  title: 'Pembrolizumab monotherapy', description: '200 mg every 3 weeks.', expectedBenefit: 'Longer survival than chemotherapy.',
  risks: 'Immune-related adverse events.', burden: 'An infusion visit every three weeks; prior authorization needed.', evidenceIds,
});

describe('options (tailored alternatives)', () => {
  it('are proposed by editors and owners with their supporting evidence; commenters read them', async () => {
    const { owner, editor, commenter, caseId, trial } = await team();
    const created = await editor.post(`/api/cases/${caseId}/options`, pembro([trial.id]));
    expect(created.status).toBe(201);
    expect(created.body.option).toMatchObject({ ...pembro([trial.id]), createdBy: { name: 'Eli Editor' } });
    expect((await commenter.post(`/api/cases/${caseId}/options`, pembro([]))).status).toBe(403);
    expect((await commenter.get(`/api/cases/${caseId}/options`)).body.options).toHaveLength(1);
    const changed = await owner.patch(`/api/cases/${caseId}/options/${created.body.option.id}`, { burden: 'Home infusion possible.' });
    expect(changed.body.option).toMatchObject({ burden: 'Home infusion possible.', title: 'Pembrolizumab monotherapy' });
    const audit = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 2)).toEqual(['option.updated', 'option.added']);
  });

  it('refuse evidence that is not in the case library, and forget evidence deleted from it', async () => {
    const { owner, caseId, trial } = await team();
    const other = await createCase(owner);
    const foreign = (await owner.post(`/api/cases/${other.id}/evidence`, { kind: 'guideline', title: 'Elsewhere', strength: 'low' })).body.evidence;
    for (const ids of [[foreign.id], [randomUUID()]]) {
      const res = await owner.post(`/api/cases/${caseId}/options`, pembro(ids));
      expect(res.status).toBe(400);
      expect(res.body.error.fields).toEqual({ evidenceIds: "names an item that is not in this case's evidence library" });
    }
    expect((await owner.post(`/api/cases/${caseId}/options`, pembro([trial.id, trial.id]))).body.error.fields.evidenceIds).toMatch(/twice/);
    const id = (await owner.post(`/api/cases/${caseId}/options`, pembro([trial.id]))).body.option.id;
    const asked = await owner.delete(`/api/cases/${caseId}/evidence/${trial.id}`);
    expect(asked.status).toBe(409);
    expect(asked.body.error).toMatchObject({ code: 'confirmation_required' });
    expect(asked.body.error.message).toMatch(/an option rests on it \(Pembrolizumab monotherapy\)/);
    expect((await owner.delete(`/api/cases/${caseId}/evidence/${trial.id}?confirm=true`)).status).toBe(204);
    const options = (await owner.get(`/api/cases/${caseId}/options`)).body.options;
    expect(options).toEqual([expect.objectContaining({ id, evidenceIds: [] })]);
  });

  it('can carry a comment thread, and reach everyone in the case live', async () => {
    const { owner, commenter, caseId } = await team();
    const s = await connectSocket(commenter);
    await emitAck(s, EVENTS.caseJoin, { caseId });
    const heard: any[] = [];
    s.on(EVENTS.itemChanged, (p) => heard.push(p));
    const option = (await owner.post(`/api/cases/${caseId}/options`, pembro([]))).body.option;
    await waitFor(() => heard.some((p) => p.kind === 'option' && p.item.id === option.id), { what: 'the new option, live' });
    const thread = await commenter.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'option', optionId: option.id }, body: 'Cost for the family?', requestId: randomUUID() });
    expect(thread.status).toBe(201);
    expect(thread.body.thread.anchor).toEqual({ kind: 'option', optionId: option.id });
  });
});
