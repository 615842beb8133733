import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import { EVENTS } from '../../shared/events.js';
import { addMember, type ApiClient, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

// The edge of the world: a clock fixed at a known day, moved by the tests.
let now = Date.parse('2026-03-10T15:00:00Z');
const clock = { now: () => new Date(now) };
const server = useTestServer({ clock, config: { sessionTtlHours: 24 * 365 } }); // days pass in these tests
afterEach(closeClients);

async function team() {
  const owner = await signUp(server, { name: 'Ada Owner' });
  const editor = await signUp(server, { name: 'Eli Editor' });
  const commenter = await signUp(server, { name: 'Cy Commenter' });
  const viewer = await signUp(server, { name: 'Vi Viewer' });
  const c = await createCase(owner);
  await addMember(owner, c.id, editor, 'editor');
  await addMember(owner, c.id, commenter, 'commenter');
  await addMember(owner, c.id, viewer, 'viewer');
  return { owner, editor, commenter, viewer, caseId: c.id };
}

const health = async (who: ApiClient, caseId: string) => (await who.get(`/api/cases/${caseId}`)).body.case.health;

describe('evidence library', () => {
  const trial = { kind: 'trial', title: 'KEYNOTE-024', citation: 'Reck M, et al. N Engl J Med 2016;375:1823-33.', url: 'https://doi.org/10.1056/NEJMoa1606774', year: 2016, summary: 'Overall survival benefit.', strength: 'high' };

  it('lets editors and owners keep the library; commenters and viewers read it', async () => {
    const { owner, editor, commenter, viewer, caseId } = await team();
    const added = await editor.post(`/api/cases/${caseId}/evidence`, trial);
    expect(added.status).toBe(201);
    expect(added.body.evidence).toMatchObject({ ...trial, createdBy: { name: 'Eli Editor' } });
    for (const who of [commenter, viewer]) {
      expect((await who.post(`/api/cases/${caseId}/evidence`, trial)).status).toBe(403);
      expect((await who.patch(`/api/cases/${caseId}/evidence/${added.body.evidence.id}`, { title: 'x' })).status).toBe(403);
      expect((await who.delete(`/api/cases/${caseId}/evidence/${added.body.evidence.id}`)).status).toBe(403);
      expect((await who.get(`/api/cases/${caseId}/evidence`)).body.evidence).toHaveLength(1);
    }
    const changed = await owner.patch(`/api/cases/${caseId}/evidence/${added.body.evidence.id}`, { strength: 'moderate', year: null });
    expect(changed.body.evidence).toMatchObject({ strength: 'moderate', year: null, title: 'KEYNOTE-024' });
    const stranger = await signUp(server);
    expect((await stranger.get(`/api/cases/${caseId}/evidence`)).status).toBe(404);
  });

  it('refuses bad fields, including links that are not web addresses', async () => {
    const { owner, caseId } = await team();
    const res = await owner.post(`/api/cases/${caseId}/evidence`, { ...trial, url: 'javascript:alert(1)', year: 1492, strength: 'strong', kind: 'rumour' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toMatchObject({ url: 'must start with http:// or https://', year: 'must be 1900 or later' });
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['kind', 'strength', 'url', 'year']);
    expect((await owner.get(`/api/cases/${caseId}/evidence`)).body.evidence).toEqual([]);
  });

  it('asks for confirmation before deleting an item the brief still cites', async () => {
    const { owner, caseId } = await team();
    const id = (await owner.post(`/api/cases/${caseId}/evidence`, trial)).body.evidence.id;
    const a = connectBrief(owner, caseId);
    await synced(a.provider);
    const cite = () => {
      const el = new Y.XmlElement('citation');
      el.setAttribute('evidenceId', id);
      return el;
    };
    const paragraph = a.doc.getXmlFragment(BRIEF_FRAGMENT).get(6) as Y.XmlElement;
    paragraph.insert(paragraph.length, [cite(), cite()]);
    await waitFor(async () => (await owner.delete(`/api/cases/${caseId}/evidence/${id}`)).status === 409, { what: 'the citation to reach the server' });
    const refused = await owner.delete(`/api/cases/${caseId}/evidence/${id}`);
    expect(refused.body.error).toMatchObject({ code: 'confirmation_required', fields: { confirm: expect.any(String) } });
    expect(refused.body.error.message).toMatch(/the brief cites it 2 times/);
    expect((await owner.get(`/api/cases/${caseId}/evidence`)).body.evidence).toHaveLength(1);
    expect((await owner.delete(`/api/cases/${caseId}/evidence/${id}?confirm=true`)).status).toBe(204);
    expect((await owner.get(`/api/cases/${caseId}/evidence`)).body.evidence).toEqual([]);
    const uncited = (await owner.post(`/api/cases/${caseId}/evidence`, { ...trial, title: 'Uncited' })).body.evidence.id;
    expect((await owner.delete(`/api/cases/${caseId}/evidence/${uncited}`)).status).toBe(204);
  });

  it('pushes changes to the room and records them in the audit log without clinical text', async () => {
    const { owner, viewer, caseId } = await team();
    const s = await connectSocket(viewer);
    await emitAck(s, EVENTS.caseJoin, { caseId });
    const changes: any[] = [];
    s.on(EVENTS.itemChanged, (p) => changes.push(p));
    s.on(EVENTS.itemRemoved, (p) => changes.push(p));
    const id = (await owner.post(`/api/cases/${caseId}/evidence`, trial)).body.evidence.id;
    await waitFor(() => changes.some((c) => c.kind === 'evidence' && c.item?.id === id), { what: 'the new item' });
    await owner.delete(`/api/cases/${caseId}/evidence/${id}`);
    await waitFor(() => changes.some((c) => c.kind === 'evidence' && c.id === id && !c.item), { what: 'the removal' });
    const audit = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(audit.slice(0, 2)).toEqual(['evidence.removed', 'evidence.added']);
    expect(JSON.stringify((await owner.get(`/api/cases/${caseId}/audit`)).body)).not.toContain('KEYNOTE');
  });
});

describe('stakeholder log', () => {
  it('flags a next step once its due date has passed, in the case and the case list', async () => {
    now = Date.parse('2026-03-10T15:00:00Z');
    const { owner, editor, viewer, caseId } = await team();
    const entry = {
      stakeholder: 'insurer', who: 'Medical director, Acme Health', channel: 'phone', date: '2026-03-09',
      concerns: 'Wants evidence of failed first-line therapy.', response: 'Sent the oncology notes.',
      nextStep: 'Call back after review', nextStepDue: '2026-03-12', status: 'awaiting_reply',
    };
    const created = await editor.post(`/api/cases/${caseId}/stakeholders`, entry);
    expect(created.status).toBe(201);
    expect(created.body.entry).toMatchObject({ ...entry, overdue: false });
    expect((await viewer.post(`/api/cases/${caseId}/stakeholders`, entry)).status).toBe(403);
    expect((await health(owner, caseId)).overdueNextSteps).toBe(0);

    now = Date.parse('2026-03-13T09:00:00Z');
    expect((await owner.get(`/api/cases/${caseId}/stakeholders`)).body.entries[0]).toMatchObject({ overdue: true, nextStepDaysLeft: -1 });
    expect((await health(owner, caseId)).overdueNextSteps).toBe(1);
    expect((await owner.get('/api/cases')).body.cases.find((c: { id: string }) => c.id === caseId).health.overdueNextSteps).toBe(1);

    const done = await editor.patch(`/api/cases/${caseId}/stakeholders/${created.body.entry.id}`, { status: 'resolved' });
    expect(done.body.entry.overdue).toBe(false);
    expect((await health(owner, caseId)).overdueNextSteps).toBe(0);
  });

  it('refuses a due date without a next step', async () => {
    const { owner, caseId } = await team();
    const res = await owner.post(`/api/cases/${caseId}/stakeholders`, { stakeholder: 'family', who: 'Son', channel: 'meeting', date: '2026-03-01', nextStepDue: '2026-03-20' });
    expect(res.body.error.fields).toEqual({ nextStep: 'needs a next step to go with its due date' });
    const bad = await owner.post(`/api/cases/${caseId}/stakeholders`, { stakeholder: 'family', who: 'Son', channel: 'pigeon', date: '2026-02-30' });
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['channel', 'date']);
  });
});

describe('readiness checklist', () => {
  it('turns ready only when every required item is complete, and back when one is reopened', async () => {
    const { owner, editor, commenter, caseId } = await team();
    const list = await editor.get(`/api/cases/${caseId}/readiness`);
    expect(list.body.items.map((i: { key: string }) => i.key)).toEqual(['history', 'imaging', 'pathology', 'comorbidities', 'psychosocial', 'patient_views', 'coverage']);
    expect(list.body.summary).toEqual({ complete: 0, required: 7, ready: false });
    expect((await health(owner, caseId)).readiness.ready).toBe(false);
    const items: { id: string; key: string }[] = list.body.items;
    const set = (who: ApiClient, id: string, body: object) => who.patch(`/api/cases/${caseId}/readiness/${id}`, body);
    expect((await set(commenter, items[0]!.id, { state: 'complete' })).status).toBe(403);

    const views = items.find((i) => i.key === 'patient_views')!;
    const noWitness = await set(editor, views.id, { state: 'complete' });
    expect(noWitness.status).toBe(400);
    expect(Object.keys(noWitness.body.error.fields).sort()).toEqual(['metOn', 'recordedBy']);
    const future = await set(editor, views.id, { state: 'complete', recordedBy: 'Erik Lindqvist, RN', metOn: '2099-01-01' });
    expect(future.body.error.fields).toEqual({ metOn: 'cannot be in the future' });

    for (const item of items) {
      const body = item.key === 'patient_views' ? { state: 'complete', recordedBy: 'Erik Lindqvist, RN', metOn: '2026-03-08' } : { state: 'complete' };
      const res = await set(editor, item.id, body);
      expect(res.status).toBe(200);
      expect(res.body.item.confirmedBy).toEqual({ id: editor.user!.id, name: 'Eli Editor' });
    }
    expect((await editor.get(`/api/cases/${caseId}/readiness`)).body.summary).toEqual({ complete: 7, required: 7, ready: true });
    expect((await health(owner, caseId)).readiness).toEqual({ complete: 7, required: 7, ready: true });

    const reopened = await set(editor, items[1]!.id, { state: 'partial', note: 'CT report pending' });
    expect(reopened.body.summary).toEqual({ complete: 6, required: 7, ready: false });
    expect((await owner.get('/api/cases')).body.cases.find((c: { id: string }) => c.id === caseId).health.readiness.ready).toBe(false);
  });

  it('lets owners add items and mark them not required; editors cannot', async () => {
    const { owner, editor, caseId } = await team();
    expect((await editor.post(`/api/cases/${caseId}/readiness`, { label: 'Genomic panel' })).status).toBe(403);
    const added = await owner.post(`/api/cases/${caseId}/readiness`, { label: 'Genomic panel', required: true });
    expect(added.status).toBe(201);
    expect(added.body.summary.required).toBe(8);
    const id = added.body.item.id;
    expect((await editor.patch(`/api/cases/${caseId}/readiness/${id}`, { required: false })).status).toBe(403);
    expect((await owner.patch(`/api/cases/${caseId}/readiness/${id}`, { required: false })).body.summary.required).toBe(7);
    const standard = (await owner.get(`/api/cases/${caseId}/readiness`)).body.items[0].id;
    expect((await owner.delete(`/api/cases/${caseId}/readiness/${standard}`)).status).toBe(403);
    expect((await owner.patch(`/api/cases/${caseId}/readiness/${standard}`, { label: 'Renamed' })).status).toBe(400);
    expect((await owner.delete(`/api/cases/${caseId}/readiness/${id}`)).status).toBe(204);
    expect((await owner.get(`/api/cases/${caseId}/readiness`)).body.items).toHaveLength(7);
  });
});

describe('coverage requests', () => {
  const denied = {
    payer: 'Acme Health', requested: 'Pembrolizumab 200 mg every 3 weeks', submittedOn: '2026-03-01', referenceNumber: 'PA-88231',
    decision: 'denied', denialReason: 'experimental_or_investigational', payerWording: 'Not covered for this indication.',
    decidedOn: '2026-03-05', appealDeadline: '2026-03-13', peerToPeerDeadline: '2026-03-25',
  };

  it('flags deadlines within seven days and past ones as overdue, until the appeal settles them', async () => {
    now = Date.parse('2026-03-10T15:00:00Z');
    const { owner, editor, commenter, caseId } = await team();
    expect((await commenter.post(`/api/cases/${caseId}/coverage`, denied)).status).toBe(403);
    const created = await editor.post(`/api/cases/${caseId}/coverage`, denied);
    expect(created.status).toBe(201);
    expect(created.body.request.appealDeadline).toEqual({ date: '2026-03-13', state: 'due_soon', daysLeft: 3 });
    expect(created.body.request.peerToPeerDeadline).toEqual({ date: '2026-03-25', state: 'upcoming', daysLeft: 15 });
    expect(await health(owner, caseId)).toMatchObject({ deadlinesDueSoon: 1, deadlinesOverdue: 0 });

    now = Date.parse('2026-03-14T08:00:00Z');
    const later = (await owner.get(`/api/cases/${caseId}/coverage`)).body.requests[0];
    expect(later.appealDeadline).toEqual({ date: '2026-03-13', state: 'overdue', daysLeft: -1 });
    expect((await owner.get('/api/cases')).body.cases.find((c: { id: string }) => c.id === caseId).health).toMatchObject({ deadlinesOverdue: 1 });

    now = Date.parse('2026-03-20T08:00:00Z');
    expect((await health(owner, caseId)).deadlinesDueSoon).toBe(1); // the peer-to-peer is five days out
    const appealed = await editor.patch(`/api/cases/${caseId}/coverage/${created.body.request.id}`, { appealOutcome: 'overturned' });
    expect(appealed.body.request.appealDeadline.state).toBe('closed');
    expect(appealed.body.request.peerToPeerDeadline.state).toBe('closed');
    expect(await health(owner, caseId)).toMatchObject({ deadlinesDueSoon: 0, deadlinesOverdue: 0 });
  });

  it('requires a coded reason for a denial, and only for a denial', async () => {
    const { owner, caseId } = await team();
    const noReason = await owner.post(`/api/cases/${caseId}/coverage`, { ...denied, denialReason: null });
    expect(noReason.body.error.fields).toEqual({ denialReason: 'is required when the request is denied or partially approved' });
    const id = (await owner.post(`/api/cases/${caseId}/coverage`, { ...denied, decision: 'pending', denialReason: null })).body.request.id;
    const denyLater = await owner.patch(`/api/cases/${caseId}/coverage/${id}`, { decision: 'denied' });
    expect(denyLater.body.error.fields).toEqual({ denialReason: 'is required when the request is denied or partially approved' });
    const ok = await owner.patch(`/api/cases/${caseId}/coverage/${id}`, { decision: 'denied', denialReason: 'insufficient_evidence' });
    expect(ok.body.request).toMatchObject({ decision: 'denied', denialReason: 'insufficient_evidence' });
    const approved = await owner.patch(`/api/cases/${caseId}/coverage/${id}`, { decision: 'approved' });
    expect(approved.body.request).toMatchObject({ decision: 'approved', denialReason: null });
  });

  it('refuses a decision or a deadline dated before the request was submitted', async () => {
    const { owner, caseId } = await team();
    const early = await owner.post(`/api/cases/${caseId}/coverage`, { ...denied, decidedOn: '2026-02-01', appealDeadline: '2026-02-15' });
    expect(early.body.error.fields).toEqual({ decidedOn: 'cannot be before the request was submitted', appealDeadline: 'cannot be before the request was submitted' });
    const id = (await owner.post(`/api/cases/${caseId}/coverage`, denied)).body.request.id;
    const moved = await owner.patch(`/api/cases/${caseId}/coverage/${id}`, { submittedOn: '2026-04-01' });
    expect(moved.status).toBe(400);
    expect(Object.keys(moved.body.error.fields).sort()).toEqual(['appealDeadline', 'decidedOn', 'peerToPeerDeadline']);
  });

  it('keeps concurrent changes to different fields of one request', async () => {
    const { owner, editor, caseId } = await team();
    const id = (await owner.post(`/api/cases/${caseId}/coverage`, denied)).body.request.id;
    await Promise.all([
      owner.patch(`/api/cases/${caseId}/coverage/${id}`, { referenceNumber: 'PA-1' }),
      editor.patch(`/api/cases/${caseId}/coverage/${id}`, { payerWording: 'Reworded.' }),
    ]);
    const r = (await owner.get(`/api/cases/${caseId}/coverage`)).body.requests[0];
    expect(r).toMatchObject({ referenceNumber: 'PA-1', payerWording: 'Reworded.' });
  });
});

describe('records and the archived case', () => {
  it('freezes every record of an archived case', async () => {
    const { owner, caseId } = await team();
    await owner.patch(`/api/cases/${caseId}`, { status: 'archived' });
    const res = await owner.post(`/api/cases/${caseId}/stakeholders`, { stakeholder: 'family', who: 'Son', channel: 'meeting', date: '2026-03-01' });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/archived/);
  });
});
