import { coverageDeadlinesOpen, deadlineState, nextStepOverdue, todayIn } from '../../shared/deadlines.js';
import { readinessSummary } from '../../shared/readiness.js';
import { STANDARD_READINESS_ITEMS } from '../../shared/schemas/readiness.js';
import type { CaseHealth } from '../../shared/schemas/cases.js';
import type { Store } from '../store/port.js';
import type { Clock } from './clock.js';

/**
 * The flags a case shows in the list and the workspace: readiness for conference, overdue
 * stakeholder next steps, payer deadlines due soon or past, and the user's unread comments.
 */
export class CaseHealthService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly timeZone: string,
  ) {}

  /** Today's date where the team works (the TIME_ZONE setting). */
  today(): string {
    return todayIn(this.timeZone, this.clock.now());
  }

  async forCases(userId: string, caseIds: string[]): Promise<Map<string, CaseHealth>> {
    const [readiness, stakeholders, coverage, unread] = await Promise.all([
      this.store.readiness.listForCases(caseIds),
      this.store.stakeholders.listForCases(caseIds),
      this.store.coverage.listForCases(caseIds),
      this.store.unread.byCase(userId, caseIds),
    ]);
    const today = this.today();
    const result = new Map<string, CaseHealth>();
    for (const caseId of caseIds) {
      const items = readiness.filter((r) => r.caseId === caseId).map((r) => r.data);
      // A case whose checklist was never opened has the standard items, all missing.
      const checklist = items.length > 0 ? items : STANDARD_READINESS_ITEMS.map(() => ({ required: true, state: 'missing' as const }));
      let deadlinesDueSoon = 0;
      let deadlinesOverdue = 0;
      for (const request of coverage.filter((c) => c.caseId === caseId).map((c) => c.data)) {
        const open = coverageDeadlinesOpen(request.decision, request.appealOutcome);
        for (const [date, isOpen] of [[request.appealDeadline, open.appeal], [request.peerToPeerDeadline, open.peerToPeer]] as const) {
          if (!date) continue;
          const { state } = deadlineState(date, today, isOpen);
          if (state === 'due_soon') deadlinesDueSoon++;
          if (state === 'overdue') deadlinesOverdue++;
        }
      }
      result.set(caseId, {
        readiness: readinessSummary(checklist),
        overdueNextSteps: stakeholders.filter((s) => s.caseId === caseId && nextStepOverdue(s.data, today)).length,
        deadlinesDueSoon,
        deadlinesOverdue,
        unread: unread.get(caseId) ?? 0,
      });
    }
    return result;
  }
}
