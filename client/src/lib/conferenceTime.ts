/**
 * How conference times read on screen. A conference is planned in its organizer's zone but each
 * viewer reads it in their own (the browser's) zone, with the organizer's wall clock beside it
 * when the two differ. Pure functions over shared/time.ts, so tests compute the same strings.
 */
import { formatInZone, isValidTimeZone, minutesBetween, utcToZoned, zoneLabel, type Instant } from '../../../shared/time.js';

let viewerZone: string | null = null;

/** The viewer's own IANA zone as the browser reports it (UTC when it reports none we know). */
export function viewerTimeZone(): string {
  // Read once: building a DateTimeFormat for every time on screen is wasted work.
  if (viewerZone === null) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    viewerZone = zone && isValidTimeZone(zone) ? zone : 'UTC';
  }
  return viewerZone;
}

/** Every zone this browser knows, for a select; the given zone is always among them. */
export function timeZoneNames(include: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return all.includes(include) ? all : [include, ...all].sort();
}

/** "14:00 CET": the wall clock and the zone's short name at that instant. */
export function timeText(instant: Instant, timeZone: string): string {
  return `${utcToZoned(instant, timeZone).time} ${zoneLabel(instant, timeZone)}`;
}

/**
 * A meeting as one line in a zone: "Fri, 5 Mar 2027, 14:00–15:00 CET"; the end carries its own
 * date when the meeting runs past midnight there.
 */
export function whenText(start: Instant, end: Instant, timeZone: string): string {
  const sameDay = utcToZoned(start, timeZone).date === utcToZoned(end, timeZone).date;
  const endText = sameDay ? utcToZoned(end, timeZone).time : formatInZone(end, timeZone);
  return `${formatInZone(start, timeZone)}–${endText} ${zoneLabel(start, timeZone)}`;
}

/** The date alone in a zone: "Fri, 5 Mar 2027". */
export function dateText(instant: Instant, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(new Date(instant));
}

/**
 * The organizer's wall clock for a viewer in another zone: "08:00–09:00 CET in Europe/Berlin",
 * with the date when it differs from the viewer's; null when both read the same zone.
 */
export function organizerText(start: Instant, end: Instant, organizerZone: string, viewerZone: string): string | null {
  if (organizerZone === viewerZone || !isValidTimeZone(organizerZone)) return null;
  const theirs = utcToZoned(start, organizerZone);
  const datePart = theirs.date === utcToZoned(start, viewerZone).date ? '' : `${dateText(start, organizerZone)}, `;
  return `${datePart}${theirs.time}–${utcToZoned(end, organizerZone).time} ${zoneLabel(start, organizerZone)} in ${organizerZone}`;
}

/** "1 h 30 min", "45 min". */
export function durationText(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  if (h === 0) return `${m} min`;
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/** A meeting's length in whole minutes. */
export function lengthMinutes(start: Instant, end: Instant): number {
  return minutesBetween(start, end);
}

/** The date and time fields of an instant in a zone, as date and time inputs want them. */
export function localFields(instant: Instant, timeZone: string): { date: string; time: string } {
  const z = utcToZoned(instant, timeZone);
  return { date: z.date, time: z.time };
}

/** "mm:ss" (or "h:mm:ss") for a timer; negative values read as their size. */
export function clockText(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, '0');
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}
