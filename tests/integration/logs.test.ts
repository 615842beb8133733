import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { describeError, type Logger } from '../../server/log.js';
import { addMember, closeClients, connectBrief, createCase, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

const lines: string[] = [];
const capture: Logger = {
  debug: (event, data) => lines.push(JSON.stringify({ event, ...data })),
  info: (event, data) => lines.push(JSON.stringify({ event, ...data })),
  warn: (event, data) => lines.push(JSON.stringify({ event, ...data })),
  error: (event, data) => lines.push(JSON.stringify({ event, ...data })),
};
const server = useTestServer({ log: capture });
afterEach(closeClients);

describe('logs', () => {
  it('never carry clinical text, names or emails, while recording every request', async () => {
    const marker = 'Glioblastoma-Marker-7731';
    const owner = await signUp(server, { name: 'Priya Shah', email: 'priya.shah@example.org' });
    const nurse = await signUp(server, { name: 'Noor Haddad' });
    const c = await createCase(owner, { problem: `${marker} in the left temporal lobe`, resistance: [{ source: 'family', description: marker }] });
    await addMember(owner, c.id, nurse, 'editor');
    await owner.patch(`/api/cases/${c.id}`, { problem: `${marker} progressing` });
    const thread = (await owner.post(`/api/cases/${c.id}/threads`, { anchor: { kind: 'case' }, body: `${marker}?`, requestId: randomUUID() })).body;
    const threadId = (thread.thread ?? thread).id as string;
    expect((await nurse.post(`/api/cases/${c.id}/threads/${threadId}/messages`, { body: `reply: ${marker}`, requestId: randomUUID() })).status).toBe(201);
    // The brief, an option, and a ballot's rationale.
    const brief = connectBrief(owner, c.id);
    await synced(brief.provider);
    brief.doc.getText('note').insert(0, `brief: ${marker}`);
    await waitFor(() => server().server.hub.stats().documents > 0);
    const optionA = (await owner.post(`/api/cases/${c.id}/options`, { title: `Option ${marker}`, description: marker })).body.option.id as string;
    const optionB = (await owner.post(`/api/cases/${c.id}/options`, { title: 'Other option' })).body.option.id as string;
    const round = (await owner.post(`/api/cases/${c.id}/rounds`, { question: `${marker}?`, optionIds: [optionA, optionB], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } })).body.round;
    const ballot = await nurse.request('PUT', `/api/cases/${c.id}/rounds/${round.id}/ballot`, { stances: { [optionA]: { stance: 'object', rationale: `rationale: ${marker}` } } });
    expect(ballot.status).toBe(200);
    await owner.post(`/api/cases/${c.id}/evidence`, { kind: 'clinical_note', title: marker, strength: 'low' });
    await owner.post(`/api/cases/${c.id}/stakeholders`, { stakeholder: 'family', who: marker, channel: 'phone', date: '2026-01-01', concerns: marker });
    await owner.patch(`/api/cases/${c.id}`, { title: 42 }); // a refused request is logged too
    await owner.post('/api/auth/signin', { email: 'priya.shah@example.org', password: 'wrong password!' });
    const conference = await owner.post('/api/conferences', {
      title: 'Board', kind: 'case_conference', timeZone: 'UTC', start: '2027-01-05T08:00', end: '2027-01-05T09:00', notes: marker, attendeeIds: [nurse.user!.id],
    });
    await owner.put(`/api/conferences/${conference.body.conference.id}/live/record`, { occurrence: conference.body.conference.occurrences[0].key, attended: [] });
    const feed = (await nurse.post('/api/me/calendar-feed', {})).body.url as string;
    const token = feed.slice(feed.lastIndexOf('/') + 1, -'.ics'.length);
    expect((await nurse.get(new URL(feed).pathname)).status).toBe(200);

    const all = lines.join('\n');
    expect(lines.filter((l) => l.includes('"event":"http"')).length).toBeGreaterThanOrEqual(10);
    for (const secret of [marker, 'temporal', 'Priya', 'Shah', 'priya.shah', 'Noor', c.patientRef, token]) expect(all).not.toContain(secret);
    expect(all).toContain('/api/calendar/:token');
  });

  it('describe errors by name and frames, not by a message that may quote data', () => {
    const err = new Error('Cast to string failed for value "Glioblastoma" at path "title"');
    const described = JSON.stringify(describeError(err));
    expect(described).toContain('"error":"Error"');
    expect(described).not.toContain('Glioblastoma');
  });
});
