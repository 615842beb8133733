/**
 * Conferences as an RFC 5545 calendar (one event or a subscribed feed). A repeating series is
 * written in its organizer's zone (DTSTART;TZID plus RRULE) so that calendar programs keep it at
 * the same local time across daylight-saving changes, exactly as recurrence.ts expands it; every
 * zone used gets a VTIMEZONE built from Intl, because clients may not know the zone's rules.
 */
import { offsetMinutes, utcToWallMs, zoneLabel } from '../../shared/time.js';
import { exceptionsByKey, icsRule, ruleStarts, type Series } from './recurrence.js';

export interface IcsEvent {
  /** e.g. `${conferenceId}@consilium` */
  uid: string;
  title: string;
  /** Plain text. */
  description: string;
  /** May be ''. */
  location: string;
  /** A link back into the app. */
  url: string | null;
  series: Series;
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** Bumped with every change so that clients replace their copy. */
  sequence: number;
  /** UTC ISO, written as LAST-MODIFIED. */
  updatedAt: string;
  organizer: { name: string } | null;
}

const CRLF = '\r\n';
const DAY_MS = 86_400_000;
const encoder = new TextEncoder();
/**
 * ORGANIZER must be a URI, and meetings here have no organizer email to publish; a URN is a
 * valid cal-address that no client will try to send replies to, and CN still shows the name.
 */
const ORGANIZER_URI = 'urn:consilium:organizer';

/** A TEXT value: backslash, semicolon, comma and line breaks escaped; other control characters dropped. */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');
}

/** A quoted parameter value (CN="…"): it cannot hold quotes or control characters at all. */
function quoteParam(value: string): string {
  return `"${value.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/"/g, "'")}"`;
}

/** A content line folded at 75 octets, continuation lines starting with a space, never inside a character. */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    if (octets + size > 75) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}

const utcStamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
const localStamp = (ms: number, timeZone: string) => utcStamp(utcToWallMs(ms, timeZone)).slice(0, -1);

function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** The zone's name at `ms` in the locale that has a familiar abbreviation for it (CEST, EDT), else 'GMT+5:30'. */
function zoneName(ms: number, timeZone: string): string {
  const names = ['en-GB', 'en-US'].map((locale) => zoneLabel(new Date(ms), timeZone, locale));
  return names.find((n) => !/^GMT[+-]/.test(n)) ?? names[0] ?? timeZone;
}

/** The instants in [fromMs, toMs) at which the zone's offset changes, found to the minute. */
function transitions(timeZone: string, fromMs: number, toMs: number): { at: number; from: number; to: number }[] {
  const offset = (ms: number) => offsetMinutes(new Date(ms), timeZone);
  const found: { at: number; from: number; to: number }[] = [];
  let prev = fromMs;
  let prevOffset = offset(fromMs);
  // Daily probes: no zone changes its offset twice within a day.
  for (let t = fromMs + DAY_MS; t < toMs + DAY_MS; t += DAY_MS) {
    const next = offset(t);
    if (next === prevOffset) {
      prev = t;
      continue;
    }
    let lo = prev; // offset is prevOffset here
    let hi = t; // and no longer here
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === prevOffset) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, from: prevOffset, to: offset(hi) });
    prev = t;
    prevOffset = next;
  }
  return found.filter((x) => x.at < toMs);
}

/** A VTIMEZONE for `timeZone` covering the years from `fromMs` to `toMs`, one sub-component per offset change. */
function vtimezone(timeZone: string, fromMs: number, toMs: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const changes = transitions(timeZone, fromMs, toMs);
  if (changes.length === 0) {
    const fixed = offsetMinutes(new Date(fromMs), timeZone);
    changes.push({ at: fromMs, from: fixed, to: fixed });
  }
  for (const { at, from, to } of changes) {
    const kind = to > from ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      // Onsets are written in the local time that was in force before the change (RFC 5545 3.6.5).
      `DTSTART:${utcStamp(at + from * 60_000).slice(0, -1)}`,
      `TZOFFSETFROM:${formatOffset(from)}`,
      `TZOFFSETTO:${formatOffset(to)}`,
      `TZNAME:${escapeText(zoneName(at, timeZone))}`,
      `END:${kind}`,
    );
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** The properties every VEVENT of this event shares (the series and its moved occurrences). */
function commonLines(event: IcsEvent, now: Date): string[] {
  const lines = [
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utcStamp(now.getTime())}`,
    `SUMMARY:${escapeText(event.title)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
  ];
  if (event.location !== '') lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.url) lines.push(`URL:${event.url.replace(/[\u0000-\u001f\u007f]/g, '')}`);
  if (event.organizer) lines.push(`ORGANIZER;CN=${quoteParam(event.organizer.name)}:${ORGANIZER_URI}`);
  lines.push(
    `STATUS:${event.status}`,
    `SEQUENCE:${Math.max(0, Math.floor(event.sequence))}`,
    `LAST-MODIFIED:${utcStamp(Date.parse(event.updatedAt))}`,
  );
  return lines;
}

/** The VEVENTs of one event and, when it repeats, the instants its zone must cover. */
function eventLines(event: IcsEvent, now: Date): { lines: string[]; zoneRange: [number, number] | null } {
  const { series } = event;
  const start = Date.parse(series.start);
  const end = Date.parse(series.end);
  if (series.rrule === null) {
    const lines = ['BEGIN:VEVENT', ...commonLines(event, now), `DTSTART:${utcStamp(start)}`, `DTEND:${utcStamp(end)}`, 'END:VEVENT'];
    return { lines, zoneRange: null };
  }
  const tz = series.timeZone;
  const at = (ms: number) => `;TZID=${tz}:${localStamp(ms, tz)}`;
  const keys = ruleStarts(series);
  const exceptions = exceptionsByKey(series, keys);
  const main = ['BEGIN:VEVENT', ...commonLines(event, now), `DTSTART${at(start)}`, `DTEND${at(end)}`, `RRULE:${icsRule(series.rrule, tz)}`];
  const overrides: string[] = [];
  const covered = [start, end, ...keys.map(Date.parse)];
  for (const [key, ex] of exceptions) {
    if (ex.kind === 'skip') {
      main.push(`EXDATE${at(Date.parse(key))}`);
      continue;
    }
    const [movedStart, movedEnd] = [Date.parse(ex.start), Date.parse(ex.end)];
    if (Number.isNaN(movedStart) || Number.isNaN(movedEnd)) continue;
    covered.push(movedStart, movedEnd);
    overrides.push('BEGIN:VEVENT', ...commonLines(event, now), `RECURRENCE-ID${at(Date.parse(key))}`,
      `DTSTART${at(movedStart)}`, `DTEND${at(movedEnd)}`, 'END:VEVENT');
  }
  main.push('END:VEVENT');
  return { lines: [...main, ...overrides], zoneRange: [Math.min(...covered), Math.max(...covered)] };
}

/** The calendar text (CRLF lines, folded) for `events`: one conference or a whole feed. */
export function buildCalendar(events: IcsEvent[], opts: { name: string; now: Date }): string {
  const bodies: string[] = [];
  const zones = new Map<string, [number, number]>();
  for (const event of events) {
    const { lines, zoneRange } = eventLines(event, opts.now);
    bodies.push(...lines);
    if (!zoneRange) continue;
    const known = zones.get(event.series.timeZone);
    zones.set(event.series.timeZone, known ? [Math.min(known[0], zoneRange[0]), Math.max(known[1], zoneRange[1])] : zoneRange);
  }
  const timezones: string[] = [];
  // RFC 5545 wants at least one component: an empty feed carries the UTC zone.
  if (bodies.length === 0) timezones.push(...vtimezone('UTC', opts.now.getTime(), opts.now.getTime()));
  for (const [tz, [first, last]] of zones) {
    // From the year before the first meeting to the end of the year after the last one.
    const from = Date.UTC(new Date(first).getUTCFullYear() - 1, 0, 1);
    const to = Date.UTC(new Date(last).getUTCFullYear() + 2, 0, 1);
    timezones.push(...vtimezone(tz, from, to));
  }
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Consilium//Case conferences//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(opts.name)}`,
    ...timezones,
    ...bodies,
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
