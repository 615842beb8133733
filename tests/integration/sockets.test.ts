import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS, type PresencePayload } from '../../shared/events.js';
import { ApiClient, addMember, closeClients, connectSocket, createCase, emitAck, signUp } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer({ config: { maxMessageBytes: 64 * 1024 } });
afterEach(closeClients);

describe('Socket.io', () => {
  it('refuses a connection without a session at the handshake, before any packet can be sent', async () => {
    await expect(connectSocket(new ApiClient(server))).rejects.toThrow(/websocket error/);
    // The long-polling handshake says why, and opens no Engine.IO session (no sid to send packets with).
    const res = await fetch(`${server().url}/socket.io/?EIO=4&transport=polling`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 4, message: 'unauthenticated' });
    const stale = await fetch(`${server().url}/socket.io/?EIO=4&transport=polling`, { headers: { cookie: 'consilium_session=not-a-session' } });
    expect(stale.status).toBe(403);
  });

  it('lets members join a case room and shows who is present, live', async () => {
    const owner = await signUp(server, { name: 'Ada Owner', discipline: 'oncology' });
    const nurse = await signUp(server, { name: 'Ben Nurse', discipline: 'nursing' });
    const c = await createCase(owner);
    await addMember(owner, c.id, nurse, 'commenter');

    const a = await connectSocket(owner);
    const seen: PresencePayload[] = [];
    a.on(EVENTS.presenceChanged, (p: PresencePayload) => seen.push(p));
    const joinA = await emitAck(a, EVENTS.caseJoin, { caseId: c.id });
    expect(joinA).toEqual({ ok: true, data: { presence: { caseId: c.id, people: [{ userId: owner.user!.id, name: 'Ada Owner', discipline: 'oncology' }] } } });

    const b = await connectSocket(nurse);
    await emitAck(b, EVENTS.caseJoin, { caseId: c.id });
    await waitFor(() => seen.at(-1)?.people.map((p) => p.name).join(',') === 'Ada Owner,Ben Nurse', { what: 'both present' });

    b.close();
    await waitFor(() => seen.at(-1)?.people.map((p) => p.name).join(',') === 'Ada Owner', { what: 'the nurse to leave' });
  });

  it('refuses a non-member the same way as a missing case, and bad payloads with a named field', async () => {
    const owner = await signUp(server);
    const stranger = await signUp(server);
    const c = await createCase(owner);
    const s = await connectSocket(stranger);
    const real = await emitAck(s, EVENTS.caseJoin, { caseId: c.id });
    const fake = await emitAck(s, EVENTS.caseJoin, { caseId: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d' });
    expect(real).toEqual(fake);
    expect(real).toMatchObject({ ok: false, error: { code: 'not_found' } });

    const wrong = await emitAck(s, EVENTS.caseJoin, { caseId: { $ne: null } });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { caseId: 'must be an id (a UUID)' } } });
    const extra = await emitAck(s, EVENTS.caseJoin, { caseId: c.id, admin: true });
    expect(extra).toMatchObject({ ok: false, error: { fields: { admin: 'is not a known field' } } });
    const none = await emitAck(s, EVENTS.caseJoin, 'hello');
    expect(none).toMatchObject({ ok: false, error: { code: 'validation_failed', fields: { payload: expect.any(String) } } });
  });

  it('disconnects only the socket that sends an oversized message', async () => {
    const owner = await signUp(server);
    const c = await createCase(owner);
    const big = await connectSocket(owner);
    const fine = await connectSocket(owner);
    const dropped = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
    big.emit(EVENTS.caseJoin, { caseId: c.id, padding: 'x'.repeat(200 * 1024) });
    expect(await dropped).toBe('transport close');
    expect(await emitAck(fine, EVENTS.caseJoin, { caseId: c.id })).toMatchObject({ ok: true });
  });

  it('pushes case and team changes to the room, each with the recipient’s own role', async () => {
    const owner = await signUp(server);
    const viewer = await signUp(server);
    const c = await createCase(owner);
    await addMember(owner, c.id, viewer, 'viewer');
    const v = await connectSocket(viewer);
    await emitAck(v, EVENTS.caseJoin, { caseId: c.id });
    const cases: any[] = [];
    const teams: any[] = [];
    v.on(EVENTS.caseChanged, (p) => cases.push(p));
    v.on(EVENTS.teamChanged, (p) => teams.push(p));

    await owner.patch(`/api/cases/${c.id}`, { title: 'Renamed live' });
    await waitFor(() => cases.at(-1)?.case.title === 'Renamed live', { what: 'the case change' });
    expect(cases.at(-1).case).toMatchObject({ myRole: 'viewer', abilities: { editDetails: false } });

    await owner.patch(`/api/cases/${c.id}/members/${viewer.user!.id}`, { role: 'editor' });
    await waitFor(() => teams.at(-1)?.members.some((m: any) => m.userId === viewer.user!.id && m.role === 'editor'), { what: 'the team change' });
    await waitFor(() => cases.at(-1)?.case.myRole === 'editor', { what: 'my new role' });
  });

  it('tells a removed member they lost access and takes them out of the room', async () => {
    const owner = await signUp(server, { name: 'Owner' });
    const member = await signUp(server, { name: 'Member' });
    const c = await createCase(owner);
    await addMember(owner, c.id, member, 'editor');
    const o = await connectSocket(owner);
    const m = await connectSocket(member);
    await emitAck(o, EVENTS.caseJoin, { caseId: c.id });
    await emitAck(m, EVENTS.caseJoin, { caseId: c.id });
    const revoked: unknown[] = [];
    const later: unknown[] = [];
    const presence: PresencePayload[] = [];
    m.on(EVENTS.caseAccessRevoked, (p) => revoked.push(p));
    m.on(EVENTS.caseChanged, (p) => later.push(p));
    o.on(EVENTS.presenceChanged, (p: PresencePayload) => presence.push(p));

    await owner.delete(`/api/cases/${c.id}/members/${member.user!.id}`);
    await waitFor(() => revoked.length === 1, { what: 'the revocation' });
    expect(revoked[0]).toEqual({ caseId: c.id });
    await waitFor(() => presence.at(-1)?.people.map((p) => p.name).join(',') === 'Owner', { what: 'presence without the member' });
    const ownerSaw: any[] = [];
    o.on(EVENTS.caseChanged, (p) => ownerSaw.push(p));
    await owner.patch(`/api/cases/${c.id}`, { title: 'Secret new title' });
    await waitFor(() => ownerSaw.some((p) => p.case.title === 'Secret new title'), { what: 'the owner to get the change' });
    await emitAck(m, EVENTS.caseLeave, { caseId: c.id }); // a round trip on the member's socket
    expect(later).toEqual([]);
    expect(await emitAck(m, EVENTS.caseJoin, { caseId: c.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
