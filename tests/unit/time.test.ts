import { describe, expect, it } from 'vitest';
import {
  formatInZone, isLocalDateTime, isValidTimeZone, minutesBetween, offsetMinutes, utcToZoned, zonedToUtc, zoneLabel,
} from '../../shared/time.js';

const utc = (local: string, tz: string) => zonedToUtc(local, tz).toISOString();

describe('zone names and local times', () => {
  it('accepts IANA zones and refuses anything else', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe']) expect(isValidTimeZone(tz)).toBe(true);
    for (const tz of ['', 'Mars/Base', 'Europe/Berlin ', '+01:00', 'not a zone']) expect(isValidTimeZone(tz)).toBe(false);
  });

  it('accepts only wall-clock times on dates that exist', () => {
    expect(isLocalDateTime('2026-03-26T08:00')).toBe(true);
    expect(isLocalDateTime('2028-02-29T23:59')).toBe(true);
    for (const s of ['2026-02-29T08:00', '2026-04-31T08:00', '2026-03-26T24:00', '2026-03-26T08:60', '2026-03-26 08:00', '2026-03-26T08:00:00', '2026-03-26T08:00Z']) {
      expect(isLocalDateTime(s)).toBe(false);
    }
    expect(() => zonedToUtc('2026-02-30T08:00', 'Europe/Berlin')).toThrow(RangeError);
    expect(() => zonedToUtc('2026-03-26T08:00', 'Mars/Base')).toThrow(RangeError);
  });
});

describe('zonedToUtc and utcToZoned', () => {
  it('round-trips wall-clock times in whole, half and quarter hour zones', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham', 'America/St_Johns'];
    const times = ['2026-01-15T08:00', '2026-07-15T23:45', '2026-12-31T00:00', '2027-06-30T12:30'];
    for (const tz of zones) for (const local of times) expect(utcToZoned(zonedToUtc(local, tz), tz).local).toBe(local);
  });

  it('knows the offsets of Berlin, New York and Kolkata in winter and summer', () => {
    expect(offsetMinutes('2026-01-15T12:00:00Z', 'Europe/Berlin')).toBe(60);
    expect(offsetMinutes('2026-07-15T12:00:00Z', 'Europe/Berlin')).toBe(120);
    expect(offsetMinutes('2026-07-15T12:00:00Z', 'America/New_York')).toBe(-240);
    expect(offsetMinutes('2026-01-15T12:00:00Z', 'America/New_York')).toBe(-300);
    expect(offsetMinutes('2026-07-15T12:00:00Z', 'Asia/Kolkata')).toBe(330);
    expect(utc('2026-03-26T13:30', 'Asia/Kolkata')).toBe('2026-03-26T08:00:00.000Z');
  });

  it('follows Berlin across the last Sundays of March and October 2026', () => {
    expect(utc('2026-03-29T01:59', 'Europe/Berlin')).toBe('2026-03-29T00:59:00.000Z');
    expect(utc('2026-03-29T03:00', 'Europe/Berlin')).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 does not exist that night: it is read as 03:30 summer time.
    const gap = zonedToUtc('2026-03-29T02:30', 'Europe/Berlin');
    expect(gap.toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(utcToZoned(gap, 'Europe/Berlin')).toEqual({ date: '2026-03-29', time: '03:30', local: '2026-03-29T03:30', offsetMinutes: 120 });
    // 02:30 happens twice on 25 October: the first one, still on summer time, is chosen.
    expect(utc('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00.000Z');
    expect(utcToZoned('2026-10-25T01:30:00Z', 'Europe/Berlin')).toMatchObject({ local: '2026-10-25T02:30', offsetMinutes: 60 });
    expect(utc('2026-10-25T03:00', 'Europe/Berlin')).toBe('2026-10-25T02:00:00.000Z');
  });

  it('follows New York across 8 March and 1 November 2026', () => {
    expect(utc('2026-03-08T01:30', 'America/New_York')).toBe('2026-03-08T06:30:00.000Z');
    expect(utc('2026-03-08T02:30', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z'); // = 03:30 EDT
    expect(utcToZoned('2026-03-08T07:30:00Z', 'America/New_York').time).toBe('03:30');
    expect(utc('2026-11-01T01:30', 'America/New_York')).toBe('2026-11-01T05:30:00.000Z'); // the EDT one
    expect(utcToZoned('2026-11-01T06:30:00Z', 'America/New_York')).toMatchObject({ time: '01:30', offsetMinutes: -300 });
    expect(utc('2026-11-01T08:00', 'America/New_York')).toBe('2026-11-01T13:00:00.000Z');
  });

  it('handles Lord Howe, whose clocks move by half an hour', () => {
    // DST starts 4 Oct 2026 at 02:00 (+10:30 → +11:00): 02:15 does not exist and becomes 02:45.
    const gap = zonedToUtc('2026-10-04T02:15', 'Australia/Lord_Howe');
    expect(gap.toISOString()).toBe('2026-10-03T15:45:00.000Z');
    expect(utcToZoned(gap, 'Australia/Lord_Howe')).toMatchObject({ time: '02:45', offsetMinutes: 660 });
    // DST ends 5 Apr 2026 at 02:00 (back to 01:30): 01:45 happens twice, the earlier is chosen.
    expect(utc('2026-04-05T01:45', 'Australia/Lord_Howe')).toBe('2026-04-04T14:45:00.000Z');
    expect(utcToZoned('2026-04-04T15:15:00Z', 'Australia/Lord_Howe')).toMatchObject({ time: '01:45', offsetMinutes: 630 });
  });
});

describe('showing a meeting to a viewer in another zone', () => {
  // 08:00 in Berlin on 26 March 2026 is still winter time there, but New York moved on 8 March.
  const meeting = zonedToUtc('2026-03-26T08:00', 'Europe/Berlin');

  it('is 07:00 UTC, 03:00 in New York and 12:30 in Kolkata', () => {
    // Kolkata is UTC+05:30 all year: 07:00Z + 5:30.
    expect(meeting.toISOString()).toBe('2026-03-26T07:00:00.000Z');
    expect(utcToZoned(meeting, 'America/New_York')).toEqual({ date: '2026-03-26', time: '03:00', local: '2026-03-26T03:00', offsetMinutes: -240 });
    expect(utcToZoned(meeting, 'Asia/Kolkata')).toMatchObject({ date: '2026-03-26', time: '12:30', offsetMinutes: 330 });
    expect(minutesBetween(zonedToUtc('2026-03-26T03:00', 'America/New_York'), meeting)).toBe(0);
  });

  it('reads as a weekday, date and 24-hour time with a zone label', () => {
    expect(formatInZone(meeting, 'Europe/Berlin')).toMatch(/^Thu,? 26 Mar 2026,? 08:00$/);
    expect(formatInZone(meeting, 'America/New_York')).toMatch(/^Thu,? 26 Mar 2026,? 03:00$/);
    expect(formatInZone(meeting, 'Asia/Kolkata')).toMatch(/^Thu,? 26 Mar 2026,? 12:30$/);
    expect(zoneLabel(meeting, 'Europe/Berlin')).toBe('CET');
    expect(zoneLabel('2026-07-01T07:00:00Z', 'Europe/Berlin')).toBe('CEST');
    expect(zoneLabel(meeting, 'America/New_York', 'en-US')).toBe('EDT');
    expect(zoneLabel(meeting, 'Asia/Kolkata')).toMatch(/^(GMT\+5:30|IST)$/);
  });

  it('counts minutes between instants', () => {
    expect(minutesBetween('2026-03-26T07:00:00Z', '2026-03-26T08:30:00Z')).toBe(90);
    expect(minutesBetween('2026-03-26T08:30:00Z', meeting)).toBe(-90);
  });
});
