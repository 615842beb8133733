/**
 * Wall-clock time in IANA time zones, using only Intl so that it runs unchanged in the browser
 * and in Node. A conference is planned in its organizer's zone ("Thursdays at 08:00 in Berlin")
 * but stored and compared as UTC instants; these helpers convert between the two and label
 * times for a viewer who may sit in another zone.
 */

/** A wall-clock time without a zone, 'YYYY-MM-DDTHH:mm'. */
export type LocalDateTime = string;

/** A moment in time: a Date or an ISO string with an offset or Z. */
export type Instant = Date | string;

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;
// IANA names start with a letter; this also refuses the offset strings ('+01:00') that newer
// Intl implementations accept as zones but that have no daylight-saving rules.
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/;

// Building a DateTimeFormat costs far more than using one, and offsets are looked up thousands
// of times when a calendar is exported; the cache only ever holds one formatter per zone.
const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    partsFormatters.set(timeZone, f);
  }
  return f;
}

/** Whether `tz` is an IANA time zone name this runtime knows ('UTC' included). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || !ZONE_NAME_RE.test(tz)) return false;
  try {
    partsFormatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Whether `s` is a 'YYYY-MM-DDTHH:mm' wall-clock time on a date that exists. */
export function isLocalDateTime(s: string): s is LocalDateTime {
  return parseLocal(s) !== null;
}

/** The wall-clock fields of a LocalDateTime as milliseconds of a UTC date, or null when invalid. */
function parseLocal(s: string): number | null {
  const m = typeof s === 'string' ? LOCAL_RE.exec(s) : null;
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi);
  // Date.UTC rolls 31 April over to 1 May; a date that exists survives the round trip.
  return new Date(ms).getUTCDate() === d ? ms : null;
}

function toMs(instant: Instant): number {
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError('Not a valid instant');
  return ms;
}

function checkZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone: ${timeZone}`);
}

/**
 * The wall clock in `timeZone` at the instant `ms`, expressed as the milliseconds of the UTC
 * date with the same fields (whole seconds). The zone must be valid. Recurrence expansion
 * works on these "floating" values, which have no daylight-saving changes.
 */
export function utcToWallMs(ms: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** The zone's offset from UTC at `ms`, in whole minutes. */
function offsetAt(ms: number, timeZone: string): number {
  // Intl shows whole seconds, so compare against the instant with its milliseconds dropped.
  return Math.round((utcToWallMs(ms, timeZone) - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The offset from UTC of `timeZone` at `instant`, in minutes (+60 for Berlin in winter). */
export function offsetMinutes(instant: Instant, timeZone: string): number {
  checkZone(timeZone);
  return offsetAt(toMs(instant), timeZone);
}

/**
 * The instant at which the clocks in `timeZone` show `local`. A time skipped by a
 * spring-forward gap is moved forward by the gap (02:30 becomes 03:30), and a time that occurs
 * twice at fall-back is the earlier one (still on daylight time), as calendar programs do.
 */
export function zonedToUtc(local: LocalDateTime, timeZone: string): Date {
  const wall = parseLocal(local);
  if (wall === null) throw new RangeError(`Not a local date and time (YYYY-MM-DDTHH:mm): ${local}`);
  return new Date(wallToUtcMs(wall, timeZone));
}

/** zonedToUtc for floating milliseconds (see utcToWallMs); seconds and milliseconds are kept. */
export function wallToUtcMs(wall: number, timeZone: string): number {
  checkZone(timeZone);
  // Offsets never change more than once within two days, so the offsets a day either side are
  // the only candidates; a candidate is right when it maps back onto the same wall clock.
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const candidates = [wall - before * 60_000, wall - after * 60_000].filter((ms) => utcToWallMs(ms, timeZone) === Math.floor(wall / 1000) * 1000);
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: read the wall time with the offset from before the change, which lands after it.
  return wall - before * 60_000;
}

/** What the clocks in `timeZone` show at `instant`. */
export function utcToZoned(instant: Instant, timeZone: string): { date: string; time: string; local: LocalDateTime; offsetMinutes: number } {
  checkZone(timeZone);
  const ms = toMs(instant);
  const iso = new Date(utcToWallMs(ms, timeZone)).toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  return { date, time, local: `${date}T${time}`, offsetMinutes: offsetAt(ms, timeZone) };
}

/** A readable date and time in a zone, e.g. 'Thu, 26 Mar 2026, 08:00' for en-GB. */
export function formatInZone(instant: Instant, timeZone: string, locale = 'en-GB'): string {
  checkZone(timeZone);
  return new Intl.DateTimeFormat(locale, {
    timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date(toMs(instant)));
}

/**
 * The zone's short name at `instant` as the locale writes it: 'CET' in en-GB or 'EDT' in en-US
 * where the name is familiar to that locale's readers, otherwise an offset such as 'GMT+5:30'.
 */
export function zoneLabel(instant: Instant, timeZone: string, locale = 'en-GB'): string {
  checkZone(timeZone);
  const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' }).formatToParts(new Date(toMs(instant)));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
}

/** Whole minutes from `a` to `b` (negative when `b` is earlier). */
export function minutesBetween(a: Instant, b: Instant): number {
  return Math.round((toMs(b) - toMs(a)) / 60_000);
}
