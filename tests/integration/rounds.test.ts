import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/events.js';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import { briefPlainText } from '../../server/domain/brief.js';
import { addMember, type ApiClient, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

let now = Date.parse('2026-06-01T09:00:00Z');
const clock = { now: () => new Date(now) };
const server = useTestServer({ clock, voteCheckMs: 50, config: { sessionTtlHours: 24 * 365 } });
afterEach(closeClients);

type Who = 'owner' | 'editor' | 'commenter' | 'viewer';

async function team() {
  const owner = await signUp(server, { name: 'Ada Owner', discipline: 'oncology' });
  const editor = await signUp(server, { name: 'Eli Editor', discipline: 'pharmacy' });
  const commenter = await signUp(server, { name: 'Cy Commenter', discipline: 'social_work' });
  const viewer = await signUp(server, { name: 'Vi Viewer', discipline: 'nursing' });
  const c = await createCase(owner);
  await addMember(owner, c.id, editor, 'editor');
  await addMember(owner, c.id, commenter, 'commenter');
  await addMember(owner, c.id, viewer, 'viewer');
  const option = async (title: string) => (await owner.post(`/api/cases/${c.id}/options`, { title })).body.option.id as string;
  const a = await option('Pembrolizumab');
  const b = await option('Docetaxel');
  const people: Record<Who, ApiClient> = { owner, editor, commenter, viewer };
  return { ...people, people, caseId: c.id, a, b };
}

const openBody = (a: string, b: string, over: Record<string, unknown> = {}) => ({
  question: 'Which second-line treatment do we recommend?', optionIds: [a, b], rule: 'simple_majority',
  quorum: { minVoters: 2, requiredDisciplines: ['oncology'] }, ...over,
});

describe('decision rounds', () => {
  it('refuse a round that cannot be decided fairly, and record nothing', async () => {
    const { owner, commenter, caseId, a, b } = await team();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ optionIds: [a] }, 'optionIds', /at least two options/],
      [{ optionIds: [a, a] }, 'optionIds', /twice/],
      [{ rule: 'supermajority', threshold: 0.5 }, 'threshold', /more than 0.5/],
      [{ rule: 'supermajority', threshold: 1.2 }, 'threshold', /at most 1/],
      [{ rule: 'supermajority' }, 'threshold', /required for a supermajority/],
      [{ closesAt: '2026-05-31T09:00:00.000Z' }, 'closesAt', /future/],
      [{ optionIds: [a, '11111111-1111-4111-8111-111111111111'] }, 'optionIds', /not in this case/],
      [{ quorum: { minVoters: 0, requiredDisciplines: [] } }, 'quorum.minVoters', /at least 1/],
    ];
    for (const [over, field, message] of cases) {
      const res = await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b, over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.fields[field], JSON.stringify(over)).toMatch(message);
    }
    expect((await commenter.post(`/api/cases/${caseId}/rounds`, openBody(a, b))).status).toBe(403);
    expect((await owner.get(`/api/cases/${caseId}/rounds`)).body.rounds).toEqual([]);
  });

  it('take stances per option with a rationale for objections and reservations, changeable until closed', async () => {
    const { owner, editor, commenter, viewer, caseId, a, b } = await team();
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b))).body.round;
    const vote = (who: ApiClient, body: object) => who.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, body);
    expect((await vote(viewer, { stances: { [a]: { stance: 'support' } } })).status).toBe(403);
    const stranger = await signUp(server);
    expect((await vote(stranger, { stances: { [a]: { stance: 'support' } } })).status).toBe(404);
    const noWhy = await vote(editor, { stances: { [a]: { stance: 'object' } } });
    expect(noWhy.body.error.fields[`stances.${a}.rationale`]).toMatch(/required to object/);
    const stray = await vote(editor, { stances: { '22222222-2222-4222-8222-222222222222': { stance: 'support' } } });
    expect(stray.body.error.fields['stances.22222222-2222-4222-8222-222222222222']).toBe('is not an option of this vote');
    expect((await vote(editor, {})).body.error.fields.stances).toMatch(/at least one option/);

    await vote(owner, { stances: { [a]: { stance: 'support' }, [b]: { stance: 'object', rationale: 'Neuropathy risk' } } });
    await vote(editor, { stances: { [a]: { stance: 'object', rationale: 'Cost' }, [b]: { stance: 'support' } } });
    const changed = await vote(editor, { stances: { [a]: { stance: 'support_with_reservations', rationale: 'Check coverage' }, [b]: { stance: 'abstain' } } });
    expect(changed.body.round.myBallot.stances[a]).toEqual({ stance: 'support_with_reservations', rationale: 'Check coverage' });
    await vote(commenter, { stances: { [a]: { stance: 'object', rationale: 'Family hesitant' } } });
    expect(changed.body.round.result.tallies[0]).toMatchObject({ optionId: a, support: 1, reservations: 1 });

    expect((await editor.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {})).status).toBe(403);
    const closed = await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {});
    expect(closed.body.round).toMatchObject({ status: 'closed', closedBy: { name: 'Ada Owner' }, result: { outcome: { kind: 'decided', optionId: a } } });
    expect(closed.body.round.result.tallies[0]).toEqual({ optionId: a, support: 1, reservations: 1, object: 1, abstain: 0, silent: 0 });
    const late = await vote(commenter, { stances: { [a]: { stance: 'support' } } });
    expect(late.status).toBe(409);
    expect((await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {})).status).toBe(409);
    const actions = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 6)).toEqual(['round.closed', 'ballot.cast', 'ballot.changed', 'ballot.cast', 'ballot.cast', 'round.opened']);
  });

  it('leak no stance of a blind round over HTTP or Socket.io before it closes', async () => {
    const { owner, editor, commenter, viewer, caseId, a, b } = await team();
    const watch = await connectSocket(viewer);
    await emitAck(watch, EVENTS.caseJoin, { caseId });
    const pushed: string[] = [];
    watch.on(EVENTS.roundChanged, (p) => pushed.push(JSON.stringify(p)));
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b, { visibility: 'blind' }))).body.round;
    await editor.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: { stance: 'object', rationale: 'SECRET-RATIONALE' } } });
    await commenter.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [b]: { stance: 'support' } } });
    await waitFor(() => pushed.length >= 3, { what: 'the pushes' });
    for (const who of [viewer, owner, commenter]) {
      const seen = (await who.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round;
      expect(seen).toMatchObject({ ballots: [], result: null });
      expect(seen.voters.map((v: { name: string }) => v.name).sort()).toEqual(['Cy Commenter', 'Eli Editor']);
      expect(JSON.stringify(seen)).not.toContain('SECRET-RATIONALE');
    }
    expect(pushed.join()).not.toContain('SECRET-RATIONALE');
    expect(pushed.join()).not.toContain('"object"');
    // Each voter sees their own ballot.
    expect((await editor.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round.myBallot.stances[a].rationale).toBe('SECRET-RATIONALE');
    await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {});
    const after = (await viewer.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round;
    expect(after.ballots).toHaveLength(2);
    expect(JSON.stringify(after)).toContain('SECRET-RATIONALE');
  });

  it('turn what a deferred round asked for into readiness items', async () => {
    const { owner, editor, commenter, caseId, a, b } = await team();
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b, { quorum: { minVoters: 3, requiredDisciplines: [] } }))).body.round;
    const vote = (who: ApiClient, body: object) => who.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, body);
    await vote(owner, { defer: 'PET-CT after cycle two' });
    await vote(editor, { defer: "The patient's preference after the family meeting" });
    await vote(commenter, { stances: { [a]: { stance: 'support' } } });
    const closed = (await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {})).body.round;
    expect(closed.result.outcome.kind).toBe('deferred');
    expect([...closed.result.outcome.information].sort()).toEqual(['PET-CT after cycle two', "The patient's preference after the family meeting"]);
    const items = (await owner.get(`/api/cases/${caseId}/readiness`)).body.items.map((i: { label: string; required: boolean; state: string }) => [i.label, i.required, i.state]);
    expect(items).toContainEqual(['PET-CT after cycle two', true, 'missing']);
    expect(items).toContainEqual(["The patient's preference after the family meeting", true, 'missing']);
  });

  it('close by themselves at their closing time, once, also after a restart', async () => {
    now = Date.parse('2026-06-01T09:00:00Z');
    const { owner, editor, caseId, a, b } = await team();
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b, { closesAt: '2026-06-01T10:00:00.000Z' }))).body.round;
    await owner.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
    await editor.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
    await server().restart(); // the server is down; the closing time passes meanwhile
    now = Date.parse('2026-06-01T10:00:01Z');
    await server().restart();
    await waitFor(async () => (await owner.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round.status === 'closed', { what: 'the round to close' });
    const closed = (await owner.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round;
    expect(closed).toMatchObject({ closedBy: null, result: { outcome: { kind: 'decided', optionId: a } } });
    await server().restart();
    const closings = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.filter((e: { action: string; target: string }) => e.action === 'round.closed' && e.target === round.id);
    expect(closings).toHaveLength(1);
  });

  it('end in one recommendation, written once by an owner, with the brief as it stood and dissent on the record', async () => {
    const { owner, editor, commenter, caseId, a, b } = await team();
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b))).body.round;
    const vote = (who: ApiClient, body: object) => who.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, body);
    await vote(owner, { stances: { [a]: { stance: 'support' } } });
    await vote(editor, { stances: { [a]: { stance: 'support_with_reservations', rationale: 'Monitor thyroid' } } });
    await vote(commenter, { stances: { [a]: { stance: 'object', rationale: 'Family prefers oral therapy' } } });
    expect((await owner.post(`/api/cases/${caseId}/rounds/${round.id}/recommendation`, { text: 'Too early' })).status).toBe(409);
    await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {});
    expect((await editor.post(`/api/cases/${caseId}/rounds/${round.id}/recommendation`, { text: 'x' })).status).toBe(403);
    const written = await owner.post(`/api/cases/${caseId}/rounds/${round.id}/recommendation`, { text: 'The team recommends pembrolizumab.' });
    expect(written.status).toBe(200);
    const r = written.body.round;
    expect(r.recommendation).toMatchObject({ option: { id: a, title: 'Pembrolizumab' }, text: 'The team recommends pembrolizumab.', writtenBy: { name: 'Ada Owner' } });
    expect(r.briefSnapshot).toContain("Patient's specific needs");
    // Stored, not recomputed: editing the brief afterwards leaves the snapshot as it was.
    const live = connectBrief(owner, caseId);
    await synced(live.provider);
    const first = (live.doc.getXmlFragment(BRIEF_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
    first.insert(first.length, 'WRITTEN-AFTER-THE-DECISION');
    await waitFor(async () => {
      const doc = new Y.Doc();
      for (const chunk of await server().store.documents.load(`case:${caseId}:brief`)) Y.applyUpdate(doc, chunk.data);
      return briefPlainText(doc).includes('WRITTEN-AFTER-THE-DECISION');
    }, { what: 'the later edit to be stored' });
    expect((await owner.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round.briefSnapshot).not.toContain('WRITTEN-AFTER-THE-DECISION');
    const dissent = r.ballots.filter((x: { stances: Record<string, { stance: string }> }) => x.stances[a]?.stance !== 'support');
    expect(dissent.map((x: { stances: Record<string, { rationale: string }> }) => x.stances[a]!.rationale).sort()).toEqual(['Family prefers oral therapy', 'Monitor thyroid']);
    expect((await owner.get(`/api/cases/${caseId}`)).body.case.status).toBe('decided');
    expect((await owner.post(`/api/cases/${caseId}/rounds/${round.id}/recommendation`, { text: 'Rewritten' })).status).toBe(409);
    // The record stays as decided: renaming the option later does not rewrite it.
    await owner.patch(`/api/cases/${caseId}/options/${a}`, { title: 'Renamed later' });
    expect((await owner.get(`/api/cases/${caseId}/rounds/${round.id}`)).body.round.recommendation.option.title).toBe('Pembrolizumab');
    const actions = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('round.recommended');
    // A new round may revisit; the earlier one stays in the history.
    await owner.patch(`/api/cases/${caseId}`, { status: 'in_review' });
    now += 60_000; // rounds list in the order they were opened
    const again = await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b, { question: 'Revisit after the scan?' }));
    expect(again.status).toBe(201);
    expect((await owner.get(`/api/cases/${caseId}/rounds`)).body.rounds.map((x: { question: string }) => x.question)).toEqual([round.question, 'Revisit after the scan?']);
  });

  it('prompt a follow-up 30 and 90 days after the decision, once each, and refuse "not implemented" without a reason', async () => {
    now = Date.parse('2026-07-01T09:00:00Z');
    const { owner, editor, commenter, caseId, a, b } = await team();
    const round = (await owner.post(`/api/cases/${caseId}/rounds`, openBody(a, b))).body.round;
    await owner.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
    await editor.request('PUT', `/api/cases/${caseId}/rounds/${round.id}/ballot`, { stances: { [a]: { stance: 'support' } } });
    await owner.post(`/api/cases/${caseId}/rounds/${round.id}/close`, {});
    const reminders = async () => (await owner.get('/api/notifications')).body.notifications.filter((n: { kind: string; caseId: string }) => n.kind === 'follow_up_due' && n.caseId === caseId).length;

    now += 29 * 86_400_000;
    await server().server.services.followUps.sendDue();
    expect(await reminders()).toBe(0);
    now += 2 * 86_400_000; // day 31
    await waitFor(async () => (await reminders()) === 1, { what: 'the 30-day reminder' });
    await server().server.services.followUps.sendDue();
    await server().restart();
    await server().server.services.followUps.sendDue();
    expect(await reminders()).toBe(1); // once, even after a restart

    const noReason = await editor.post(`/api/cases/${caseId}/rounds/${round.id}/follow-ups`, { status: 'not_implemented' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual({ reason: 'is required when the recommendation was not fully carried out' });
    expect((await commenter.post(`/api/cases/${caseId}/rounds/${round.id}/follow-ups`, { status: 'implemented' })).status).toBe(403);
    const partial = await editor.post(`/api/cases/${caseId}/rounds/${round.id}/follow-ups`, { status: 'partially_implemented', reason: 'payer_denial', note: 'Appeal pending' });
    expect(partial.status).toBe(201);
    expect(partial.body.round.followUps).toEqual([expect.objectContaining({ status: 'partially_implemented', reason: 'payer_denial', recordedBy: { id: editor.user!.id, name: 'Eli Editor' } })]);

    now += 60 * 86_400_000; // day 91: not implemented yet, so the 90-day reminder comes
    await waitFor(async () => (await reminders()) === 2, { what: 'the 90-day reminder' });
    const actions = (await owner.get(`/api/cases/${caseId}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('followup.recorded');
  });
});

