/** Periods for the quality report: whole days as YYYY-MM-DD, "today" in this browser's calendar. */

export interface Period {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Today's date here, as a date input holds it. */
export function today(now = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The date `days` after (or before) a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The last `n` days, today included. */
export function lastDays(n: number, now = new Date()): Period {
  const to = today(now);
  return { from: addDays(to, -(n - 1)), to };
}

/** The calendar quarter before this one (January to March, and so on). */
export function lastQuarter(now = new Date()): Period {
  const q = Math.floor(now.getMonth() / 3);
  const year = q === 0 ? now.getFullYear() - 1 : now.getFullYear();
  const first = q === 0 ? 9 : (q - 1) * 3;
  const lastDay = new Date(Date.UTC(year, first + 3, 0)).getUTCDate();
  return { from: `${year}-${pad(first + 1)}-01`, to: `${year}-${pad(first + 3)}-${pad(lastDay)}` };
}

/** From the first of January to today. */
export function thisYear(now = new Date()): Period {
  return { from: `${now.getFullYear()}-01-01`, to: today(now) };
}

/** The default: the last 90 days. */
export const defaultPeriod = (now = new Date()): Period => lastDays(90, now);

/** The quick choices beside the date inputs. */
export const QUICK_PERIODS: { label: string; period: (now?: Date) => Period }[] = [
  { label: 'Last 30 days', period: (now) => lastDays(30, now) },
  { label: 'Last quarter', period: lastQuarter },
  { label: 'This year', period: thisYear },
];

const longDate = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** "1 Sept 2026" for a YYYY-MM-DD date (read as a calendar day, whatever the zone). */
export function formatDay(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? date : longDate.format(t);
}
