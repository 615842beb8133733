import { z } from 'zod';
import { DisciplineSchema } from './schemas/auth.js';
import { CaseView, MemberView } from './schemas/cases.js';
import { ConferenceView } from './schemas/conferences.js';
import { Id } from './schemas/common.js';
import { CoverageView } from './schemas/coverage.js';
import { EvidenceView } from './schemas/evidence.js';
import { NotificationView } from './schemas/notifications.js';
import { OptionView } from './schemas/options.js';
import { RoundView } from './schemas/rounds.js';
import { ReadinessItemView, ReadinessSummary } from './schemas/readiness.js';
import { StakeholderView } from './schemas/stakeholders.js';
import { ThreadView, UnreadView } from './schemas/threads.js';

/**
 * Socket.io event names and payload schemas, imported by the server and the client so that
 * no event name is written twice. See docs/SOCKET_EVENTS.md for who receives what.
 */
export const EVENTS = {
  /** client → server, with ack: join the room of a case (members only). */
  caseJoin: 'case:join',
  /** client → server, with ack: leave the room of a case. */
  caseLeave: 'case:leave',
  /** server → room: who is in the case now. */
  presenceChanged: 'presence:changed',
  /** server → room: the case details changed. */
  caseChanged: 'case:changed',
  /** server → room: the team changed (a member was added, changed or removed). */
  teamChanged: 'team:changed',
  /** server → one user: you no longer have access to this case. */
  caseAccessRevoked: 'case:access-revoked',
  /** server → room: a thread was started, replied to, edited, resolved, reopened or deleted. */
  threadChanged: 'thread:changed',
  /** server → one user (every device): their unread counts on a case. */
  unreadChanged: 'unread:changed',
  /** server → one user: a new notification, and the bell's count. */
  notificationNew: 'notification:new',
  /** server → one user (every device): notifications were read; the bell's count. */
  notificationsRead: 'notifications:read',
  /** server → room: an evidence item, stakeholder entry, readiness item or coverage request changed. */
  itemChanged: 'item:changed',
  /** server → room: one of those was removed. */
  itemRemoved: 'item:removed',
  /** server → each member in the room: a decision round as they may see it (blind rounds hide stances). */
  roundChanged: 'round:changed',
  /**
   * server → every socket of a process: pushes from other processes may have been lost (Redis was
   * unreachable and is back); join your rooms again and refetch, as after a reconnection.
   */
  resync: 'server:resync',
  /** client → server, with ack: follow a conference live (those who may see it). */
  conferenceJoin: 'conference:join',
  /** client → server, with ack: stop following it. */
  conferenceLeave: 'conference:leave',
  /**
   * server → each follower and each invitee (every device): the conference as that person may
   * see it, or null when they no longer may. Carries live mode: the chair's moves reach everyone.
   */
  conferenceChanged: 'conference:changed',
} as const;

export const ConferenceRoomPayload = z.strictObject({ conferenceId: Id });
export type ConferenceRoomPayload = z.infer<typeof ConferenceRoomPayload>;

export const ConferenceChangedPayload = z.object({ conferenceId: Id, conference: ConferenceView.nullable() });
export type ConferenceChangedPayload = z.infer<typeof ConferenceChangedPayload>;

export const CaseRoomPayload = z.strictObject({ caseId: Id });
export type CaseRoomPayload = z.infer<typeof CaseRoomPayload>;

export const PresentUser = z.object({
  userId: Id,
  name: z.string(),
  discipline: DisciplineSchema,
});
export type PresentUser = z.infer<typeof PresentUser>;

export const PresencePayload = z.object({ caseId: Id, people: z.array(PresentUser) });
export type PresencePayload = z.infer<typeof PresencePayload>;

/** Sent to each socket in the room; `case.myRole` is that recipient's own role. */
export const CaseChangedPayload = z.object({ caseId: Id, case: CaseView });
export type CaseChangedPayload = z.infer<typeof CaseChangedPayload>;

export const TeamChangedPayload = z.object({ caseId: Id, members: z.array(MemberView) });
export type TeamChangedPayload = z.infer<typeof TeamChangedPayload>;

export const AccessRevokedPayload = z.object({ caseId: Id });
export type AccessRevokedPayload = z.infer<typeof AccessRevokedPayload>;

/** The acknowledgement of a client → server event: the result, or an error body. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; fields?: Record<string, string> } };

export const JoinAckData = z.object({ presence: PresencePayload });
export type JoinAckData = z.infer<typeof JoinAckData>;

/** A thread as it now is, or null when it was deleted. */
export const ThreadChangedPayload = z.object({ caseId: Id, threadId: Id, thread: ThreadView.nullable() });
export type ThreadChangedPayload = z.infer<typeof ThreadChangedPayload>;

export const UnreadChangedPayload = UnreadView;
export type UnreadChangedPayload = z.infer<typeof UnreadChangedPayload>;

export const NotificationNewPayload = z.object({ notification: NotificationView, unread: z.number().int() });
export type NotificationNewPayload = z.infer<typeof NotificationNewPayload>;

export const NotificationsReadPayload = z.object({ unread: z.number().int() });
export type NotificationsReadPayload = z.infer<typeof NotificationsReadPayload>;

export const ITEM_KINDS = ['evidence', 'stakeholder', 'readiness', 'coverage', 'option'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** The changed item, by kind; readiness changes also carry the case's new readiness summary. */
export const ItemChangedPayload = z.discriminatedUnion('kind', [
  z.object({ caseId: Id, kind: z.literal('evidence'), item: EvidenceView }),
  z.object({ caseId: Id, kind: z.literal('stakeholder'), item: StakeholderView }),
  z.object({ caseId: Id, kind: z.literal('readiness'), item: ReadinessItemView, summary: ReadinessSummary }),
  z.object({ caseId: Id, kind: z.literal('coverage'), item: CoverageView }),
  z.object({ caseId: Id, kind: z.literal('option'), item: OptionView }),
]);
export type ItemChangedPayload = z.infer<typeof ItemChangedPayload>;

export const ItemRemovedPayload = z.object({ caseId: Id, kind: z.enum(ITEM_KINDS), id: Id });
export type ItemRemovedPayload = z.infer<typeof ItemRemovedPayload>;

/** A round as the recipient may see it: each member gets their own view. */
export const RoundChangedPayload = z.object({ caseId: Id, roundId: Id, round: RoundView });
export type RoundChangedPayload = z.infer<typeof RoundChangedPayload>;
