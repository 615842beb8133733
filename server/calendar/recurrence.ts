/**
 * Repeating conferences. A series is its first meeting (UTC), the organizer's time zone and an
 * RFC 5545 RRULE evaluated in that zone's wall-clock time, so that "Thursdays at 08:00" stays
 * at 08:00 local when daylight saving starts or ends (the UTC instant moves instead).
 *
 * rrule knows nothing of zones here: it is given a "floating" start whose UTC fields are the
 * local wall clock, and each result's UTC fields are read back as local wall time. Expansion
 * is always bounded (MAX_OCCURRENCES items, MAX_SERIES_YEARS years) so that no stored rule can
 * make a request loop or allocate without limit.
 */
import * as rruleModule from 'rrule';
import { isValidTimeZone, utcToWallMs, wallToUtcMs } from '../../shared/time.js';

// rrule ships CommonJS to Node (its ESM build has no "exports" map), so under native ESM the
// named exports sit on `default`; bundlers and type checkers see them at the top level.
const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule);

/** About five years of a weekly meeting. */
export const MAX_OCCURRENCES = 260;
export const MAX_SERIES_YEARS = 5;

export type RecurrenceException =
  /** `original` is the UTC ISO start of the occurrence as the rule generates it. */
  | { original: string; kind: 'skip' }
  /** The occurrence `original` takes place at `start`..`end` (UTC ISO) instead. */
  | { original: string; kind: 'move'; start: string; end: string };

export interface Series { start: string; end: string; timeZone: string; rrule: string | null; exceptions: RecurrenceException[] }

/** `key` is the rule's start for this occurrence (its stable id); `start`/`end` are the actual times. */
export interface Occurrence { key: string; start: string; end: string; moved: boolean }

const DAY_MS = 86_400_000;
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';
const ALLOWED_FREQ = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const TOO_FREQUENT = ['HOURLY', 'MINUTELY', 'SECONDLY'];

/** A comma-separated list of integers within [min, max]; `signed` lists may count from the end but not hold 0. */
function numbers(min: number, max: number, signed = false) {
  return (v: string) => v.split(',').every((item) => {
    if (!(signed ? /^[+-]?\d{1,3}$/ : /^\d{1,2}$/).test(item)) return false;
    const n = Math.abs(Number(item));
    return n >= min && n <= max && (!signed || n !== 0);
  });
}

/** The RFC 5545 recur-rule parts and what their values may be (COUNT, UNTIL and FREQ are read separately). */
const PART_VALUES: Record<string, (v: string) => boolean> = {
  INTERVAL: (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1,
  BYSECOND: numbers(0, 60),
  BYMINUTE: numbers(0, 59),
  BYHOUR: numbers(0, 23),
  BYDAY: (v) => v.split(',').every((d) => new RegExp(`^([+-]?\\d{1,2})?${WEEKDAY}$`).test(d) && Math.abs(parseInt(d, 10) || 1) <= 53 && parseInt(d, 10) !== 0),
  BYMONTHDAY: numbers(1, 31, true),
  BYYEARDAY: numbers(1, 366, true),
  BYWEEKNO: numbers(1, 53, true),
  BYMONTH: numbers(1, 12),
  BYSETPOS: numbers(1, 366, true),
  WKST: (v) => new RegExp(`^${WEEKDAY}$`).test(v),
};

/** UNTIL as written: a UTC instant, a local time, or a local date meaning that whole day; `ms` holds its fields. */
type Until = { kind: 'utc' | 'local' | 'date'; ms: number };

/** A rule that passed reading: `body` holds every part except UNTIL, which rrule would misread. */
interface ParsedRule { body: string; count: number | null; until: Until | null }

type Refusal = { ok: false; message: string };
const refuse = (message: string): Refusal => ({ ok: false, message });
const unreadable = (why: string) => refuse(`The repeat rule could not be read: ${why}`);

function parseUntil(v: string): Until | null {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(v);
  if (!m) return null;
  const n = (i: number) => Number(m[i] ?? 0);
  const [y, mo, d, h, mi, s] = [n(1), n(2), n(3), n(4), n(5), n(6)];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(ms).getUTCDate() !== d || mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return null;
  if (m[4] === undefined) return { kind: 'date', ms };
  return { kind: m[7] ? 'utc' : 'local', ms };
}

/** Reads a rule strictly: rrule's own parser accepts 'COUNT=abc' or 'FREQ=FOO' without complaint. */
function parseRule(raw: string): ParsedRule | Refusal {
  const text = raw.trim().replace(/^RRULE:/i, '');
  if (/DTSTART/i.test(text)) return refuse("The repeat rule must not set its own start (DTSTART); the meeting's start time is used.");
  const seen = new Map<string, string>();
  for (const part of text.split(';').filter((p) => p !== '')) {
    const m = /^([A-Z]+)=([^=;]+)$/.exec(part.toUpperCase());
    if (!m) return unreadable(`"${part.slice(0, 40)}" is not part of a repeat rule.`);
    const [, key = '', value = ''] = m;
    if (seen.has(key)) return unreadable(`${key} is given twice.`);
    const known = key === 'FREQ' || key === 'COUNT' || key === 'UNTIL' || key in PART_VALUES;
    if (!known) return unreadable(`${key} is not part of a repeat rule.`);
    if (key in PART_VALUES && !PART_VALUES[key]!(value)) return unreadable(`${key}=${value.slice(0, 40)} is not a valid value.`);
    seen.set(key, value);
  }
  const freq = seen.get('FREQ');
  if (freq === undefined) return unreadable('it does not say how often the meeting repeats (FREQ).');
  if (TOO_FREQUENT.includes(freq)) return refuse('A meeting can repeat daily, weekly, monthly or yearly, not more often.');
  if (!ALLOWED_FREQ.includes(freq)) return unreadable(`FREQ=${freq.slice(0, 40)} is not a valid value.`);
  const countText = seen.get('COUNT');
  const untilText = seen.get('UNTIL');
  if (countText !== undefined && untilText !== undefined) return unreadable('give either a number of meetings (COUNT) or an end date (UNTIL), not both.');
  if (countText !== undefined && !/^\d{1,9}$/.test(countText)) return unreadable('COUNT must be a whole number.');
  const until = untilText === undefined ? null : parseUntil(untilText);
  if (untilText !== undefined && !until) return unreadable('UNTIL must be a date such as 20260630 or 20260630T235959Z.');
  seen.delete('UNTIL');
  const body = [...seen].map(([k, v]) => `${k}=${v}`).join(';');
  return { body, count: countText === undefined ? null : Number(countText), until };
}

/** The real instant UNTIL stands for: a UTC time as written, a local time or a whole local day in the zone. */
function untilInstant(until: Until, timeZone: string): number {
  if (until.kind === 'utc') return until.ms;
  return wallToUtcMs(until.kind === 'date' ? until.ms + DAY_MS - 1000 : until.ms, timeZone);
}

/** The last floating moment a series may reach: the end of the local day MAX_SERIES_YEARS after its start. */
function spanLimitWall(startWall: number): number {
  const d = new Date(startWall);
  return Date.UTC(d.getUTCFullYear() + MAX_SERIES_YEARS, d.getUTCMonth(), d.getUTCDate(), 23, 59, 59);
}

/** The shortest length in days of one period of each rrule frequency (YEARLY = 0 … DAILY = 3). */
const PERIOD_DAYS = [365, 28, 7, 1];

/**
 * rrule checks UNTIL only against dates that match, so a rule that never matches (30 February,
 * BYSETPOS=2 of a daily set) is searched until the year 9999: seconds of CPU per request. Its
 * loop reads `options.interval` once per period (and once more to advance) and stops when that
 * reads 0, so once the periods that fit in `spanMs` are used up the guard reads 0. This leans on
 * rrule 2.8's loop; tests/unit/calendar.test.ts times never-matching rules so a change shows up.
 */
function stopAfter(rr: InstanceType<typeof RRule>, spanMs: number): void {
  const { freq, interval } = rr.options;
  const periods = Math.ceil(spanMs / DAY_MS / ((PERIOD_DAYS[freq] ?? 1) * interval)) + 2;
  let reads = 0;
  Object.defineProperty(rr.options, 'interval', { get: () => (++reads > 1 + 2 * periods ? 0 : interval) });
}

/** The starts (UTC ms, sorted, distinct) the rule generates, at most `limit` of them and within the span limit. */
function expand(rule: ParsedRule, startMs: number, timeZone: string, limit: number): number[] {
  const startWall = utcToWallMs(startMs, timeZone) + (startMs % 1000);
  let untilWall = spanLimitWall(startWall);
  let untilMs = Infinity;
  if (rule.until) {
    untilMs = untilInstant(rule.until, timeZone);
    // A day of slack in floating time, then the exact cut on real instants below, keeps
    // fall-back overlaps from dropping or adding a meeting at the very end.
    untilWall = Math.min(untilWall, utcToWallMs(untilMs, timeZone) + DAY_MS);
  }
  const rr = new RRule({ ...RRule.parseString(rule.body), dtstart: new Date(startWall), until: new Date(untilWall) });
  stopAfter(rr, untilWall - startWall);
  const starts = rr.all((_, n) => n < limit).map((d) => wallToUtcMs(d.getTime(), timeZone)).filter((ms) => ms <= untilMs);
  return [...new Set(starts)].sort((a, b) => a - b);
}

function parseInstant(s: string): number | null {
  const ms = Date.parse(s);
  return Number.isNaN(ms) ? null : ms;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Whether `rule` may be saved for a series starting at `start` in `timeZone`, with the number of
 * meetings and the last one (lasting until `end`-`start` after its start) to show the user.
 */
export function checkRule(rule: string, start: string, timeZone: string, end: string = start):
  { ok: true; count: number; last: Occurrence } | { ok: false; message: string } {
  if (!isValidTimeZone(timeZone)) return refuse(`The time zone "${String(timeZone).slice(0, 60)}" is not known.`);
  const startMs = parseInstant(start);
  const endMs = parseInstant(end);
  if (startMs === null || endMs === null) return refuse('The start or end time could not be read.');
  const parsed = parseRule(rule);
  if ('ok' in parsed) return parsed;
  if (parsed.count === null && parsed.until === null) return refuse('A repeating meeting must end: give a number of meetings (COUNT) or an end date (UNTIL).');
  if (parsed.count !== null && parsed.count > MAX_OCCURRENCES) return refuse(`A repeating meeting may have at most ${MAX_OCCURRENCES} meetings.`);
  const startWall = utcToWallMs(startMs, timeZone);
  if (parsed.until && untilInstant(parsed.until, timeZone) > wallToUtcMs(spanLimitWall(startWall), timeZone)) {
    return refuse(`A repeating meeting may span at most ${MAX_SERIES_YEARS} years.`);
  }
  let starts: number[];
  try {
    starts = expand(parsed, startMs, timeZone, MAX_OCCURRENCES + 1);
  } catch {
    return unreadable('its parts do not fit together.');
  }
  const first = starts[0];
  const last = starts[starts.length - 1];
  if (first === undefined || last === undefined) return refuse('The repeat rule produces no meeting.');
  if (first !== startMs) return refuse('The first meeting must fall on a day and time the repeat rule produces; change the start or the rule.');
  if (starts.length > MAX_OCCURRENCES) return refuse(`A repeating meeting may have at most ${MAX_OCCURRENCES} meetings.`);
  // The expansion stops at the span limit, so a COUNT that was not reached lies beyond it.
  if (parsed.count !== null && starts.length < parsed.count) return refuse(`A repeating meeting may span at most ${MAX_SERIES_YEARS} years.`);
  return { ok: true, count: starts.length, last: { key: iso(last), start: iso(last), end: iso(last + (endMs - startMs)), moved: false } };
}

/** The rule's own starts (UTC ISO) before exceptions: the keys of the series. Throws on an unreadable rule. */
export function ruleStarts(series: Series): string[] {
  const startMs = parseInstant(series.start);
  if (startMs === null) throw new RangeError('The series start is not a valid instant');
  if (series.rrule === null) return [iso(startMs)];
  const parsed = parseRule(series.rrule);
  if ('ok' in parsed) throw new RangeError(parsed.message);
  return expand(parsed, startMs, series.timeZone, MAX_OCCURRENCES).map(iso);
}

/**
 * The rule as it belongs beside a DTSTART with a TZID in iCalendar: upper case, no 'RRULE:'
 * prefix, and UNTIL as the UTC instant (RFC 5545 requires it; a date means the whole local day).
 */
export function icsRule(rule: string, timeZone: string): string {
  const parsed = parseRule(rule);
  if ('ok' in parsed) throw new RangeError(parsed.message);
  if (!parsed.until) return parsed.body;
  const until = iso(untilInstant(parsed.until, timeZone)).replace(/[-:]|\.\d{3}/g, '');
  return `${parsed.body};UNTIL=${until}`;
}

/** The exceptions that apply to generated keys, by key (a later exception for the same key wins). */
export function exceptionsByKey(series: Series, keys: string[]): Map<string, RecurrenceException> {
  const generated = new Set(keys);
  const result = new Map<string, RecurrenceException>();
  if (series.rrule === null) return result; // a single meeting is edited, not excepted
  for (const ex of series.exceptions) {
    const ms = parseInstant(ex.original);
    if (ms !== null && generated.has(iso(ms))) result.set(iso(ms), ex);
  }
  return result;
}

/** The series' meetings with exceptions applied, sorted by start, optionally only those overlapping [from, to). */
export function occurrences(series: Series, window: { from?: string; to?: string } = {}): Occurrence[] {
  const startMs = parseInstant(series.start);
  const endMs = parseInstant(series.end);
  if (startMs === null || endMs === null) throw new RangeError('The series start or end is not a valid instant');
  const keys = ruleStarts(series);
  const exceptions = exceptionsByKey(series, keys);
  const list: Occurrence[] = [];
  for (const key of keys) {
    const ex = exceptions.get(key);
    if (ex?.kind === 'skip') continue;
    const movedStart = ex?.kind === 'move' ? parseInstant(ex.start) : null;
    const movedEnd = ex?.kind === 'move' ? parseInstant(ex.end) : null;
    if (movedStart !== null && movedEnd !== null) {
      list.push({ key, start: iso(movedStart), end: iso(movedEnd), moved: true });
    } else {
      list.push({ key, start: key, end: iso(Date.parse(key) + (endMs - startMs)), moved: false });
    }
  }
  const from = window.from === undefined ? -Infinity : parseInstant(window.from);
  const to = window.to === undefined ? Infinity : parseInstant(window.to);
  if (from === null || to === null) throw new RangeError('The window is not a pair of valid instants');
  return list
    .filter((o) => Date.parse(o.start) < to && Date.parse(o.end) > from)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

/** The earliest start and latest end over all meetings (moved ones included), for range queries. */
export function seriesSpan(series: Series): { first: string; last: string } {
  const all = occurrences(series);
  if (all.length === 0) return { first: iso(Date.parse(series.start)), last: iso(Date.parse(series.end)) };
  return {
    first: iso(Math.min(...all.map((o) => Date.parse(o.start)))),
    last: iso(Math.max(...all.map((o) => Date.parse(o.end)))),
  };
}

/** The meeting with this key, or null when the rule does not generate it or it is skipped. */
export function occurrenceByKey(series: Series, key: string): Occurrence | null {
  const ms = parseInstant(key);
  if (ms === null) return null;
  return occurrences(series).find((o) => o.key === iso(ms)) ?? null;
}
