/**
 * The "Repeats weekly" control's rule, and repeat rules in words. The server reads and checks
 * the full RFC 5545 grammar; this only writes the weekly subset and describes common rules.
 */

export const WEEKDAYS = [
  { code: 'MO', short: 'Mon', long: 'Monday' },
  { code: 'TU', short: 'Tue', long: 'Tuesday' },
  { code: 'WE', short: 'Wed', long: 'Wednesday' },
  { code: 'TH', short: 'Thu', long: 'Thursday' },
  { code: 'FR', short: 'Fri', long: 'Friday' },
  { code: 'SA', short: 'Sat', long: 'Saturday' },
  { code: 'SU', short: 'Sun', long: 'Sunday' },
] as const;
export type WeekdayCode = (typeof WEEKDAYS)[number]['code'];

/** The weekday of a 'YYYY-MM-DD' date, or null when it is not one. */
export function weekdayOf(date: string): WeekdayCode | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  if (Number.isNaN(day)) return null;
  return WEEKDAYS[(day + 6) % 7]!.code;
}

export interface WeeklyDraft {
  days: WeekdayCode[];
  ends: 'count' | 'until';
  /** How many meetings, as typed. */
  count: string;
  /** The last day, 'YYYY-MM-DD' (that whole day in the conference's zone). */
  until: string;
}

/** FREQ=WEEKLY;BYDAY=TH;COUNT=12 or …;UNTIL=20270601 from the weekly control. */
export function weeklyRule(d: WeeklyDraft): string {
  const days = WEEKDAYS.map((w) => w.code).filter((c) => d.days.includes(c));
  const parts = ['FREQ=WEEKLY'];
  if (days.length > 0) parts.push(`BYDAY=${days.join(',')}`);
  if (d.ends === 'count') parts.push(`COUNT=${d.count.trim()}`);
  else parts.push(`UNTIL=${d.until.replaceAll('-', '')}`);
  return parts.join(';');
}

const FREQ_WORDS: Record<string, [string, string]> = {
  DAILY: ['day', 'days'],
  WEEKLY: ['week', 'weeks'],
  MONTHLY: ['month', 'months'],
  YEARLY: ['year', 'years'],
};

function list(words: string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** A repeat rule in words: "Every week on Thursday, 12 meetings"; the rule itself when it is unusual. */
export function describeRule(rrule: string): string {
  const parts = new Map(
    rrule
      .replace(/^RRULE:/i, '')
      .split(';')
      .map((p) => p.split('=') as [string, string | undefined])
      .map(([k, v]) => [k.toUpperCase(), v ?? '']),
  );
  const freq = FREQ_WORDS[parts.get('FREQ') ?? ''];
  const known = new Set(['FREQ', 'INTERVAL', 'BYDAY', 'COUNT', 'UNTIL', 'WKST']);
  if (!freq || [...parts.keys()].some((k) => !known.has(k))) return `Repeats: ${rrule}`;
  const interval = Number(parts.get('INTERVAL') ?? '1') || 1;
  let text = interval === 1 ? `Every ${freq[0]}` : `Every ${interval} ${freq[1]}`;
  const byday = parts.get('BYDAY');
  if (byday) {
    const names = byday.split(',').map((c) => WEEKDAYS.find((w) => w.code === c)?.long);
    if (names.some((n) => !n)) return `Repeats: ${rrule}`;
    text += ` on ${list(names as string[])}`;
  }
  const count = parts.get('COUNT');
  const until = parts.get('UNTIL');
  if (count) text += `, ${count} ${count === '1' ? 'meeting' : 'meetings'}`;
  else if (until && /^\d{8}/.test(until)) text += `, until ${until.slice(6, 8).replace(/^0/, '')} ${MONTHS[Number(until.slice(4, 6)) - 1] ?? ''} ${until.slice(0, 4)}`;
  return text;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
