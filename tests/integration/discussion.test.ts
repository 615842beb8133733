import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodePosition, resolveBriefAnchor } from '../../shared/anchors.js';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import { EVENTS } from '../../shared/events.js';
import { addMember, type ApiClient, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

/** The first prompt paragraph's text node in a brief. */
function paragraph(doc: Y.Doc, index = 1): Y.XmlText {
  return (doc.getXmlFragment(BRIEF_FRAGMENT).get(index) as Y.XmlElement).get(0) as Y.XmlText;
}

/** An anchor on `words` in the paragraph, made the way the editor makes one. */
function anchorOn(text: Y.XmlText, words: string) {
  const from = text.toString().indexOf(words);
  if (from < 0) throw new Error(`"${words}" is not in the paragraph`);
  return {
    kind: 'brief' as const,
    start: encodePosition(Y.createRelativePositionFromTypeIndex(text, from)),
    end: encodePosition(Y.createRelativePositionFromTypeIndex(text, from + words.length, -1)),
    quote: words,
  };
}

async function team(roles: string[] = ['editor']) {
  const owner = await signUp(server, { name: 'Ada Owner' });
  const c = await createCase(owner);
  const members: ApiClient[] = [];
  for (const [i, role] of roles.entries()) {
    const m = await signUp(server, { name: `Member ${i + 1}` });
    await addMember(owner, c.id, m, role);
    members.push(m);
  }
  return { owner, members, caseId: c.id };
}

const post = (who: ApiClient, caseId: string, body: Record<string, unknown>) =>
  who.post(`/api/cases/${caseId}/threads`, { requestId: randomUUID(), ...body });

describe('threads anchored to the brief', () => {
  it('keeps pointing at the same words on every copy while two people edit around and inside the passage', async () => {
    const { owner, members: [editor], caseId } = await team();
    const a = connectBrief(owner, caseId);
    const b = connectBrief(editor!, caseId);
    await Promise.all([synced(a.provider), synced(b.provider)]);
    const p = paragraph(a.doc);
    p.insert(p.length, 'The patient walks two blocks before resting.');
    await waitFor(() => paragraph(b.doc).toString().includes('two blocks'), { what: 'the sentence on both' });

    const res = await post(owner, caseId, { anchor: anchorOn(p, 'two blocks'), body: 'Is this from the last visit?' });
    expect(res.status).toBe(201);
    const anchor = res.body.thread.anchor;
    expect(anchor.quote).toBe('two blocks');

    // Concurrent edits before, inside and after the passage, from both sides.
    paragraph(a.doc).insert(0, 'Update: ');
    const pb = paragraph(b.doc);
    pb.insert(pb.toString().indexOf('blocks'), 'city ');
    pb.insert(pb.toString().indexOf(' before'), ' slowly');
    paragraph(a.doc).insert(paragraph(a.doc).length, ' Oxygen at night.');
    await waitFor(() => paragraph(a.doc).toString() === paragraph(b.doc).toString() && paragraph(a.doc).toString().includes('Oxygen'), { what: 'convergence' });

    // " slowly" was typed just after the passage: it stays outside, as the end sticks to "blocks".
    for (const doc of [a.doc, b.doc]) expect(resolveBriefAnchor(doc, anchor)).toEqual({ text: 'two city blocks', detached: false });

    // Deleting the passage detaches the thread; it stays, with its quote.
    const text = paragraph(a.doc);
    const from = text.toString().indexOf('two city');
    text.delete(from, 'two city blocks'.length);
    await waitFor(() => resolveBriefAnchor(b.doc, anchor)?.detached === true, { what: 'the passage deletion to reach b' });
    const list = await editor!.get(`/api/cases/${caseId}/threads`);
    expect(list.body.threads[0]).toMatchObject({ anchor: { quote: 'two blocks' }, status: 'open' });
  });

  it('refuses anchors that do not point into this brief', async () => {
    const { owner, caseId } = await team();
    const other = await createCase(owner);
    const b = connectBrief(owner, other.id);
    await synced(b.provider);
    const p = paragraph(b.doc);
    p.insert(p.length, 'text in another case');
    await waitFor(async () => (await owner.get(`/api/cases/${other.id}`)).status === 200);
    const foreign = anchorOn(p, 'another case');
    for (const anchor of [
      foreign, // a real passage, but of another case's brief
      { kind: 'brief', start: 'AAAAAAAA', end: 'AAAAAAAA', quote: 'x' }, // decodes to nothing
      { kind: 'brief', start: encodePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getText('t'), 0)), end: foreign.end, quote: 'x' },
    ]) {
      const res = await post(owner, caseId, { anchor, body: 'hello' });
      expect(res.status, JSON.stringify(anchor).slice(0, 60)).toBe(400);
      expect(res.body.error.fields['anchor.start']).toMatch(/does not point to a passage/);
    }
    const option = await post(owner, caseId, { anchor: { kind: 'option', optionId: randomUUID() }, body: 'hello' }); // no such option
    expect(option.body.error.fields).toEqual({ 'anchor.optionId': 'is not an option of this case' });
    const evidence = await post(owner, caseId, { anchor: { kind: 'evidence', evidenceId: randomUUID() }, body: 'hello' });
    expect(evidence.body.error.fields).toEqual({ 'anchor.evidenceId': 'is not an evidence item of this case' });
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.threads).toEqual([]);
  });

  it('waits briefly for an edit that the anchor refers to but has not reached the server yet', async () => {
    const { owner, caseId } = await team();
    const a = connectBrief(owner, caseId);
    await synced(a.provider);
    a.provider.disconnect(); // the edit is made offline...
    const p = paragraph(a.doc);
    p.insert(p.length, 'late words');
    const pending = post(owner, caseId, { anchor: anchorOn(p, 'late words'), body: 'on the late words' });
    setTimeout(() => a.provider.connect(), 300); // ...and arrives after the comment was sent
    expect((await pending).status).toBe(201);
  });
});

describe('messages', () => {
  it('posts, replies, edits and tombstones, with roles enforced', async () => {
    const { owner, members: [commenter, viewer], caseId } = await team(['commenter', 'viewer']);
    const created = await post(commenter!, caseId, { anchor: { kind: 'case' }, body: 'We need the PET report.' });
    expect(created.status).toBe(201);
    const threadId = created.body.thread.id;
    expect((await post(viewer!, caseId, { anchor: { kind: 'case' }, body: 'viewer' })).status).toBe(403);
    expect((await viewer!.post(`/api/cases/${caseId}/threads/${threadId}/messages`, { body: 'x', requestId: randomUUID() })).status).toBe(403);
    const reply = await owner.post(`/api/cases/${caseId}/threads/${threadId}/messages`, { body: 'Requested today.', requestId: randomUUID() });
    expect(reply.status).toBe(201);
    const [first, second] = reply.body.thread.messages;
    expect([first.body, second.body]).toEqual(['We need the PET report.', 'Requested today.']);

    expect((await owner.patch(`/api/cases/${caseId}/threads/${threadId}/messages/${first.id}`, { body: 'hijack' })).status).toBe(403);
    const edited = await commenter!.patch(`/api/cases/${caseId}/threads/${threadId}/messages/${first.id}`, { body: 'We need the PET-CT report.' });
    expect(edited.body.thread.messages[0]).toMatchObject({ body: 'We need the PET-CT report.', editedAt: expect.any(String) });
    const deleted = await commenter!.delete(`/api/cases/${caseId}/threads/${threadId}/messages/${first.id}`);
    expect(deleted.body.thread.messages[0]).toMatchObject({ body: '', deletedAt: expect.any(String), author: { name: 'Member 1' } });
    expect((await commenter!.patch(`/api/cases/${caseId}/threads/${threadId}/messages/${first.id}`, { body: 'again' })).status).toBe(404);
    const seenByViewer = await viewer!.get(`/api/cases/${caseId}/threads/${threadId}`);
    expect(seenByViewer.body.thread.messages.map((m: { body: string }) => m.body)).toEqual(['', 'Requested today.']);
  });

  it('resolves and reopens, and filters by open, resolved, mine and mentioning me', async () => {
    const { owner, members: [nurse], caseId } = await team(['commenter']);
    const a = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'A' })).body.thread.id;
    const b = (await post(nurse!, caseId, { anchor: { kind: 'case' }, body: 'B for @Ada', mentions: [owner.user!.id] })).body.thread.id;
    const resolved = await nurse!.patch(`/api/cases/${caseId}/threads/${a}`, { status: 'resolved' });
    expect(resolved.body.thread).toMatchObject({ status: 'resolved', resolvedBy: { name: 'Member 1' } });
    const ids = async (who: ApiClient, filter: string) => (await who.get(`/api/cases/${caseId}/threads?filter=${filter}`)).body.threads.map((t: { id: string }) => t.id);
    expect(await ids(owner, 'open')).toEqual([b]);
    expect(await ids(owner, 'resolved')).toEqual([a]);
    expect(await ids(owner, 'mine')).toEqual([a]);
    expect(await ids(owner, 'mentions')).toEqual([b]);
    expect(await ids(nurse!, 'mentions')).toEqual([]);
    expect((await owner.patch(`/api/cases/${caseId}/threads/${a}`, { status: 'open' })).body.thread).toMatchObject({ status: 'open', resolvedBy: null });
    expect((await owner.get(`/api/cases/${caseId}/threads?filter=everything`)).status).toBe(400);
  });

  it('refuses mentions of people who are not on the team', async () => {
    const { owner, caseId } = await team();
    const stranger = await signUp(server);
    for (const mentions of [[stranger.user!.id], [randomUUID()]]) {
      const res = await post(owner, caseId, { anchor: { kind: 'case' }, body: 'hi', mentions });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.mentions).toMatch(/not on this case's team/);
    }
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.threads).toEqual([]);
  });

  it('stores markup verbatim (the browser test shows it is displayed as text), and refuses control characters', async () => {
    const { owner, caseId } = await team();
    const body = '<img src=x onerror=alert(1)> & <script>x</script>';
    const res = await post(owner, caseId, { anchor: { kind: 'case' }, body });
    expect(res.body.thread.messages[0].body).toBe(body);
    for (const bad of ['nul\u0000here', 'bell\u0007', 'evil\u202Ereversed']) {
      const refused = await post(owner, caseId, { anchor: { kind: 'case' }, body: bad });
      expect(refused.body.error.fields, JSON.stringify(bad)).toEqual({ body: 'must not contain control characters' });
    }
  });

  it('answers 404 for replies to deleted threads and to threads of another case', async () => {
    const { owner, members: [editor], caseId } = await team();
    const other = await createCase(owner);
    const t = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'one' })).body.thread.id;
    const reply = (thread: string, c = caseId) => owner.post(`/api/cases/${c}/threads/${thread}/messages`, { body: 'r', requestId: randomUUID() });
    expect((await reply(t, other.id)).status).toBe(404);
    await editor!.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: 'mine', requestId: randomUUID() });
    expect((await editor!.delete(`/api/cases/${caseId}/threads/${t}`)).status).toBe(403); // not theirs alone
    expect((await owner.delete(`/api/cases/${caseId}/threads/${t}`)).status).toBe(204);
    expect((await reply(t)).status).toBe(404);
    expect((await owner.get(`/api/cases/${caseId}/threads/${t}`)).status).toBe(404);
  });

  it('lands twenty replies posted at once, in server order, and never twice on a retry', async () => {
    const { owner, members, caseId } = await team(['editor', 'editor', 'commenter', 'commenter']);
    const t = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'start' })).body.thread.id;
    const writers = [owner, ...members];
    const sends = Array.from({ length: 20 }, (_, i) => ({ who: writers[i % writers.length]!, body: `reply ${i}`, requestId: randomUUID() }));
    const answers = await Promise.all(sends.map((s) => s.who.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: s.body, requestId: s.requestId })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    // Retry five of them, as a client would after a lost answer.
    const retries = await Promise.all(sends.slice(0, 5).map((s) => s.who.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: s.body, requestId: s.requestId })));
    expect(retries.map((a) => a.status)).toEqual(Array(5).fill(200));
    const messages = (await owner.get(`/api/cases/${caseId}/threads/${t}`)).body.thread.messages;
    expect(messages).toHaveLength(21);
    expect(new Set(messages.map((m: { body: string }) => m.body)).size).toBe(21);
    const times = messages.map((m: { createdAt: string }) => m.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('makes a retried new thread land once', async () => {
    const { owner, caseId } = await team();
    const requestId = randomUUID();
    const [a, b] = await Promise.all([
      owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'once', requestId }),
      owner.post(`/api/cases/${caseId}/threads`, { anchor: { kind: 'case' }, body: 'once', requestId }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.thread.id).toBe(b.body.thread.id);
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.threads).toHaveLength(1);
  });

  it('refuses empty and oversized messages', async () => {
    const { owner, caseId } = await team();
    expect((await post(owner, caseId, { anchor: { kind: 'case' }, body: '   ' })).body.error.fields.body).toMatch(/required/);
    expect((await post(owner, caseId, { anchor: { kind: 'case' }, body: 'x'.repeat(5001) })).body.error.fields.body).toMatch(/at most 5000/);
    expect((await post(owner, caseId, { anchor: { kind: 'case' }, body: 'x', requestId: 'retry-1' })).body.error.fields.requestId).toMatch(/UUID/);
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.threads).toEqual([]);
  });
});

describe('unread counts and notifications', () => {
  it('counts unread messages per user and case, clears them on every device, and shows them in the case list', async () => {
    const { owner, members: [nurse], caseId } = await team(['commenter']);
    const t = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'one' })).body.thread.id;
    await owner.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: 'two', requestId: randomUUID() });
    const phone = await connectSocket(nurse!);
    const pushed: { unread: number }[] = [];
    phone.on(EVENTS.unreadChanged, (p) => pushed.push(p));
    expect((await nurse!.get(`/api/cases/${caseId}/threads`)).body.unread).toMatchObject({ unread: 2, byThread: { [t]: 2 } });
    expect((await owner.get(`/api/cases/${caseId}/threads`)).body.unread.unread).toBe(0); // your own posts are read
    expect((await nurse!.get('/api/cases')).body.cases[0].health.unread).toBe(2);
    const read = await nurse!.post(`/api/cases/${caseId}/threads/${t}/read`, {});
    expect(read.body).toEqual({ caseId, unread: 0, byThread: {} });
    await waitFor(() => pushed.at(-1)?.unread === 0, { what: 'the other device to hear' });
    expect((await nurse!.get('/api/cases')).body.cases[0].health.unread).toBe(0);
  });

  it('notifies mentions, replies in threads you took part in, and being added to a case; live and waiting', async () => {
    const { owner, members: [a, b], caseId } = await team(['editor', 'commenter']);
    const bell = await connectSocket(owner);
    const live: any[] = [];
    bell.on(EVENTS.notificationNew, (p) => live.push(p));
    const t = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'Plan?' })).body.thread.id;
    await a!.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: 'Agree, @Ada', mentions: [owner.user!.id], requestId: randomUUID() });
    await waitFor(() => live.length === 1, { what: 'the mention, live' });
    expect(live[0]).toMatchObject({ notification: { kind: 'mention', threadId: t, actor: { name: 'Member 1' } }, unread: 1 });
    await b!.post(`/api/cases/${caseId}/threads/${t}/messages`, { body: 'Me too', requestId: randomUUID() });
    await waitFor(() => live.length === 2, { what: 'the reply, live' });
    expect(live[1].notification.kind).toBe('reply');

    // a took part in the thread: b's reply reaches a as well, waiting for when a looks.
    const forA = await a!.get('/api/notifications');
    expect(forA.body.notifications.map((n: { kind: string }) => n.kind)).toEqual(['reply', 'added_to_case']);
    expect(forA.body.unread).toBe(2);
    const n = forA.body.notifications[0];
    expect((await a!.post(`/api/notifications/${n.id}/read`, {})).body).toEqual({ unread: 1 });
    expect((await owner.post(`/api/notifications/${n.id}/read`, {})).status).toBe(404); // not theirs
    expect((await a!.post('/api/notifications/read-all', {})).body).toEqual({ unread: 0 });
    expect((await a!.get('/api/notifications')).body.unread).toBe(0);
  });

  it('pushes nothing about a case to someone not on its team', async () => {
    const { owner, members: [nurse], caseId } = await team(['viewer']);
    const stranger = await signUp(server);
    const spy = await connectSocket(stranger);
    expect(await emitAck(spy, EVENTS.caseJoin, { caseId })).toMatchObject({ ok: false });
    const heard: string[] = [];
    spy.onAny((event) => heard.push(event));
    const member = await connectSocket(nurse!);
    await emitAck(member, EVENTS.caseJoin, { caseId });
    const memberHeard: string[] = [];
    member.onAny((event) => memberHeard.push(event));
    await post(owner, caseId, { anchor: { kind: 'case' }, body: 'secret', mentions: [nurse!.user!.id] });
    await owner.post(`/api/cases/${caseId}/evidence`, { kind: 'trial', title: 'T', strength: 'low' });
    await waitFor(() => memberHeard.includes(EVENTS.itemChanged) && memberHeard.includes(EVENTS.threadChanged), { what: 'the member to hear both' });
    expect(heard).toEqual([]);
  });

  it('stops pushing to a removed member, and their bell stops counting the case', async () => {
    const { owner, members: [nurse], caseId } = await team(['commenter']);
    await post(owner, caseId, { anchor: { kind: 'case' }, body: 'for you', mentions: [nurse!.user!.id] });
    expect((await nurse!.get('/api/notifications')).body.unread).toBe(2); // added to the case, mentioned
    const s = await connectSocket(nurse!);
    await emitAck(s, EVENTS.caseJoin, { caseId });
    const heard: string[] = [];
    s.onAny((event) => heard.push(event));
    await owner.delete(`/api/cases/${caseId}/members/${nurse!.user!.id}`);
    await waitFor(() => heard.includes(EVENTS.caseAccessRevoked), { what: 'the revocation' });
    heard.length = 0;
    const watcher = await connectSocket(owner);
    await emitAck(watcher, EVENTS.caseJoin, { caseId });
    const ownerHeard: string[] = [];
    watcher.onAny((event) => ownerHeard.push(event));
    await post(owner, caseId, { anchor: { kind: 'case' }, body: 'after removal' });
    await owner.post(`/api/cases/${caseId}/evidence`, { kind: 'trial', title: 'T', strength: 'low' });
    await waitFor(() => ownerHeard.includes(EVENTS.itemChanged) && ownerHeard.includes(EVENTS.threadChanged), { what: 'the owner to hear both' });
    expect(heard.filter((e) => e !== EVENTS.notificationsRead)).toEqual([]);
    expect((await nurse!.get('/api/notifications')).body).toMatchObject({ unread: 0, notifications: [] });
  });

  it('pushes thread changes to everyone in the case room', async () => {
    const { owner, members: [nurse], caseId } = await team(['viewer']);
    const s = await connectSocket(nurse!);
    await emitAck(s, EVENTS.caseJoin, { caseId });
    const seen: any[] = [];
    s.on(EVENTS.threadChanged, (p) => seen.push(p));
    const t = (await post(owner, caseId, { anchor: { kind: 'case' }, body: 'live?' })).body.thread.id;
    await waitFor(() => seen.some((p) => p.threadId === t && p.thread?.messages[0].body === 'live?'), { what: 'the new thread' });
    await owner.delete(`/api/cases/${caseId}/threads/${t}`);
    await waitFor(() => seen.some((p) => p.threadId === t && p.thread === null), { what: 'the deletion' });
  });
});
