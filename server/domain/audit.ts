import { randomUUID } from 'node:crypto';
import type { AuditRecord, Store } from '../store/port.js';
import type { Clock } from './clock.js';

/** The actions the audit log records. Free clinical text never goes in; only field names. */
export type AuditAction =
  | 'case.created'
  | 'case.updated'
  | 'case.archived'
  | 'case.restored'
  | 'member.added'
  | 'member.updated'
  | 'member.removed'
  | 'thread.created'
  | 'thread.resolved'
  | 'thread.reopened'
  | 'thread.deleted'
  | 'message.posted'
  | 'message.edited'
  | 'message.deleted'
  | 'round.opened'
  | 'round.closed'
  | 'round.recommended'
  | 'followup.recorded'
  | 'ballot.cast'
  | 'ballot.changed'
  | 'export.created'
  | 'audit.exported'
  | 'export.previewed'
  | 'export.drafted'
  | `conference.${'scheduled' | 'poll_opened' | 'slot_picked' | 'changed' | 'cancelled' | 'agenda_changed' | 'case_added' | 'case_removed' | 'occurrence_skipped' | 'occurrence_moved' | 'live_started' | 'live_ended' | 'attendance_recorded' | 'outcome_recorded'}`
  | `${'evidence' | 'stakeholder' | 'readiness' | 'coverage' | 'option'}.${'added' | 'updated' | 'removed'}`;

/** Appends to a case's audit log: who, what, when. */
export class AuditLog {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async record(caseId: string | null, actorId: string | null, action: AuditAction, extra: { target?: string; fields?: string[]; conferenceId?: string } = {}): Promise<void> {
    const entry: AuditRecord = {
      id: randomUUID(),
      caseId,
      conferenceId: extra.conferenceId ?? null,
      actorId,
      action,
      target: extra.target ?? null,
      fields: extra.fields ?? [],
      at: this.clock.now().toISOString(),
    };
    await this.store.audit.append(entry);
  }

  list(caseId: string, limit = 200): Promise<AuditRecord[]> {
    return this.store.audit.listByCase(caseId, limit);
  }

  listForConference(conferenceId: string, limit = 200): Promise<AuditRecord[]> {
    return this.store.audit.listByConference(conferenceId, limit);
  }
}
