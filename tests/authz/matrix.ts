/**
 * The authorization matrix (issue 8, item 3): ONE table of every HTTP route, every Socket.io
 * client → server event and the brief document connection, with what each of six actors gets.
 * tests/integration/authz-matrix.test.ts is generated from it, and fails when a route or an
 * event of the server is missing here (or a row here no longer exists there).
 *
 * Actors, on the fixture case (one case, created by `owner`):
 *   owner, editor, commenter, viewer  — their role on the fixture case;
 *   nonMember                         — signed in, on no case of the fixture;
 *   signedOut                         — no session cookie.
 * Conferences: the fixture conference is organized (and chaired) by `owner`, invites the editor,
 * commenter and viewer, and has the fixture case on its agenda; the nonMember is neither invited
 * nor on that case, so the conference does not exist for them (404).
 * Routes about "me" (settings, feed, notifications, reports, case list): each actor acts on their
 * own account, so every signed-in actor succeeds and signed-out gets 401.
 *
 * Cells read, in ACTORS order: owner editor commenter viewer nonMember signedOut.
 *   HTTP:   ok = any 2xx; otherwise the exact status (401, 403, 404).
 *   Socket: ok = ack { ok: true }; otherwise the ack's error code; `unauthenticated` = the
 *           handshake itself is refused (no socket at all).
 *   Brief:  write = opens and edits are stored; read = opens, an edit closes it with 4409;
 *           401 / 404 = the HTTP status of the refused upgrade.
 */
import { randomUUID } from 'node:crypto';

export const ACTORS = ['owner', 'editor', 'commenter', 'viewer', 'nonMember', 'signedOut'] as const;
export type Actor = (typeof ACTORS)[number];
export type MemberRole = 'owner' | 'editor' | 'commenter' | 'viewer';

export type HttpOutcome = 'ok' | 401 | 403 | 404;
export type SocketOutcome = 'ok' | 'not_found' | 'forbidden' | 'unauthenticated';
export type BriefOutcome = 'write' | 'read' | 401 | 404;

/** Six outcomes from a string of six tokens in ACTORS order, e.g. 'ok ok ok 403 404 401'. */
function cells<T extends string | number>(spec: string, parse: (token: string) => T): Record<Actor, T> {
  const tokens = spec.trim().split(/\s+/);
  if (tokens.length !== ACTORS.length) throw new Error(`matrix: "${spec}" must name ${ACTORS.length} outcomes`);
  return Object.fromEntries(ACTORS.map((a, i) => [a, parse(tokens[i]!)])) as Record<Actor, T>;
}
const http = (spec: string) =>
  cells<HttpOutcome>(spec, (t) => {
    if (t === 'ok') return 'ok';
    const n = Number(t);
    if (n === 401 || n === 403 || n === 404) return n;
    throw new Error(`matrix: unknown HTTP outcome ${t}`);
  });
const sock = (spec: string) =>
  cells<SocketOutcome>(spec, (t) => {
    if (t === 'ok' || t === 'not_found' || t === 'forbidden' || t === 'unauthenticated') return t;
    throw new Error(`matrix: unknown socket outcome ${t}`);
  });
const brief = (spec: string) =>
  cells<BriefOutcome>(spec, (t) => {
    if (t === 'write' || t === 'read') return t;
    if (t === '401' || t === '404') return Number(t) as 401 | 404;
    throw new Error(`matrix: unknown brief outcome ${t}`);
  });

// Common shapes, named so the table reads at a glance.
/** Every member reads; strangers learn nothing; signed-out must sign in. */
const READ = 'ok ok ok ok 404 401';
/** comment ability: owner, editor, commenter. */
const COMMENT = 'ok ok ok 403 404 401';
/** editRecords / editDetails / openVote: owner, editor. */
const EDIT = 'ok ok 403 403 404 401';
/** Owner only (manageTeam, manageChecklist, closeVote; or the conference's organizer). */
const OWNER = 'ok 403 403 403 404 401';
/** About the signed-in person only: anyone signed in. */
const SIGNED_IN = 'ok ok ok ok ok 401';
/** No sign-in needed. */
const PUBLIC = 'ok ok ok ok ok ok';

/** The records the fixture creates once (through the HTTP API, as the owner unless said). */
export interface Fixture {
  caseId: string;
  /** A thread started by the owner, with a reply by the editor. */
  threadId: string;
  /** The owner's first message in that thread. */
  messageId: string;
  evidenceId: string;
  entryId: string;
  coverageId: string;
  /** A standard readiness item (not patient_views, which needs more fields). */
  readinessItemId: string;
  /** Two options the open round is over. */
  optionA: string;
  optionB: string;
  /** An option in no round, for changes. */
  spareOptionId: string;
  /** An open round over A and B (ballots go here). */
  roundId: string;
  /** A second case with the same four members, where rounds are decided (a recommendation makes a case "decided"). */
  decisionCaseId: string;
  decisionOptionA: string;
  decisionOptionB: string;
  /** A round of the decision case that closed decided (follow-ups). */
  decidedRoundId: string;
  /** Scheduled, organized and chaired by the owner, inviting editor, commenter, viewer, the case on its agenda. */
  conferenceId: string;
  occurrence: string;
  /** A conference still polling for a time, inviting the same people. */
  pollConferenceId: string;
  pollSlotIds: string[];
  /** A notification of the owner's (the editor's reply in the owner's thread). */
  ownerNotificationId: string;
  /** Who each member is. */
  users: Record<MemberRole | 'nonMember', { id: string; email: string }>;
  /** Each person's current password (the password row changes them). */
  passwords: Record<MemberRole | 'nonMember', string>;
}

/** What recipes may use: the fixture, and the owner's API to make fresh records. */
export interface Kit {
  fx: Fixture;
  /** An HTTP request as the fixture's owner; resolves with the JSON body, throws unless 2xx. */
  asOwner(method: string, path: string, body?: unknown): Promise<any>;
  /** A new session of the actor (a second sign-in), so that signing out or in again spoils nothing; undefined when signed out. */
  freshSession(actor: Actor): Promise<string | undefined>;
  /** Signs up a new person; their id and email. */
  newPerson(): Promise<{ id: string; email: string }>;
}

export interface HttpRequest {
  /** The concrete path, params filled (and a query string if any). */
  path: string;
  body?: unknown;
  /** Use this cookie instead of the actor's own (still the actor: a second session of theirs). */
  cookie?: string | undefined;
  /** Set with `cookie` to send that cookie (or none). */
  overrideCookie?: boolean;
}

export interface HttpRow {
  kind: 'http';
  /** Exactly as declared: upper-case method and the Express path pattern. */
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  expect: Record<Actor, HttpOutcome>;
  /** Why the odd cells are what they are. */
  why?: string;
  /** A 2xx answer replaces the actor's session (the runner keeps the new cookie, and the new password from the body). */
  rotatesSession?: boolean;
  /** A valid request for this actor (fresh records where the request would spoil the fixture). */
  request(kit: Kit, actor: Actor): Promise<HttpRequest> | HttpRequest;
}

export interface SocketRow {
  kind: 'socket';
  event: string;
  expect: Record<Actor, SocketOutcome>;
  why?: string;
  payload(kit: Kit): unknown;
}

export interface BriefRow {
  kind: 'brief';
  name: string;
  expect: Record<Actor, BriefOutcome>;
  why?: string;
}

export type Row = HttpRow | SocketRow | BriefRow;

export const rowKey = (r: Row): string => (r.kind === 'http' ? `${r.method} ${r.path}` : r.kind === 'socket' ? `socket ${r.event}` : `brief ${r.name}`);

// ---- helpers for recipes ----
const C = (k: Kit) => `/api/cases/${k.fx.caseId}`;
const T = (k: Kit) => `${C(k)}/threads/${k.fx.threadId}`;
const BERLIN = 'Europe/Berlin';
const MEETING = { title: 'Matrix tumour board', kind: 'case_conference', timeZone: BERLIN, start: '2030-03-14T14:00', end: '2030-03-14T15:00' };
const invitees = (k: Kit) => [k.fx.users.editor.id, k.fx.users.commenter.id, k.fx.users.viewer.id];
/** A fresh scheduled conference organized by the owner, inviting the three other members. */
const freshConference = async (k: Kit, extra: Record<string, unknown> = {}) =>
  (await k.asOwner('POST', '/api/conferences', { ...MEETING, attendeeIds: invitees(k), ...extra })).conference as { id: string; occurrences: { key: string }[]; poll: { slots: { id: string }[] } | null };
const freshPoll = (k: Kit) =>
  freshConference(k, { start: null, end: null, kind: 'family_meeting', pollSlots: [{ start: '2030-04-01T10:00', end: '2030-04-01T11:00' }, { start: '2030-04-02T10:00', end: '2030-04-02T11:00' }] });
const freshThread = async (k: Kit) =>
  (await k.asOwner('POST', `${C(k)}/threads`, { anchor: { kind: 'case' }, body: 'to be deleted', requestId: randomUUID() })).thread as { id: string; messages: { id: string }[] };
const roundBody = (a: string, b: string) => ({ question: 'Which?', optionIds: [a, b], rule: 'simple_majority', quorum: { minVoters: 1, requiredDisciplines: [] } });
/** A round of the decision case that closed with a decision (the owner supports A and closes it). */
export async function decidedRound(k: Kit): Promise<string> {
  const d = `/api/cases/${k.fx.decisionCaseId}/rounds`;
  const round = (await k.asOwner('POST', d, roundBody(k.fx.decisionOptionA, k.fx.decisionOptionB))).round as { id: string };
  await k.asOwner('PUT', `${d}/${round.id}/ballot`, { stances: { [k.fx.decisionOptionA]: { stance: 'support' } } });
  const closed = (await k.asOwner('POST', `${d}/${round.id}/close`)).round as { result: { outcome: { kind: string } } | null };
  if (closed.result?.outcome.kind !== 'decided') throw new Error(`fixture: the round did not close decided: ${JSON.stringify(closed.result)}`);
  return round.id;
}
const withFresh = async (k: Kit, a: Actor) => ({ cookie: await k.freshSession(a), overrideCookie: true });

export const NEW_PASSWORD = 'violet harbour lantern dusk';

export const MATRIX: Row[] = [
  // ---------------- auth ----------------
  {
    kind: 'http', method: 'POST', path: '/api/auth/signup', expect: http(PUBLIC),
    why: 'Anyone may create an account (auth: false); sent with a second session of the actor so the actor stays signed in.',
    request: async (k, a) => ({ path: '/api/auth/signup', body: { email: `matrix-${randomUUID().slice(0, 8)}@example.org`, password: 'correct horse battery', name: 'New Person', discipline: 'nursing' }, ...(await withFresh(k, a)) }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/auth/signin', expect: http(PUBLIC),
    why: 'auth: false; each actor signs in as themselves (signed-out as the non-member); the rotated session is a spare one.',
    request: async (k, a) => ({
      path: '/api/auth/signin',
      body: { email: k.fx.users[a === 'signedOut' ? 'nonMember' : a].email, password: k.fx.passwords[a === 'signedOut' ? 'nonMember' : a] },
      ...(await withFresh(k, a)),
    }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/auth/signout', expect: http(PUBLIC),
    why: 'auth: false: signing out without a session is a harmless 204; members sign out of a spare session.',
    request: async (k, a) => ({ path: '/api/auth/signout', body: {}, ...(await withFresh(k, a)) }),
  },
  { kind: 'http', method: 'GET', path: '/api/me', expect: http(SIGNED_IN), request: () => ({ path: '/api/me' }) },

  // ---------------- cases ----------------
  { kind: 'http', method: 'GET', path: '/api/cases', expect: http(SIGNED_IN), why: 'Lists only the caller\'s own cases.', request: () => ({ path: '/api/cases?archived=false' }) },
  {
    kind: 'http', method: 'POST', path: '/api/cases', expect: http(SIGNED_IN), why: 'Anyone signed in may open a case (and owns it).',
    request: () => ({ path: '/api/cases', body: { title: 'Matrix case', patientRef: 'PT-9999' } }),
  },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId', expect: http(READ), request: (k) => ({ path: C(k) }) },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId', expect: http(EDIT), why: 'editDetails (a title change; archiving is owner-only).', request: (k) => ({ path: C(k), body: { title: 'Denied second-line therapy (matrix)' } }) },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/audit', expect: http(OWNER), why: 'viewAudit: owners only.', request: (k) => ({ path: `${C(k)}/audit` }) },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/audit.csv', expect: http(OWNER), why: 'viewAudit: owners only.', request: (k) => ({ path: `${C(k)}/audit.csv` }) },

  // ---------------- team ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/members', expect: http(READ), request: (k) => ({ path: `${C(k)}/members` }) },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/members', expect: http(OWNER), why: 'manageTeam; a fresh account is invited each time.',
    request: async (k) => ({ path: `${C(k)}/members`, body: { email: (await k.newPerson()).email, role: 'viewer' } }),
  },
  {
    kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/members/:userId', expect: http(OWNER), why: 'manageTeam; the target is a fresh viewer, not the actor.',
    request: async (k) => {
      const p = await k.newPerson();
      await k.asOwner('POST', `${C(k)}/members`, { email: p.email, role: 'viewer' });
      return { path: `${C(k)}/members/${p.id}`, body: { role: 'commenter' } };
    },
  },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/members/:userId', expect: http(OWNER),
    why: 'Removing someone else needs manageTeam (any member may remove themselves: leaving, not tested here); the target is a fresh viewer.',
    request: async (k) => {
      const p = await k.newPerson();
      await k.asOwner('POST', `${C(k)}/members`, { email: p.email, role: 'viewer' });
      return { path: `${C(k)}/members/${p.id}` };
    },
  },

  // ---------------- discussion ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/threads', expect: http(READ), request: (k) => ({ path: `${C(k)}/threads` }) },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/threads', expect: http(COMMENT),
    request: (k) => ({ path: `${C(k)}/threads`, body: { anchor: { kind: 'case' }, body: 'matrix thread', requestId: randomUUID() } }),
  },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/threads/:threadId', expect: http(READ), request: (k) => ({ path: T(k) }) },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/threads/:threadId', expect: http(COMMENT), why: 'Anyone who may comment resolves or reopens.', request: (k) => ({ path: T(k), body: { status: 'resolved' } }) },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/threads/:threadId', expect: http(OWNER),
    why: 'A fresh thread started by the owner: only its creator (while alone in it) or an owner deletes it, so editor and commenter get 403 too.',
    request: async (k) => ({ path: `${C(k)}/threads/${(await freshThread(k)).id}` }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/threads/:threadId/messages', expect: http(COMMENT),
    request: (k) => ({ path: `${T(k)}/messages`, body: { body: 'matrix reply', requestId: randomUUID() } }),
  },
  {
    kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/threads/:threadId/messages/:messageId', expect: http(OWNER),
    why: "The owner's message: only its author edits it, so editor and commenter (who may comment) get 403.",
    request: (k) => ({ path: `${T(k)}/messages/${k.fx.messageId}`, body: { body: 'edited by its author' } }),
  },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/threads/:threadId/messages/:messageId', expect: http(OWNER),
    why: "A fresh thread's first message, the owner's: only its author deletes it.",
    request: async (k) => {
      const t = await freshThread(k);
      return { path: `${C(k)}/threads/${t.id}/messages/${t.messages[0]!.id}` };
    },
  },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/threads/:threadId/read', expect: http(READ), request: (k) => ({ path: `${T(k)}/read`, body: {} }) },

  // ---------------- notifications ----------------
  { kind: 'http', method: 'GET', path: '/api/notifications', expect: http(SIGNED_IN), why: "Each sees their own.", request: () => ({ path: '/api/notifications' }) },
  {
    kind: 'http', method: 'POST', path: '/api/notifications/:notificationId/read', expect: http('ok 404 404 404 404 401'),
    why: "The owner's notification: anyone else is told it does not exist (notifications are per person, whatever the case role).",
    request: (k) => ({ path: `/api/notifications/${k.fx.ownerNotificationId}/read`, body: {} }),
  },
  { kind: 'http', method: 'POST', path: '/api/notifications/read-all', expect: http(SIGNED_IN), why: 'Marks only their own.', request: () => ({ path: '/api/notifications/read-all', body: {} }) },

  // ---------------- records: evidence, stakeholders, coverage, options ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/evidence', expect: http(READ), request: (k) => ({ path: `${C(k)}/evidence` }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/evidence', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/evidence`, body: { kind: 'trial', title: 'T', strength: 'low' } }) },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/evidence/:evidenceId', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/evidence/${k.fx.evidenceId}`, body: { title: 'NCCN (matrix)' } }) },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/evidence/:evidenceId', expect: http(EDIT), why: 'A fresh item, not cited.',
    request: async (k) => ({ path: `${C(k)}/evidence/${(await k.asOwner('POST', `${C(k)}/evidence`, { kind: 'trial', title: 'Gone', strength: 'low' })).evidence.id}` }),
  },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/stakeholders', expect: http(READ), request: (k) => ({ path: `${C(k)}/stakeholders` }) },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/stakeholders', expect: http(EDIT),
    request: (k) => ({ path: `${C(k)}/stakeholders`, body: { stakeholder: 'family', who: 'Son', channel: 'phone', date: '2026-01-06' } }),
  },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/stakeholders/:entryId', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/stakeholders/${k.fx.entryId}`, body: { status: 'resolved' } }) },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/stakeholders/:entryId', expect: http(EDIT),
    request: async (k) => ({
      path: `${C(k)}/stakeholders/${(await k.asOwner('POST', `${C(k)}/stakeholders`, { stakeholder: 'insurer', who: 'Gone', channel: 'fax', date: '2026-01-05' })).entry.id}`,
    }),
  },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/coverage', expect: http(READ), request: (k) => ({ path: `${C(k)}/coverage` }) },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/coverage', expect: http(EDIT),
    request: (k) => ({ path: `${C(k)}/coverage`, body: { payer: 'B', requested: 'Scan', submittedOn: '2026-01-03' } }),
  },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/coverage/:requestId', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/coverage/${k.fx.coverageId}`, body: { referenceNumber: 'R-1' } }) },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/coverage/:requestId', expect: http(EDIT),
    request: async (k) => ({ path: `${C(k)}/coverage/${(await k.asOwner('POST', `${C(k)}/coverage`, { payer: 'Gone', requested: 'Drug', submittedOn: '2026-01-02' })).request.id}` }),
  },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/options', expect: http(READ), request: (k) => ({ path: `${C(k)}/options` }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/options', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/options`, body: { title: 'Option' } }) },
  { kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/options/:optionId', expect: http(EDIT), request: (k) => ({ path: `${C(k)}/options/${k.fx.spareOptionId}`, body: { risks: 'Some' } }) },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/options/:optionId', expect: http(EDIT), why: 'A fresh option in no round.',
    request: async (k) => ({ path: `${C(k)}/options/${(await k.asOwner('POST', `${C(k)}/options`, { title: 'Gone' })).option.id}` }),
  },

  // ---------------- readiness ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/readiness', expect: http(READ), request: (k) => ({ path: `${C(k)}/readiness` }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/readiness', expect: http(OWNER), why: 'manageChecklist.', request: (k) => ({ path: `${C(k)}/readiness`, body: { label: 'Extra' } }) },
  {
    kind: 'http', method: 'PATCH', path: '/api/cases/:caseId/readiness/:itemId', expect: http(EDIT), why: 'Setting a state is editRecords (changing required or labels is owner-only).',
    request: (k) => ({ path: `${C(k)}/readiness/${k.fx.readinessItemId}`, body: { state: 'partial' } }),
  },
  {
    kind: 'http', method: 'DELETE', path: '/api/cases/:caseId/readiness/:itemId', expect: http(OWNER), why: 'manageChecklist; a fresh added item.',
    request: async (k) => ({ path: `${C(k)}/readiness/${(await k.asOwner('POST', `${C(k)}/readiness`, { label: 'Gone' })).item.id}` }),
  },

  // ---------------- decisions ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/rounds', expect: http(READ), request: (k) => ({ path: `${C(k)}/rounds` }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/rounds', expect: http(EDIT), why: 'openVote.', request: (k) => ({ path: `${C(k)}/rounds`, body: roundBody(k.fx.optionA, k.fx.optionB) }) },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/rounds/:roundId', expect: http(READ), request: (k) => ({ path: `${C(k)}/rounds/${k.fx.roundId}` }) },
  {
    kind: 'http', method: 'PUT', path: '/api/cases/:caseId/rounds/:roundId/ballot', expect: http(COMMENT), why: 'vote: commenters vote, viewers watch.',
    request: (k) => ({ path: `${C(k)}/rounds/${k.fx.roundId}/ballot`, body: { stances: { [k.fx.optionA]: { stance: 'support' } } } }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/rounds/:roundId/recommendation', expect: http(OWNER),
    why: 'closeVote; a fresh decided round of the decision case (same team) each time, as a recommendation is written once and decides the case.',
    request: async (k) => ({ path: `/api/cases/${k.fx.decisionCaseId}/rounds/${await decidedRound(k)}/recommendation`, body: { text: 'We recommend A.' } }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/rounds/:roundId/follow-ups', expect: http(EDIT), why: 'editRecords, on a decided round of the decision case.',
    request: (k) => ({ path: `/api/cases/${k.fx.decisionCaseId}/rounds/${k.fx.decidedRoundId}/follow-ups`, body: { status: 'implemented' } }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/cases/:caseId/rounds/:roundId/close', expect: http(OWNER), why: 'closeVote; a fresh open round each time.',
    request: async (k) => ({ path: `${C(k)}/rounds/${(await k.asOwner('POST', `${C(k)}/rounds`, roundBody(k.fx.optionA, k.fx.optionB))).round.id}/close` }),
  },

  // ---------------- conferences ----------------
  { kind: 'http', method: 'GET', path: '/api/conferences', expect: http(SIGNED_IN), why: 'Lists only the conferences the caller may see.', request: () => ({ path: '/api/conferences?when=upcoming' }) },
  {
    kind: 'http', method: 'POST', path: '/api/conferences', expect: http(SIGNED_IN), why: 'Anyone signed in schedules their own conference (no invitees, no agenda).',
    request: () => ({ path: '/api/conferences', body: { ...MEETING, title: 'My own meeting' } }),
  },
  { kind: 'http', method: 'GET', path: '/api/conferences/candidates', expect: http(SIGNED_IN), why: "The caller's own cases where they are owner or editor (empty for the others).", request: () => ({ path: '/api/conferences/candidates' }) },
  { kind: 'http', method: 'GET', path: '/api/people', expect: http(SIGNED_IN), why: "The caller's colleagues (empty for the non-member).", request: () => ({ path: '/api/people' }) },
  {
    kind: 'http', method: 'POST', path: '/api/conferences/check', expect: http(SIGNED_IN), why: "Conflicts of the caller's draft.",
    request: () => ({ path: '/api/conferences/check', body: { timeZone: BERLIN, start: '2030-03-14T14:00', end: '2030-03-14T15:00', attendeeIds: [] } }),
  },
  { kind: 'http', method: 'GET', path: '/api/conferences/:conferenceId', expect: http(READ), why: 'Invitees and members of an agenda case see it.', request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}` }) },
  {
    kind: 'http', method: 'PATCH', path: '/api/conferences/:conferenceId', expect: http(OWNER), why: 'Organizer only (the owner); a fresh conference at version 1.',
    request: async (k) => ({ path: `/api/conferences/${(await freshConference(k)).id}`, body: { title: 'Renamed board', version: 1 } }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/conferences/:conferenceId/cancel', expect: http(OWNER), why: 'Organizer only; a fresh conference.',
    request: async (k) => ({ path: `/api/conferences/${(await freshConference(k)).id}/cancel`, body: {} }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/conferences/:conferenceId/exceptions', expect: http(OWNER), why: 'Organizer only; a fresh weekly conference, its second meeting skipped.',
    request: async (k) => {
      const c = await freshConference(k, { rrule: 'FREQ=WEEKLY;COUNT=3' });
      return { path: `/api/conferences/${c.id}/exceptions`, body: { occurrence: c.occurrences[1]!.key, kind: 'skip' } };
    },
  },
  {
    kind: 'http', method: 'PUT', path: '/api/conferences/:conferenceId/agenda', expect: http(OWNER), why: 'Organizer or chair (both the owner).',
    request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}/agenda`, body: { occurrence: k.fx.occurrence, items: [{ caseId: k.fx.caseId, minutes: 20, override: true }] } }),
  },
  {
    kind: 'http', method: 'PUT', path: '/api/conferences/:conferenceId/response', expect: http(READ), why: 'Invitees (the organizer counts as one).',
    request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}/response`, body: { response: 'accepted' } }),
  },
  {
    kind: 'http', method: 'PUT', path: '/api/conferences/:conferenceId/poll', expect: http(READ), why: 'Invitees of the polling conference (the organizer counts as one).',
    request: (k) => ({ path: `/api/conferences/${k.fx.pollConferenceId}/poll`, body: { answers: Object.fromEntries(k.fx.pollSlotIds.map((id) => [id, 'yes'])) } }),
  },
  {
    kind: 'http', method: 'POST', path: '/api/conferences/:conferenceId/poll/pick', expect: http(OWNER), why: 'Organizer only; a fresh poll.',
    request: async (k) => {
      const c = await freshPoll(k);
      return { path: `/api/conferences/${c.id}/poll/pick`, body: { slotId: c.poll!.slots[0]!.id } };
    },
  },
  {
    kind: 'http', method: 'POST', path: '/api/conferences/:conferenceId/live', expect: http(OWNER), why: 'Chair or organizer (the owner); starting twice changes nothing.',
    request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}/live`, body: { occurrence: k.fx.occurrence, action: 'start' } }),
  },
  {
    kind: 'http', method: 'PUT', path: '/api/conferences/:conferenceId/live/record', expect: http(OWNER), why: 'Chair or organizer; the meeting is started first.',
    request: async (k) => {
      await k.asOwner('POST', `/api/conferences/${k.fx.conferenceId}/live`, { occurrence: k.fx.occurrence, action: 'start' });
      return { path: `/api/conferences/${k.fx.conferenceId}/live/record`, body: { occurrence: k.fx.occurrence, attended: [k.fx.users.owner.id] } };
    },
  },
  { kind: 'http', method: 'GET', path: '/api/conferences/:conferenceId/audit', expect: http(OWNER), why: 'Organizer only.', request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}/audit` }) },
  { kind: 'http', method: 'GET', path: '/api/conferences/:conferenceId/calendar.ics', expect: http(READ), request: (k) => ({ path: `/api/conferences/${k.fx.conferenceId}/calendar.ics` }) },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/conferences', expect: http(READ), request: (k) => ({ path: `${C(k)}/conferences` }) },
  { kind: 'http', method: 'GET', path: '/api/me/settings', expect: http(SIGNED_IN), request: () => ({ path: '/api/me/settings' }) },
  { kind: 'http', method: 'PUT', path: '/api/me/settings', expect: http(SIGNED_IN), request: () => ({ path: '/api/me/settings', body: { reminderMinutes: 30 } }) },
  { kind: 'http', method: 'POST', path: '/api/me/calendar-feed', expect: http(SIGNED_IN), request: () => ({ path: '/api/me/calendar-feed', body: {} }) },
  { kind: 'http', method: 'DELETE', path: '/api/me/calendar-feed', expect: http(SIGNED_IN), why: 'Revoking when there is none is fine.', request: () => ({ path: '/api/me/calendar-feed' }) },
  {
    kind: 'http', method: 'GET', path: '/api/calendar/:token', expect: http(PUBLIC),
    why: "auth: false: the secret token is the credential, so a fresh feed URL of the owner's works for anyone, signed in or not (by design; a wrong token is 404).",
    request: async (k) => ({ path: new URL((await k.asOwner('POST', '/api/me/calendar-feed', {})).url as string).pathname }),
  },

  // ---------------- exports ----------------
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/exports', expect: http(READ), request: (k) => ({ path: `${C(k)}/exports` }) },
  { kind: 'http', method: 'GET', path: '/api/cases/:caseId/exports/:kind/draft', expect: http(READ), why: 'Every member may export (read).', request: (k) => ({ path: `${C(k)}/exports/patient_summary/draft` }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/exports/:kind/preview', expect: http(READ), request: (k) => ({ path: `${C(k)}/exports/patient_summary/preview`, body: {} }) },
  { kind: 'http', method: 'POST', path: '/api/cases/:caseId/exports/:kind', expect: http(READ), request: (k) => ({ path: `${C(k)}/exports/patient_summary`, body: { format: 'md' } }) },

  // ---------------- reports ----------------
  { kind: 'http', method: 'GET', path: '/api/reports/quality', expect: http(SIGNED_IN), why: "Over the caller's own cases.", request: () => ({ path: '/api/reports/quality?from=2026-01-01&to=2026-12-31' }) },
  { kind: 'http', method: 'GET', path: '/api/reports/quality.csv', expect: http(SIGNED_IN), request: () => ({ path: '/api/reports/quality.csv?from=2026-01-01&to=2026-12-31' }) },

  // ---------------- Socket.io (client → server) ----------------
  {
    kind: 'socket', event: 'case:join', expect: sock('ok ok ok ok not_found unauthenticated'),
    payload: (k) => ({ caseId: k.fx.caseId }),
  },
  {
    kind: 'socket', event: 'case:leave', expect: sock('ok ok ok ok ok unauthenticated'),
    why: 'Leaving a room one is not in is a harmless no-op, so the non-member gets ok too (and learns nothing).',
    payload: (k) => ({ caseId: k.fx.caseId }),
  },
  {
    kind: 'socket', event: 'conference:join', expect: sock('ok ok ok ok not_found unauthenticated'),
    payload: (k) => ({ conferenceId: k.fx.conferenceId }),
  },
  {
    kind: 'socket', event: 'conference:leave', expect: sock('ok ok ok ok ok unauthenticated'),
    why: 'Leaving is a no-op for someone not in the room.',
    payload: (k) => ({ conferenceId: k.fx.conferenceId }),
  },

  // ---------------- the brief document ----------------
  {
    kind: 'brief', name: '/yjs/case:<caseId>:brief', expect: brief('write write read read 404 401'),
    why: 'editBrief: owner and editor write; commenter and viewer get a read-only sync and are closed with 4409 on an edit.',
  },

  // ---------------- last: it ends every session of the actor ----------------
  {
    kind: 'http', method: 'POST', path: '/api/me/password', expect: http(SIGNED_IN), rotatesSession: true,
    why: "Each changes their own password (the current one is checked); every session of theirs ends and a new cookie is issued, so this row runs last.",
    request: (k, a) => ({ path: '/api/me/password', body: { currentPassword: k.fx.passwords[a === 'signedOut' ? 'nonMember' : a], newPassword: NEW_PASSWORD } }),
  },
];
