import { todayIn } from '../../../../shared/deadlines.js';
import type { DeadlineView } from '../../../../shared/schemas/coverage.js';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** A calendar date (YYYY-MM-DD) for people, e.g. "12 Mar 2026"; the same date in every time zone. */
export function formatDate(date: string | null): string {
  if (!date) return '';
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? date : dateFormat.format(t);
}

/** Today's date in this browser's time zone. */
export function today(): string {
  return todayIn(Intl.DateTimeFormat().resolvedOptions().timeZone, new Date());
}

const days = (n: number) => `${n} ${n === 1 ? 'day' : 'days'}`;

/** "Due in 3 days", "Due today", "Overdue by 2 days" or "Closed": never colour alone. */
export function deadlineText(d: DeadlineView): string {
  switch (d.state) {
    case 'closed':
      return 'Closed';
    case 'overdue':
      return `Overdue by ${days(Math.max(1, -d.daysLeft))}`;
    case 'due_soon':
    case 'upcoming':
      return d.daysLeft === 0 ? 'Due today' : `Due in ${days(d.daysLeft)}`;
    default:
      return '';
  }
}

/** How late a stakeholder's next step is, counted by the server in the team's time zone. */
export function overdueText(daysLeft: number): string {
  return `Overdue by ${days(Math.max(1, -daysLeft))}`;
}

/** For an open next step that is not late: "Due today", "Due in 4 days". */
export function dueText(daysLeft: number): string {
  return daysLeft <= 0 ? 'Due today' : `Due in ${days(daysLeft)}`;
}
