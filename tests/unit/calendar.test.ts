import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { buildCalendar, type IcsEvent } from '../../server/calendar/ics.js';
import {
  checkRule, MAX_OCCURRENCES, occurrenceByKey, occurrences, seriesSpan, type RecurrenceException, type Series,
} from '../../server/calendar/recurrence.js';
import { utcToZoned, zonedToUtc } from '../../shared/time.js';
import { icalOccurrences, parseCalendar as parse } from '../helpers/ical.js';

/** A series whose first meeting is `local` (an hour long) in `timeZone`. */
function buildSeries(local: string, timeZone: string, rrule: string | null, exceptions: RecurrenceException[] = []): Series {
  const start = zonedToUtc(local, timeZone);
  return { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString(), timeZone, rrule, exceptions };
}

function buildEvent(overrides: Partial<IcsEvent> = {}): IcsEvent {
  return {
    uid: 'conf-1@consilium',
    title: 'Tumour board',
    description: 'Weekly review',
    location: 'Room 4',
    url: 'https://consilium.test/conferences/conf-1',
    series: buildSeries('2026-03-19T08:00', 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=TH;COUNT=3'),
    status: 'CONFIRMED',
    sequence: 3,
    updatedAt: '2026-03-01T09:15:00Z',
    organizer: { name: 'Dr. Amara Okafor' },
    ...overrides,
  };
}

const NOW = new Date('2026-03-10T12:00:00Z');
const starts = (list: { start: string }[]) => list.map((o) => o.start);

describe('occurrences of a repeating conference', () => {
  it('keeps a weekly Thursday 08:00 in Berlin at 08:00 when summer time starts on 29 March', () => {
    const list = occurrences(buildSeries('2026-03-19T08:00', 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=TH;COUNT=3'));
    // 19 and 26 March are still winter time (UTC+1); 2 April is summer time (UTC+2).
    expect(starts(list)).toEqual(['2026-03-19T07:00:00.000Z', '2026-03-26T07:00:00.000Z', '2026-04-02T06:00:00.000Z']);
    expect(list.map((o) => o.end)).toEqual(['2026-03-19T08:00:00.000Z', '2026-03-26T08:00:00.000Z', '2026-04-02T07:00:00.000Z']);
    expect(list.map((o) => utcToZoned(o.start, 'Europe/Berlin').time)).toEqual(['08:00', '08:00', '08:00']);
    expect(list.every((o) => o.key === o.start && !o.moved)).toBe(true);
  });

  it('keeps a weekly Thursday 08:00 in New York at 08:00 when clocks go back on 1 November', () => {
    const list = occurrences(buildSeries('2026-10-22T08:00', 'America/New_York', 'RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=3'));
    expect(starts(list)).toEqual(['2026-10-22T12:00:00.000Z', '2026-10-29T12:00:00.000Z', '2026-11-05T13:00:00.000Z']);
    expect(list.map((o) => utcToZoned(o.start, 'America/New_York').time)).toEqual(['08:00', '08:00', '08:00']);
  });

  it('does not depend on the server process time zone', () => {
    const series = buildSeries('2026-10-22T08:00', 'America/New_York', 'FREQ=WEEKLY;BYDAY=TH;COUNT=3');
    const expected = occurrences(series);
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Auckland';
      expect(occurrences(series)).toEqual(expected);
    } finally {
      process.env.TZ = saved;
    }
  });

  it('reads UNTIL as a UTC instant or, when it is a date, as the whole local day', () => {
    const at = (rule: string) => starts(occurrences(buildSeries('2026-03-19T08:00', 'Europe/Berlin', rule)));
    expect(at('FREQ=WEEKLY;BYDAY=TH;UNTIL=20260402')).toHaveLength(3);
    expect(at('FREQ=WEEKLY;BYDAY=TH;UNTIL=20260402T060000Z')).toHaveLength(3);
    expect(at('FREQ=WEEKLY;BYDAY=TH;UNTIL=20260402T055959Z')).toHaveLength(2);
    expect(at('FREQ=WEEKLY;BYDAY=TH;UNTIL=20260401')).toHaveLength(2);
  });

  it('treats a single meeting as one occurrence keyed by its start', () => {
    const series = buildSeries('2026-03-19T08:00', 'Europe/Berlin', null);
    expect(occurrences(series)).toEqual([{ key: '2026-03-19T07:00:00.000Z', start: '2026-03-19T07:00:00.000Z', end: '2026-03-19T08:00:00.000Z', moved: false }]);
  });
});

describe('exceptions, windows and keys', () => {
  const series = buildSeries('2026-03-19T08:00', 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=TH;COUNT=4', [
    { original: '2026-03-26T07:00:00Z', kind: 'skip' },
    // The 2 April meeting moves before the 19 March one's week ends, so the order changes.
    { original: '2026-04-02T06:00:00.000Z', kind: 'move', start: '2026-03-20T13:00:00Z', end: '2026-03-20T14:30:00Z' },
    { original: '2026-04-03T06:00:00.000Z', kind: 'skip' }, // not a meeting of this series
  ]);

  it('drops skipped meetings, moves moved ones and sorts by actual start', () => {
    expect(occurrences(series)).toEqual([
      { key: '2026-03-19T07:00:00.000Z', start: '2026-03-19T07:00:00.000Z', end: '2026-03-19T08:00:00.000Z', moved: false },
      { key: '2026-04-02T06:00:00.000Z', start: '2026-03-20T13:00:00.000Z', end: '2026-03-20T14:30:00.000Z', moved: true },
      { key: '2026-04-09T06:00:00.000Z', start: '2026-04-09T06:00:00.000Z', end: '2026-04-09T07:00:00.000Z', moved: false },
    ]);
  });

  it('returns the meetings that overlap a window [from, to)', () => {
    // Starts while the 19 March meeting runs; the 9 April meeting starts exactly at `to`.
    const inWindow = occurrences(series, { from: '2026-03-19T07:30:00Z', to: '2026-04-09T06:00:00Z' });
    expect(inWindow.map((o) => o.key)).toEqual(['2026-03-19T07:00:00.000Z', '2026-04-02T06:00:00.000Z']);
    expect(occurrences(series, { from: '2026-04-01T00:00:00Z' }).map((o) => o.key)).toEqual(['2026-04-09T06:00:00.000Z']);
    expect(occurrences(series, { to: '2026-03-19T07:00:00Z' })).toEqual([]);
  });

  it('finds a meeting by key, and nothing for skipped or unknown keys', () => {
    expect(occurrenceByKey(series, '2026-03-19T07:00:00Z')).toMatchObject({ start: '2026-03-19T07:00:00.000Z', moved: false });
    expect(occurrenceByKey(series, '2026-04-02T06:00:00.000Z')).toMatchObject({ start: '2026-03-20T13:00:00.000Z', moved: true });
    expect(occurrenceByKey(series, '2026-03-26T07:00:00.000Z')).toBeNull();
    expect(occurrenceByKey(series, '2026-04-03T06:00:00.000Z')).toBeNull();
    expect(occurrenceByKey(series, 'not a date')).toBeNull();
  });

  it('spans from the earliest start to the latest end, moved meetings included', () => {
    expect(seriesSpan(series)).toEqual({ first: '2026-03-19T07:00:00.000Z', last: '2026-04-09T07:00:00.000Z' });
    const movedLate = { ...series, exceptions: [{ original: '2026-04-09T06:00:00Z', kind: 'move' as const, start: '2026-05-01T10:00:00Z', end: '2026-05-01T11:00:00Z' }] };
    expect(seriesSpan(movedLate).last).toBe('2026-05-01T11:00:00.000Z');
  });
});

describe('checkRule', () => {
  const start = zonedToUtc('2026-03-19T08:00', 'Europe/Berlin').toISOString();
  const check = (rule: string) => checkRule(rule, start, 'Europe/Berlin');
  const message = (rule: string) => {
    const result = check(rule);
    return result.ok ? 'accepted' : result.message;
  };

  it('accepts a bounded rule, tolerating a prefix and lower case, and reports the count and last meeting', () => {
    const result = checkRule('rrule:freq=weekly;byday=th;count=12', start, 'Europe/Berlin', zonedToUtc('2026-03-19T09:30', 'Europe/Berlin').toISOString());
    expect(result).toEqual({ ok: true, count: 12, last: { key: '2026-06-04T06:00:00.000Z', start: '2026-06-04T06:00:00.000Z', end: '2026-06-04T07:30:00.000Z', moved: false } });
    expect(check('FREQ=WEEKLY;BYDAY=TH;UNTIL=20260402')).toMatchObject({ ok: true, count: 3 });
    expect(check(`FREQ=WEEKLY;COUNT=${MAX_OCCURRENCES}`)).toMatchObject({ ok: true, count: MAX_OCCURRENCES });
  });

  it('refuses rules it cannot read, with the reason', () => {
    expect(message('garbage text')).toMatch(/^The repeat rule could not be read: /);
    expect(message('FREQ=WEEKLY;COUNT=abc')).toMatch(/^The repeat rule could not be read: /);
    expect(message('FREQ=FORTNIGHTLY;COUNT=3')).toMatch(/^The repeat rule could not be read: /);
    expect(message('FREQ=WEEKLY;BYDAY=XX;COUNT=3')).toMatch(/^The repeat rule could not be read: /);
    expect(message('FREQ=WEEKLY;INTERVAL=0;COUNT=3')).toMatch(/^The repeat rule could not be read: /);
    expect(message('COUNT=3')).toMatch(/^The repeat rule could not be read: .*FREQ/);
    expect(message('FREQ=WEEKLY;COUNT=3;UNTIL=20260601')).toMatch(/^The repeat rule could not be read: .*not both/);
    expect(message('DTSTART:20260319T070000Z\nRRULE:FREQ=WEEKLY;COUNT=3')).toMatch(/DTSTART/);
  });

  it('refuses hourly or more frequent meetings', () => {
    for (const freq of ['HOURLY', 'MINUTELY', 'SECONDLY']) {
      expect(message(`FREQ=${freq};COUNT=3`)).toBe('A meeting can repeat daily, weekly, monthly or yearly, not more often.');
    }
  });

  it('refuses a rule without an end', () => {
    expect(message('FREQ=DAILY')).toBe('A repeating meeting must end: give a number of meetings (COUNT) or an end date (UNTIL).');
  });

  it('refuses series longer than five years or with more than 260 meetings', () => {
    expect(message('FREQ=WEEKLY;UNTIL=20360319T000000Z')).toBe('A repeating meeting may span at most 5 years.');
    expect(message('FREQ=MONTHLY;COUNT=100')).toBe('A repeating meeting may span at most 5 years.');
    expect(message('FREQ=DAILY;COUNT=10000')).toBe('A repeating meeting may have at most 260 meetings.');
    expect(message(`FREQ=WEEKLY;COUNT=${MAX_OCCURRENCES + 1}`)).toBe('A repeating meeting may have at most 260 meetings.');
    expect(message('FREQ=DAILY;UNTIL=20270319')).toBe('A repeating meeting may have at most 260 meetings.');
  });

  it('refuses a far-away UNTIL quickly instead of expanding it', () => {
    const t0 = performance.now();
    expect(message('FREQ=DAILY;UNTIL=20990101T000000Z')).toBe('A repeating meeting may span at most 5 years.');
    expect(performance.now() - t0).toBeLessThan(200);
  });

  it('gives up on rules that never match after the five years instead of searching to the year 9999', () => {
    // Unguarded, rrule spends seconds on each of these (it only checks UNTIL when a date matches).
    const never = ['FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=5', 'FREQ=DAILY;BYSETPOS=2;COUNT=5', 'FREQ=WEEKLY;BYMONTH=4;BYMONTHDAY=31;COUNT=3', 'FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1;COUNT=2'];
    for (const rule of never) {
      const t0 = performance.now();
      expect(message(rule)).toBe('The repeat rule produces no meeting.');
      expect(occurrences(buildSeries('2026-03-19T08:00', 'Europe/Berlin', rule))).toEqual([]);
      expect(performance.now() - t0).toBeLessThan(500);
    }
    // The guard does not cut a legitimate series short: the full five years are still there.
    expect(check('FREQ=DAILY;INTERVAL=7;COUNT=260')).toMatchObject({ ok: true, count: 260, last: { start: '2031-03-06T07:00:00.000Z' } });
    expect(check('FREQ=MONTHLY;COUNT=61')).toMatchObject({ ok: true, last: { start: '2031-03-19T07:00:00.000Z' } });
    expect(message('FREQ=MONTHLY;COUNT=62')).toBe('A repeating meeting may span at most 5 years.');
  });

  it('refuses a rule that produces no meeting, or not the first one', () => {
    expect(message('FREQ=WEEKLY;UNTIL=20260101')).toBe('The repeat rule produces no meeting.');
    expect(message('FREQ=WEEKLY;BYDAY=WE;COUNT=3')).toMatch(/^The first meeting must fall on a day and time the repeat rule produces/);
  });

  it('refuses an unknown time zone', () => {
    expect(checkRule('FREQ=WEEKLY;COUNT=3', start, 'Mars/Base')).toEqual({ ok: false, message: 'The time zone "Mars/Base" is not known.' });
  });
});

const ours = (series: Series) => occurrences(series).map(({ start, end }) => ({ start, end }));

describe('the iCalendar export', () => {
  it('writes a single meeting in UTC with its details', () => {
    const event = buildEvent({ series: buildSeries('2026-03-19T08:00', 'Europe/Berlin', null) });
    const calendar = parse(buildCalendar([event], { name: 'Tumour board', now: NOW }));
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('Tumour board');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getAllSubcomponents('vtimezone')).toHaveLength(0);
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    const parsed = new ICAL.Event(vevent);
    expect(parsed.startDate.toJSDate().toISOString()).toBe('2026-03-19T07:00:00.000Z');
    expect(parsed.endDate.toJSDate().toISOString()).toBe('2026-03-19T08:00:00.000Z');
    expect(parsed.isRecurring()).toBe(false);
    expect(parsed.location).toBe('Room 4');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://consilium.test/conferences/conf-1');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(3);
    expect(vevent.getFirstProperty('dtstamp')!.getFirstValue()!.toString()).toBe('2026-03-10T12:00:00Z');
    expect(vevent.getFirstProperty('last-modified')!.getFirstValue()!.toString()).toBe('2026-03-01T09:15:00Z');
    const organizer = vevent.getFirstProperty('organizer')!;
    expect(organizer.getParameter('cn')).toBe('Dr. Amara Okafor');
    expect(organizer.getFirstValue()).toBe('urn:consilium:organizer');
  });

  it('omits an empty location and a missing link or organizer', () => {
    const text = buildCalendar([buildEvent({ location: '', url: null, organizer: null })], { name: 'x', now: NOW });
    expect(text).not.toMatch(/^(LOCATION|URL|ORGANIZER)[;:]/m);
  });

  it('lets a calendar program expand a Berlin series across summer time exactly as we do, skips and moves included', () => {
    const series = buildSeries('2026-03-12T08:00', 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=TH;COUNT=6', [
      { original: '2026-03-26T07:00:00.000Z', kind: 'skip' },
      { original: '2026-04-09T06:00:00.000Z', kind: 'move', start: '2026-04-10T12:00:00.000Z', end: '2026-04-10T13:00:00.000Z' },
    ]);
    const text = buildCalendar([buildEvent({ series })], { name: 'x', now: NOW });
    expect(text).toContain('DTSTART;TZID=Europe/Berlin:20260312T080000\r\n');
    expect(text).toContain('EXDATE;TZID=Europe/Berlin:20260326T080000\r\n');
    expect(text).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20260409T080000\r\n');
    const expanded = icalOccurrences(parse(text), 'conf-1@consilium');
    expect(expanded).toEqual(ours(series));
    expect(expanded).toHaveLength(5);
  });

  it('lets a calendar program expand a New York series across 1 November, with a date UNTIL, exactly as we do', () => {
    const series = buildSeries('2026-10-15T08:00', 'America/New_York', 'FREQ=WEEKLY;BYDAY=TH;UNTIL=20261112', [
      { original: '2026-11-05T13:00:00.000Z', kind: 'skip' },
    ]);
    const text = buildCalendar([buildEvent({ series })], { name: 'x', now: NOW });
    // RFC 5545: beside a DTSTART with TZID, UNTIL must be UTC; the whole local day of 12 November ends at 04:59:59Z.
    expect(text).toContain('RRULE:FREQ=WEEKLY;BYDAY=TH;UNTIL=20261113T045959Z\r\n');
    const expanded = icalOccurrences(parse(text), 'conf-1@consilium');
    expect(expanded).toEqual(ours(series));
    expect(expanded.map((o) => o.start)).toEqual(['2026-10-15T12:00:00.000Z', '2026-10-22T12:00:00.000Z', '2026-10-29T12:00:00.000Z', '2026-11-12T13:00:00.000Z']);
  });

  it('agrees with a calendar program for a half-hour daylight-saving zone', () => {
    const series = buildSeries('2026-03-20T09:30', 'Australia/Lord_Howe', 'FREQ=MONTHLY;BYMONTHDAY=20;COUNT=9');
    const expanded = icalOccurrences(parse(buildCalendar([buildEvent({ series })], { name: 'x', now: NOW })), 'conf-1@consilium');
    expect(expanded).toEqual(ours(series));
    expect(new Set(expanded.map((o) => utcToZoned(o.start, 'Australia/Lord_Howe').time))).toEqual(new Set(['09:30']));
  });

  it('describes the zone with its real offset changes, and a fixed zone with one STANDARD', () => {
    const feed = buildCalendar([
      buildEvent(),
      buildEvent({ uid: 'conf-2@consilium', series: buildSeries('2026-03-19T13:30', 'Asia/Kolkata', 'FREQ=WEEKLY;COUNT=2') }),
    ], { name: 'x', now: NOW });
    const zones = parse(feed).getAllSubcomponents('vtimezone');
    const berlin = zones.find((z) => z.getFirstPropertyValue('tzid') === 'Europe/Berlin')!;
    const spring2026 = berlin.getAllSubcomponents('daylight').find((d) => String(d.getFirstPropertyValue('dtstart')) === '2026-03-29T02:00:00');
    expect(spring2026?.getFirstProperty('tzoffsetfrom')!.toICALString()).toBe('TZOFFSETFROM:+0100');
    expect(spring2026?.getFirstProperty('tzoffsetto')!.toICALString()).toBe('TZOFFSETTO:+0200');
    expect(spring2026?.getFirstPropertyValue('tzname')).toBe('CEST');
    expect(berlin.getAllSubcomponents('standard').map((s) => String(s.getFirstPropertyValue('dtstart')))).toContain('2026-10-25T03:00:00');
    const kolkata = zones.find((z) => z.getFirstPropertyValue('tzid') === 'Asia/Kolkata')!;
    expect(kolkata.getAllSubcomponents('daylight')).toHaveLength(0);
    expect(kolkata.getAllSubcomponents('standard').map((s) => s.getFirstProperty('tzoffsetto')!.toICALString())).toEqual(['TZOFFSETTO:+0530']);
  });

  it('round-trips text with commas, semicolons, backslashes, line breaks and umlauts', () => {
    const title = 'Tumorboard: Müller; Ärzte, \\ 2\nline';
    const description = 'Frage: Zweitlinie?\r\nBitte Befunde, Bilder; Labor \\ mitbringen.\nDanke';
    const text = buildCalendar([buildEvent({ title, description, location: 'Raum 4, Ebene 2; Nord' })], { name: 'Tumorboard, Süd', now: NOW });
    const calendar = parse(text);
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(event.summary).toBe(title);
    expect(event.description).toBe(description.replace(/\r\n/g, '\n'));
    expect(event.location).toBe('Raum 4, Ebene 2; Nord');
    // ical.js leaves X- properties unescaped; calendar programs read X-WR-CALNAME as TEXT.
    expect(text).toContain('\r\nX-WR-CALNAME:Tumorboard\\, Süd\r\n');
  });

  it('folds every line to at most 75 octets, ends each with CRLF and never splits a character', () => {
    const description = `${'Überweisung für Frau Ötztürk — '.repeat(12)}🩺🩺🩺 ${'ä'.repeat(80)}`;
    const text = buildCalendar([buildEvent({ description, title: 'x'.repeat(200) })], { name: 'x', now: NOW });
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
      expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    }
    expect(lines.some((l) => l.startsWith(' '))).toBe(true);
    expect(new ICAL.Event(parse(text).getFirstSubcomponent('vevent')!).description).toBe(description);
  });

  it('writes a feed with one VTIMEZONE per zone, however many events use it', () => {
    const feed = buildCalendar([
      buildEvent(),
      buildEvent({ uid: 'conf-2@consilium', series: buildSeries('2026-10-22T08:00', 'America/New_York', 'FREQ=WEEKLY;BYDAY=TH;COUNT=3') }),
      buildEvent({ uid: 'conf-3@consilium', series: buildSeries('2027-01-07T15:00', 'Europe/Berlin', 'FREQ=WEEKLY;BYDAY=TH;COUNT=2') }),
      buildEvent({ uid: 'conf-4@consilium', series: buildSeries('2026-05-05T10:00', 'Europe/Berlin', null) }),
    ], { name: 'All conferences', now: NOW });
    const calendar = parse(feed);
    const tzids = calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'));
    expect(tzids.sort()).toEqual(['America/New_York', 'Europe/Berlin']);
    expect(feed.match(/^BEGIN:VTIMEZONE\r$/gm)).toHaveLength(2);
    expect(icalOccurrences(calendar, 'conf-2@consilium').map((o) => o.start)).toEqual(['2026-10-22T12:00:00.000Z', '2026-10-29T12:00:00.000Z', '2026-11-05T13:00:00.000Z']);
    expect(icalOccurrences(calendar, 'conf-3@consilium').map((o) => o.start)).toEqual(['2027-01-07T14:00:00.000Z', '2027-01-14T14:00:00.000Z']);
  });
});
