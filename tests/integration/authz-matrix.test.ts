/**
 * The authorization matrix, generated from tests/authz/matrix.ts: every row × every actor against
 * one real server and one fixture. A route of the server or an event it listens to that the table
 * lacks fails the completeness test, and so does a row the server no longer has.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { io as ioClient } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../server/http/app.js';
import { DomainEvents } from '../../server/domain/events.js';
import { attachSockets } from '../../server/realtime/sockets.js';
import { briefPlainText } from '../../server/domain/brief.js';
import { BRIEF_FRAGMENT, briefDocName, DOC_CLOSE } from '../../shared/brief.js';
import { EVENTS } from '../../shared/events.js';
import { ACTORS, type Actor, type BriefOutcome, decidedRound, type Fixture, type HttpOutcome, type Kit, MATRIX, type MemberRole, rowKey, type SocketOutcome } from '../authz/matrix.js';
import { addMember, type ApiClient, closeClients, connectBrief, connectSocket, createCase, emitAck, signUp, synced } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { useTestServer } from '../helpers/server.js';

const server = useTestServer();
afterEach(closeClients);

const PASSWORD = 'correct horse battery';
let kit: Kit;
/** Each actor's session cookie (none for signed-out) and client. */
const clients = {} as Record<Exclude<Actor, 'signedOut'>, ApiClient>;
const cookieOf = (a: Actor): string | undefined => (a === 'signedOut' ? undefined : clients[a].cookie);

/** One request, never changing anyone's stored cookie. */
async function send(method: string, path: string, cookie: string | undefined, body?: unknown): Promise<{ status: number; body: any; setCookie: string | null }> {
  const headers: Record<string, string> = {};
  if (cookie) headers.cookie = cookie;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(server().url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* a file */
  }
  return { status: res.status, body: parsed, setCookie: res.headers.get('set-cookie') };
}

async function asOwner(method: string, path: string, body?: unknown): Promise<any> {
  const res = await send(method, path, clients.owner.cookie, body);
  if (res.status < 200 || res.status > 299) throw new Error(`fixture: ${method} ${path} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  const names: [Exclude<Actor, 'signedOut'>, string][] = [['owner', 'Olivia Owner'], ['editor', 'Eddie Editor'], ['commenter', 'Cora Commenter'], ['viewer', 'Vic Viewer'], ['nonMember', 'Nora Outsider']];
  for (const [actor, name] of names) clients[actor] = await signUp(server, { name, password: PASSWORD });
  const users = Object.fromEntries(names.map(([a]) => [a, { id: clients[a].user!.id, email: clients[a].user!.email }])) as Fixture['users'];
  const owner = clients.owner;
  const team = async (caseId: string) => {
    for (const role of ['editor', 'commenter', 'viewer'] as const) await addMember(owner, caseId, clients[role], role);
  };

  const c = await createCase(owner);
  await team(c.id);
  const C = `/api/cases/${c.id}`;
  const thread = (await asOwner('POST', `${C}/threads`, { anchor: { kind: 'case' }, body: 'hello', requestId: randomUUID() })).thread;
  // The editor's reply notifies the owner, who started the thread.
  const reply = await send('POST', `${C}/threads/${thread.id}/messages`, clients.editor.cookie, { body: 'a reply', requestId: randomUUID() });
  expect(reply.status).toBe(201);
  const notifications = await waitFor(async () => {
    const list = (await asOwner('GET', '/api/notifications')).notifications as { id: string }[];
    return list.length > 0 && list;
  }, { what: "the owner's notification" });
  const evidence = (await asOwner('POST', `${C}/evidence`, { kind: 'guideline', title: 'NCCN', strength: 'high' })).evidence;
  const entry = (await asOwner('POST', `${C}/stakeholders`, { stakeholder: 'insurer', who: 'Reviewer', channel: 'fax', date: '2026-01-05' })).entry;
  const coverage = (await asOwner('POST', `${C}/coverage`, { payer: 'Acme', requested: 'Drug', submittedOn: '2026-01-02' })).request;
  const items = (await asOwner('GET', `${C}/readiness`)).items as { id: string; key: string | null }[];
  const readiness = items.find((i) => i.key !== null && i.key !== 'patient_views')!;
  const optionA = (await asOwner('POST', `${C}/options`, { title: 'Watchful waiting' })).option.id;
  const optionB = (await asOwner('POST', `${C}/options`, { title: 'Second-line therapy' })).option.id;
  const spare = (await asOwner('POST', `${C}/options`, { title: 'Spare' })).option.id;
  const round = (await asOwner('POST', `${C}/rounds`, { question: 'Which?', optionIds: [optionA, optionB], rule: 'consensus', quorum: { minVoters: 1, requiredDisciplines: [] } })).round;

  const d = await createCase(owner, { title: 'Decision case', patientRef: 'PT-2041' });
  await team(d.id);
  const dA = (await asOwner('POST', `/api/cases/${d.id}/options`, { title: 'A' })).option.id;
  const dB = (await asOwner('POST', `/api/cases/${d.id}/options`, { title: 'B' })).option.id;

  const invite = [users.editor.id, users.commenter.id, users.viewer.id];
  const conference = (await asOwner('POST', '/api/conferences', {
    title: 'Matrix tumour board', kind: 'case_conference', timeZone: 'Europe/Berlin', start: '2030-03-14T14:00', end: '2030-03-14T15:00',
    attendeeIds: invite, agenda: [{ caseId: c.id, minutes: 20, override: true }],
  })).conference;
  const poll = (await asOwner('POST', '/api/conferences', {
    title: 'Family meeting', kind: 'family_meeting', timeZone: 'Europe/Berlin', attendeeIds: invite,
    pollSlots: [{ start: '2030-04-01T10:00', end: '2030-04-01T11:00' }, { start: '2030-04-02T10:00', end: '2030-04-02T11:00' }],
  })).conference;

  const fx: Fixture = {
    caseId: c.id, threadId: thread.id, messageId: thread.messages[0].id, evidenceId: evidence.id, entryId: entry.id, coverageId: coverage.id,
    readinessItemId: readiness.id, optionA, optionB, spareOptionId: spare, roundId: round.id,
    decisionCaseId: d.id, decisionOptionA: dA, decisionOptionB: dB, decidedRoundId: '',
    conferenceId: conference.id, occurrence: conference.occurrences[0].key, pollConferenceId: poll.id, pollSlotIds: poll.poll.slots.map((s: { id: string }) => s.id),
    ownerNotificationId: (notifications as { id: string }[])[0]!.id, users, passwords: { owner: PASSWORD, editor: PASSWORD, commenter: PASSWORD, viewer: PASSWORD, nonMember: PASSWORD },
  };
  kit = {
    fx,
    asOwner,
    async freshSession(actor) {
      if (actor === 'signedOut') return undefined;
      const res = await send('POST', '/api/auth/signin', undefined, { email: users[actor].email, password: fx.passwords[actor] });
      if (res.status !== 200 || !res.setCookie) throw new Error(`fixture: second sign-in of ${actor} failed: ${res.status}`);
      return res.setCookie.split(';')[0]!;
    },
    async newPerson() {
      const p = await signUp(server);
      return { id: p.user!.id, email: p.user!.email };
    },
  };
  fx.decidedRoundId = await decidedRound(kit);
}, 60_000);

const httpOutcome = (status: number): HttpOutcome | number => (status >= 200 && status <= 299 ? 'ok' : status);

describe('authorization matrix', () => {
  it('covers every declared route and every event the server listens to, and nothing else', async () => {
    const declared = apiRoutes(server().server.services).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    const listened = await listenedEvents();
    const inTable = new Set(MATRIX.map(rowKey));
    const live = new Set([...declared, ...listened.map((e) => `socket ${e}`), 'brief /yjs/case:<caseId>:brief']);
    const keys = MATRIX.map(rowKey);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i), 'rows listed twice').toEqual([]);
    expect([...live].filter((k) => !inTable.has(k)), 'routes/events of the server missing from tests/authz/matrix.ts').toEqual([]);
    expect([...inTable].filter((k) => !live.has(k)), 'rows in tests/authz/matrix.ts that the server no longer has').toEqual([]);
    // Every event listened to is one of the shared names (nothing spelled twice).
    expect(listened.filter((e) => !(Object.values(EVENTS) as string[]).includes(e))).toEqual([]);
  });

  for (const row of MATRIX) {
    it(`${rowKey(row)}: ${ACTORS.map((a) => `${a} ${row.expect[a]}`).join(', ')}`, async () => {
      for (const actor of ACTORS) {
        const expected = row.expect[actor];
        const label = `${rowKey(row)} as ${actor}`;
        if (row.kind === 'http') {
          const req = await row.request(kit, actor);
          const cookie = req.overrideCookie ? req.cookie : cookieOf(actor);
          const res = await send(row.method, req.path, cookie, req.body);
          // A 400 would mean the recipe is wrong, not the authorization: say so plainly.
          expect.soft(res.status, `${label}: bad request recipe ${JSON.stringify(res.body)}`).not.toBe(400);
          expect.soft(httpOutcome(res.status), `${label} (${res.status} ${JSON.stringify(res.body)?.slice(0, 200)})`).toBe(expected);
          if (row.rotatesSession && actor !== 'signedOut' && httpOutcome(res.status) === 'ok') {
            // The actor's other sessions ended: keep the new one, and the new password.
            if (res.setCookie) clients[actor].cookie = res.setCookie.split(';')[0]!;
            kit.fx.passwords[actor] = (req.body as { newPassword: string }).newPassword;
          }
        } else if (row.kind === 'socket') {
          expect.soft(await socketOutcome(actor, row.event, row.payload(kit)), label).toBe(expected as SocketOutcome);
        } else {
          expect.soft(await briefOutcome(actor), label).toBe(expected as BriefOutcome);
        }
      }
    });
  }
});

/** What the server's socket handlers listen to: a second Socket.io on the same services (own events bus), asked after a connection. */
async function listenedEvents(): Promise<string[]> {
  const services = server().server.services;
  const http = createServer();
  const io = attachSockets(http, { ...services, events: new DomainEvents() });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const client = ioClient(url, { transports: ['websocket'], extraHeaders: { cookie: clients.owner.cookie! }, reconnection: false, forceNew: true });
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('connect_error', reject);
    });
    const [socket] = await io.fetchSockets().then(() => [...io.of('/').sockets.values()]);
    const builtIn = new Set(['disconnect', 'disconnecting', 'error']);
    return socket!.eventNames().map(String).filter((e) => !builtIn.has(e));
  } finally {
    client.close();
    await io.close();
  }
}

async function socketOutcome(actor: Actor, event: string, payload: unknown): Promise<string> {
  if (actor === 'signedOut') {
    try {
      // connectSocket sends no cookie for a client without one.
      const s = await connectSocket({ cookie: undefined, server } as unknown as ApiClient);
      // Connected without a session: report what the event answers.
      const ack = await emitAck(s, event, payload);
      return ack.ok ? 'ok' : ack.error.code;
    } catch {
      // The client only sees "websocket error": ask the handshake itself why it was refused.
      const probe = await send('GET', '/socket.io/?EIO=4&transport=polling', undefined);
      return probe.status === 403 && probe.body?.message === 'unauthenticated' ? 'unauthenticated' : `refused: ${probe.status} ${JSON.stringify(probe.body)}`;
    }
  }
  const s = await connectSocket(clients[actor]);
  const ack = await emitAck(s, event, payload);
  return ack.ok ? 'ok' : ack.error.code;
}

/** Opens a raw WebSocket and resolves with the HTTP status of a refused upgrade, or 101 when it opened. */
function upgradeStatus(cookie: string | undefined): Promise<number> {
  const url = server().url.replace('http', 'ws') + '/yjs/' + briefDocName(kit.fx.caseId);
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: cookie ? { cookie } : {} });
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

async function briefOutcome(actor: Actor): Promise<BriefOutcome | string> {
  const status = await upgradeStatus(cookieOf(actor));
  if (status !== 101) return status === 401 || status === 404 ? status : `upgrade ${status}`;
  const { doc, provider } = connectBrief(clients[actor as MemberRole], kit.fx.caseId);
  await synced(provider);
  const marker = `MATRIX-${actor}-${randomUUID().slice(0, 8)}`;
  const closed = new Promise<number | undefined>((resolve) => provider.once('connection-close', (e: CloseEvent | null) => resolve(e?.code)));
  const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
  const paragraph = fragment.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'paragraph') as Y.XmlElement;
  (paragraph.get(0) as Y.XmlText).insert(0, marker);
  // Either the edit is stored (a writer), or the server closes the connection with 4409 (read-only).
  const inStore = async () => {
    const copy = new Y.Doc();
    for (const chunk of await server().store.documents.load(briefDocName(kit.fx.caseId))) Y.applyUpdate(copy, chunk.data);
    return briefPlainText(copy).includes(marker);
  };
  let refused = false;
  const stored = waitFor(async () => refused || (await inStore()), { what: `${actor}'s edit to be stored`, timeoutMs: 5000 }).then(() => 'stored' as const, () => 'not stored' as const);
  const first = await Promise.race([stored, closed]);
  refused = first !== 'stored';
  provider.destroy();
  if (first === 'stored') return 'write';
  if (first === DOC_CLOSE.editRefused) {
    // Refused edits never reach the store.
    expect.soft(await inStore(), `${actor}'s refused edit was stored`).toBe(false);
    return 'read';
  }
  return `unexpected: ${String(first)}`;
}

afterAll(() => closeClients());
