import { randomUUID } from 'node:crypto';
import type { FollowUpBody } from '../../shared/schemas/rounds.js';
import type { CaseItemRecord, FollowUpData, Store, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { conflict, notFound } from './errors.js';
import type { DomainEvents } from './events.js';
import type { NotificationService } from './notifications.js';

/** Reminders go out this many days after a decision, while it is not recorded as implemented. */
export const FOLLOW_UP_DAYS = [30, 90] as const;

/**
 * After a decision: whether the recommendation was carried out, and why not (a reason is
 * required unless it was), prompted by reminders 30 and 90 days after the decision.
 */
export class FollowUpService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
  ) {}

  /** Records a follow-up of a decided round (owners and editors). */
  async record(user: UserRecord, caseId: string, roundId: string, input: Required<FollowUpBody>): Promise<CaseItemRecord<FollowUpData>> {
    await this.access.require(caseId, user.id, 'editRecords');
    const round = await this.store.rounds.find(caseId, roundId);
    if (!round) throw notFound('That vote');
    if (round.result?.outcome.kind !== 'decided') {
      throw conflict('A follow-up is recorded for a vote that closed with a decision.', { round: 'has no decision to follow up' });
    }
    const now = this.clock.now().toISOString();
    const record: CaseItemRecord<FollowUpData> = {
      id: randomUUID(), caseId, version: 1, createdBy: user.id, createdAt: now, updatedAt: now,
      data: { roundId, status: input.status, reason: input.reason, note: input.note },
    };
    await this.store.followUps.create(record);
    await this.audit.record(caseId, user.id, 'followup.recorded', { target: roundId, fields: [input.status, ...(input.reason ? [input.reason] : [])] });
    this.events.emit('roundChanged', { caseId, roundId });
    return record;
  }

  /** The case's follow-ups, oldest first. */
  list(caseId: string): Promise<CaseItemRecord<FollowUpData>[]> {
    return this.store.followUps.list(caseId);
  }

  /**
   * Sends the reminders that are due, each exactly once: to the owners of a case whose decision
   * is 30 or 90 days old and not yet recorded as implemented. Called by the server's clock.
   */
  async sendDue(): Promise<number> {
    const now = this.clock.now().getTime();
    let sent = 0;
    for (const round of await this.store.rounds.listDecided()) {
      if (!round.closedAt) continue;
      const age = (now - Date.parse(round.closedAt)) / 86_400_000;
      for (const days of FOLLOW_UP_DAYS) {
        if (age < days || round.remindersSent.includes(days)) continue;
        const done = (await this.store.followUps.list(round.caseId)).some((f) => f.data.roundId === round.id && f.data.status === 'implemented');
        if (done || !(await this.store.rounds.markReminder(round.caseId, round.id, days))) continue;
        const owners = (await this.store.memberships.listByCase(round.caseId)).filter((m) => m.role === 'owner').map((m) => m.userId);
        await this.notifications.notify({ kind: 'follow_up_due', caseId: round.caseId, actorId: null, recipients: owners });
        sent++;
      }
    }
    return sent;
  }
}
