import { z } from 'zod';
import { DisciplineSchema } from './schemas/auth.js';
import { CaseView, MemberView } from './schemas/cases.js';
import { Id } from './schemas/common.js';

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
} as const;

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
