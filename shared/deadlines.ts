/**
 * Date rules shared by the server (flags in the case list) and the client. Dates are calendar
 * dates (YYYY-MM-DD); "today" is the date in the team's time zone, passed in by the caller.
 */
import type { AppealOutcome, CoverageDecision, DeadlineState } from './schemas/coverage.js';
import type { StakeholderStatus } from './schemas/stakeholders.js';

/** How many days from `today` to `date` (negative when past). */
export function daysUntil(date: string, today: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

/** The calendar date at `now` in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Deadlines within this many days (today included) are flagged as due soon. */
export const DUE_SOON_DAYS = 7;

/** The state of a deadline that still matters (`open`), or `closed` when it no longer does. */
export function deadlineState(date: string, today: string, open: boolean): { state: DeadlineState; daysLeft: number } {
  const daysLeft = daysUntil(date, today);
  if (!open) return { state: 'closed', daysLeft };
  if (daysLeft < 0) return { state: 'overdue', daysLeft };
  if (daysLeft <= DUE_SOON_DAYS) return { state: 'due_soon', daysLeft };
  return { state: 'upcoming', daysLeft };
}

const SETTLED: AppealOutcome[] = ['overturned', 'partially_overturned', 'upheld', 'withdrawn'];

/** Whether a coverage request's appeal and peer-to-peer deadlines still need action. */
export function coverageDeadlinesOpen(decision: CoverageDecision, appealOutcome: AppealOutcome): { appeal: boolean; peerToPeer: boolean } {
  const settled = decision === 'approved' || SETTLED.includes(appealOutcome);
  return { appeal: !settled && appealOutcome === 'none', peerToPeer: !settled };
}

/** A stakeholder's next step is overdue when it is not resolved and its due date has passed. */
export function nextStepOverdue(entry: { status: StakeholderStatus; nextStepDue: string | null }, today: string): boolean {
  return entry.status !== 'resolved' && entry.nextStepDue !== null && daysUntil(entry.nextStepDue, today) < 0;
}
