import { EventEmitter } from 'node:events';
import type { Role } from '../../shared/roles.js';
import type { CaseStatus } from '../../shared/schemas/cases.js';
import type { NotificationRecord } from '../store/port.js';

/** What the domain announces after a change has been stored. Transports subscribe; the domain knows none of them. */
export interface DomainEventMap {
  /** The case details (title, status, ...) changed. */
  caseChanged: [{ caseId: string; status: CaseStatus }];
  /** Someone joined the team, or a member's role or discipline changed. */
  teamChanged: [{ caseId: string }];
  /** A member's role changed: open connections must take the new abilities. */
  memberRoleChanged: [{ caseId: string; userId: string; role: Role }];
  /** A member was removed: their open connections to the case must close. */
  memberRemoved: [{ caseId: string; userId: string }];
  /** These sessions ended (sign-out): their live connections must close. */
  sessionEnded: [{ sessionIds: string[] }];
  /** A thread or one of its messages changed. */
  threadChanged: [{ caseId: string; threadId: string }];
  /** These users' unread counts on the case changed. */
  unreadChanged: [{ caseId: string; userIds: string[] }];
  /** New notifications, one per recipient. */
  notificationsCreated: [{ notifications: NotificationRecord[] }];
  /** The user read notifications (their other devices update the bell). */
  notificationsRead: [{ userId: string }];
  /** A decision round was opened, a ballot cast or changed, or the round closed. */
  roundChanged: [{ caseId: string; roundId: string }];
  /** A conference changed (its people before and after the change, so lists update for those removed too). */
  conferenceChanged: [{ conferenceId: string; peopleIds: string[] }];
  /** An item of one of the case's collections changed or was removed. */
  caseItemChanged: [{ caseId: string; kind: CaseItemKind; id: string; removed: boolean }];
}

/** The case's small collections, as named in events and on the wire. */
export type CaseItemKind = 'evidence' | 'stakeholder' | 'readiness' | 'coverage' | 'option';

/** A typed event emitter, one per server instance (never a module global). */
export class DomainEvents extends EventEmitter<DomainEventMap> {}
