import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { z } from 'zod';
import { type Ack, CaseRoomPayload, ConferenceRoomPayload, EVENTS, type ItemChangedPayload, type ItemKind, type PresencePayload, type PresentUser } from '../../shared/events.js';
import { fieldErrors, summarizeFieldErrors } from '../../shared/validation.js';
import { canSeeConference } from '../domain/conference-access.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import { conferenceView } from '../conference-views.js';
import { readCookie, SESSION_COOKIE } from '../http/cookies.js';
import { isSameOrigin } from '../http/middleware.js';
import { describeError } from '../log.js';
import { applyAccessChange, type AccessChange } from './yjs/upgrade.js';
import { readinessSummary } from '../../shared/readiness.js';
import { namesOf } from '../people.js';
import {
  presentCase, presentCoverage, presentEvidence, presentMember, presentOption, presentReadiness, presentStakeholder, presentUnread,
} from '../presenters.js';
import { notificationViews, roundViews, threadView } from '../views.js';
import type { Services } from '../services.js';
import { STORAGE_UNAVAILABLE_MESSAGE, storageUnavailable } from '../store/errors.js';
import type { UserRecord } from '../store/port.js';

/**
 * What a socket carries about its person. With several processes it travels through Redis in
 * answers to fetchSockets, so it holds only what others may read: never the password hash or
 * the calendar token hash of the full record.
 */
interface SocketData {
  user: Pick<UserRecord, 'id' | 'name' | 'discipline'>;
  sessionId: string;
}
type AppSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;

const caseRoom = (caseId: string) => `case:${caseId}`;
const userRoom = (userId: string) => `user:${userId}`;
/** The server-side event that carries access changes between processes. */
const ACCESS_RELAY = 'consilium:access-changed';
const conferenceRoom = (conferenceId: string) => `conference:${conferenceId}`;

/** Validates a payload and runs a handler, answering the ack with its result or a coded error. */
function handle<S extends z.ZodType, T>(s: Services, event: string, schema: S, run: (payload: z.output<S>) => Promise<T>) {
  // Socket.io passes the acknowledgement last, after however many arguments the client sent.
  return async (...args: unknown[]): Promise<void> => {
    const ack = args[args.length - 1];
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => undefined;
    try {
      const parsed = schema.safeParse(payload);
      if (!parsed.success) {
        const fields = fieldErrors(parsed.error, 'payload');
        throw invalid(summarizeFieldErrors(fields), fields);
      }
      reply({ ok: true, data: await run(parsed.data) });
    } catch (err) {
      if (err instanceof DomainError) {
        reply({ ok: false, error: { code: err.code, message: err.message, ...(err.fields ? { fields: err.fields } : {}) } });
        return;
      }
      const unavailable = storageUnavailable(err);
      if (unavailable) {
        s.log.warn('socket.storage_unavailable', { event, reason: unavailable.reason });
        reply({ ok: false, error: { code: 'unavailable', message: STORAGE_UNAVAILABLE_MESSAGE } });
        return;
      }
      s.log.error('socket.unhandled', { event, ...describeError(err) });
      reply({ ok: false, error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } });
    }
  };
}

/**
 * Socket.io on the same HTTP server, authenticated by the session cookie: one room per case,
 * joined only by members; presence derived from who is in the room (so it holds across
 * processes with a shared adapter); domain changes pushed to the rooms they concern.
 */
export function attachSockets(httpServer: HttpServer, s: Services, adapter?: ServerOptions['adapter']): Server {
  const io = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: s.config.maxMessageBytes,
    // Nothing but the handshake before authentication: a request without a live session never
    // gets an Engine.IO session, so it cannot send packets or hold a connection open.
    allowRequest: (req, callback) => {
      if (!isSameOrigin(req.headers.origin, req.headers.host)) return callback('forbidden origin', false);
      s.accounts
        .authenticate(readCookie(req.headers.cookie, SESSION_COOKIE))
        .then((session) => callback(session ? null : 'unauthenticated', session !== null))
        .catch(() => callback('unavailable', false));
    },
    ...(adapter ? { adapter } : {}),
  });
  /** The signed-in person's full record, for this process's own sockets only. */
  const users = new WeakMap<Socket, UserRecord>();

  io.use((socket, next) => {
    s.accounts
      .authenticate(readCookie(socket.request.headers.cookie, SESSION_COOKIE))
      .then((session) => {
        if (!session) return next(new Error('unauthenticated'));
        const { id, name, discipline } = session.user;
        users.set(socket, session.user);
        (socket as AppSocket).data.user = { id, name, discipline };
        (socket as AppSocket).data.sessionId = session.sessionId;
        // The handshake (headers included) is sent to other processes in answers to fetchSockets:
        // the session cookie, read above and never again, must not travel with it.
        delete socket.handshake.headers.cookie;
        next();
      })
      .catch(() => next(new Error('unavailable')));
  });

  /**
   * The sockets in a room across every process; only this process's while the other processes
   * cannot be asked (Redis unreachable), so that joining a case still works.
   */
  async function socketsIn(room: string) {
    try {
      return await io.in(room).fetchSockets();
    } catch (err) {
      s.log.warn('socket.fetch_remote_failed', describeError(err));
      return io.local.in(room).fetchSockets();
    }
  }

  async function presence(caseId: string): Promise<PresencePayload> {
    const sockets = await socketsIn(caseRoom(caseId));
    const people = new Map<string, PresentUser>();
    for (const sock of sockets) {
      const u = (sock.data as SocketData).user;
      people.set(u.id, { userId: u.id, name: u.name, discipline: u.discipline });
    }
    return { caseId, people: [...people.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  async function broadcastPresence(caseId: string): Promise<void> {
    io.to(caseRoom(caseId)).emit(EVENTS.presenceChanged, await presence(caseId));
  }

  io.on('connection', (raw) => {
    const socket = raw as AppSocket;
    const user = users.get(socket)!;
    void socket.join(userRoom(user.id));

    socket.on(
      EVENTS.caseJoin,
      handle(s, EVENTS.caseJoin, CaseRoomPayload, async ({ caseId }) => {
        await s.access.require(caseId, user.id, 'read');
        await socket.join(caseRoom(caseId));
        // A removal between the check and the join would leave a stranger in the room.
        if (!(await s.access.membership(caseId, user.id))) {
          await socket.leave(caseRoom(caseId));
          throw notFound();
        }
        const current = await presence(caseId);
        socket.to(caseRoom(caseId)).emit(EVENTS.presenceChanged, current);
        return { presence: current };
      }),
    );

    socket.on(
      EVENTS.caseLeave,
      handle(s, EVENTS.caseLeave, CaseRoomPayload, async ({ caseId }) => {
        if (!socket.rooms.has(caseRoom(caseId))) return {};
        await socket.leave(caseRoom(caseId));
        await broadcastPresence(caseId);
        return {};
      }),
    );

    socket.on(
      EVENTS.conferenceJoin,
      handle(s, EVENTS.conferenceJoin, ConferenceRoomPayload, async ({ conferenceId }) => {
        await s.conferences.get(user, conferenceId);
        await socket.join(conferenceRoom(conferenceId));
        // Access lost between the check and the join would leave a stranger in the room.
        const record = await s.conferences.get(user, conferenceId).catch(async (err: unknown) => {
          await socket.leave(conferenceRoom(conferenceId));
          throw err;
        });
        return { conference: await conferenceView(s.store, s.conferences, user, record, s.clock.now().toISOString()) };
      }),
    );

    socket.on(
      EVENTS.conferenceLeave,
      handle(s, EVENTS.conferenceLeave, ConferenceRoomPayload, async ({ conferenceId }) => {
        await socket.leave(conferenceRoom(conferenceId));
        return {};
      }),
    );

    socket.on('disconnecting', () => {
      const cases = [...socket.rooms].filter((r) => r.startsWith('case:')).map((r) => r.slice('case:'.length));
      socket.once('disconnect', () => {
        for (const caseId of cases) broadcastPresence(caseId).catch(() => undefined);
      });
    });
  });

  // Each recipient sees the case with their own role and abilities.
  async function pushCase(caseId: string): Promise<void> {
    const sockets = await socketsIn(caseRoom(caseId));
    for (const sock of sockets) {
      const view = await s.cases.viewFor((sock.data as SocketData).user.id, caseId);
      if (view) sock.emit(EVENTS.caseChanged, { caseId, case: presentCase(view.record, view.membership, view.health) });
    }
  }

  async function pushTeam(caseId: string): Promise<void> {
    const members = (await s.team.members(caseId)).map(presentMember);
    io.to(caseRoom(caseId)).emit(EVENTS.teamChanged, { caseId, members });
  }

  const safely = (what: string, p: Promise<void>): void => void p.catch((err) => s.log.error('socket.push_failed', { what, ...describeError(err) }));
  s.events.on('caseChanged', ({ caseId }) => void safely('case', pushCase(caseId)));
  s.events.on('teamChanged', ({ caseId }) => void safely('team', pushTeam(caseId)));
  s.events.on('memberRoleChanged', ({ caseId }) => void safely('case', pushCase(caseId)));
  // Readiness, stakeholder and coverage changes move the case's flags; unread counts move its own.
  s.events.on('caseItemChanged', ({ caseId, kind }) => {
    if (kind !== 'evidence' && kind !== 'option') void safely('case', pushCase(caseId));
  });
  const endSessions = (sessionIds: string[]) => {
    for (const [, sock] of io.of('/').sockets) {
      if (sessionIds.includes((sock as AppSocket).data.sessionId)) sock.disconnect(true);
    }
  };
  s.events.on('sessionEnded', ({ sessionIds }) => endSessions(sessionIds));

  // With several processes, a change of access made on one must reach the brief connections and
  // sockets open on the others. serverSideEmit goes to the other processes only (a no-op without
  // a shared adapter); each applies it to what it holds.
  const relay = (change: AccessChange) => {
    if (adapter) io.serverSideEmit(ACCESS_RELAY, change);
  };
  s.events.on('memberRoleChanged', (e) => relay({ kind: 'role', ...e }));
  s.events.on('caseChanged', (e) => relay({ kind: 'case', ...e }));
  s.events.on('memberRemoved', (e) => relay({ kind: 'removed', ...e }));
  s.events.on('sessionEnded', (e) => relay({ kind: 'sessions', ...e }));
  io.on(ACCESS_RELAY, (change: AccessChange) => {
    applyAccessChange(s.hub, change);
    if (change.kind === 'sessions') endSessions(change.sessionIds);
  });
  s.events.on('memberRemoved', ({ caseId, userId }) => {
    io.to(userRoom(userId)).emit(EVENTS.caseAccessRevoked, { caseId });
    io.in(userRoom(userId)).socketsLeave(caseRoom(caseId));
    void safely('presence', broadcastPresence(caseId));
  });

  // Each follower and invitee gets the conference as they may see it; someone who no longer may
  // gets null and leaves the room.
  s.events.on('conferenceChanged', ({ conferenceId, peopleIds }) =>
    safely('conference', (async () => {
      const record = await s.store.conferences.find(conferenceId);
      const sockets = new Map<string, Awaited<ReturnType<typeof io.fetchSockets>>[number]>();
      for (const room of [conferenceRoom(conferenceId), ...peopleIds.map(userRoom)]) {
        for (const sock of await socketsIn(room)) sockets.set(sock.id, sock);
      }
      const views = new Map<string, unknown>();
      for (const sock of sockets.values()) {
        const viewerId = (sock.data as SocketData).user.id;
        if (!views.has(viewerId)) {
          // The socket may be another process's: read the person's record here.
          const viewer = record && (await canSeeConference(s.store, record, viewerId)) ? await s.store.users.findById(viewerId) : null;
          views.set(viewerId, record && viewer ? await conferenceView(s.store, s.conferences, viewer, record, s.clock.now().toISOString()) : null);
        }
        const conference = views.get(viewerId) ?? null;
        if (conference === null) sock.leave(conferenceRoom(conferenceId));
        sock.emit(EVENTS.conferenceChanged, { conferenceId, conference });
      }
    })()),
  );

  attachDiscussionPushes(io, s, safely, socketsIn);
  return io;
}

/**
 * Pushes for discussion and the case's records: threads to the case room, unread counts and
 * notifications to each user's own room (all their devices), items to the case room.
 */
function attachDiscussionPushes(
  io: Server, s: Services, safely: (what: string, p: Promise<void>) => void, socketsIn: (room: string) => ReturnType<Server['fetchSockets']>,
): void {
  // Each member gets the round as they may see it: a blind round hides others' stances until it closes.
  s.events.on('roundChanged', ({ caseId, roundId }) =>
    safely('round', (async () => {
      const bundle = await s.decisions.bundle(caseId, roundId);
      for (const sock of await socketsIn(caseRoom(caseId))) {
        const viewer = (sock.data as { user: { id: string } }).user.id;
        if (!(await s.store.memberships.find(caseId, viewer))) continue;
        const [round] = await roundViews(s.store, viewer, [bundle]);
        sock.emit(EVENTS.roundChanged, { caseId, roundId, round });
      }
    })()),
  );
  s.events.on('threadChanged', ({ caseId, threadId }) =>
    safely('thread', (async () => {
      const bundle = await s.discussion.bundle(caseId, threadId).catch(() => null); // null once deleted
      io.to(caseRoom(caseId)).emit(EVENTS.threadChanged, { caseId, threadId, thread: bundle && (await threadView(s.store, bundle)) });
    })()),
  );
  s.events.on('unreadChanged', ({ caseId, userIds }) =>
    safely('unread', (async () => {
      for (const userId of userIds) {
        io.to(userRoom(userId)).emit(EVENTS.unreadChanged, presentUnread(caseId, await s.store.unread.byThread(userId, caseId)));
      }
    })()),
  );
  s.events.on('notificationsCreated', ({ notifications }) =>
    safely('notifications', (async () => {
      const views = await notificationViews(s.store, notifications);
      for (const [i, n] of notifications.entries()) {
        io.to(userRoom(n.userId)).emit(EVENTS.notificationNew, { notification: views[i]!, unread: await s.store.notifications.countUnread(n.userId) });
      }
    })()),
  );
  s.events.on('notificationsRead', ({ userId }) =>
    safely('notifications', (async () => {
      io.to(userRoom(userId)).emit(EVENTS.notificationsRead, { unread: await s.store.notifications.countUnread(userId) });
    })()),
  );
  s.events.on('caseItemChanged', ({ caseId, kind, id, removed }) =>
    safely('item', (async () => {
      if (removed) io.to(caseRoom(caseId)).emit(EVENTS.itemRemoved, { caseId, kind, id });
      else {
        const payload = await itemPayload(s, caseId, kind, id);
        if (payload) io.to(caseRoom(caseId)).emit(EVENTS.itemChanged, payload);
      }
    })()),
  );
}

/** The pushed view of one changed item. */
async function itemPayload(s: Services, caseId: string, kind: ItemKind, id: string): Promise<ItemChangedPayload | null> {
  const today = s.health.today();
  switch (kind) {
    case 'evidence': {
      const r = await s.store.evidence.find(caseId, id);
      return r && { caseId, kind, item: presentEvidence(r, await namesOf(s.store, [r.createdBy])) };
    }
    case 'stakeholder': {
      const r = await s.store.stakeholders.find(caseId, id);
      return r && { caseId, kind, item: presentStakeholder(r, await namesOf(s.store, [r.createdBy]), today) };
    }
    case 'coverage': {
      const r = await s.store.coverage.find(caseId, id);
      return r && { caseId, kind, item: presentCoverage(r, await namesOf(s.store, [r.createdBy]), today) };
    }
    case 'option': {
      const r = await s.store.options.find(caseId, id);
      if (!r) return null;
      const library = new Set((await s.store.evidence.list(caseId)).map((e) => e.id));
      return { caseId, kind, item: presentOption(r, await namesOf(s.store, [r.createdBy]), library) };
    }
    case 'readiness': {
      const r = await s.store.readiness.find(caseId, id);
      if (!r) return null;
      const all = await s.store.readiness.list(caseId);
      return { caseId, kind, item: presentReadiness(r, await namesOf(s.store, [r.data.confirmedBy])), summary: readinessSummary(all.map((i) => i.data)) };
    }
  }
}
