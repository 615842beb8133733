import { EventEmitter } from 'node:events';
import type { Role } from '../../shared/roles.js';
import type { CaseStatus } from '../../shared/schemas/cases.js';

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
}

/** A typed event emitter, one per server instance (never a module global). */
export class DomainEvents extends EventEmitter<DomainEventMap> {}
