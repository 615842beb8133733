import ICAL from 'ical.js';

/** Parses calendar text with ical.js (a maintained iCalendar parser); TZIDs resolve against the calendar's own VTIMEZONEs. */
export function parseCalendar(text: string): ICAL.Component {
  return new ICAL.Component(ICAL.parse(text));
}

/** The meetings of `uid` as ical.js expands them: RRULE, EXDATE and RECURRENCE-ID overrides, sorted by start. */
export function icalOccurrences(calendar: ICAL.Component, uid: string): { start: string; end: string }[] {
  const vevents = calendar.getAllSubcomponents('vevent').filter((v) => v.getFirstPropertyValue('uid') === uid);
  const master = vevents.find((v) => !v.hasProperty('recurrence-id'));
  if (!master) throw new Error(`no master event for ${uid}`);
  const event = new ICAL.Event(master);
  for (const v of vevents) if (v !== master) event.relateException(v);
  const result: { start: string; end: string }[] = [];
  const iterator = event.iterator();
  for (let time = iterator.next(); time && result.length < 1000; time = iterator.next()) {
    const details = event.getOccurrenceDetails(time);
    result.push({ start: details.startDate.toJSDate().toISOString(), end: details.endDate.toJSDate().toISOString() });
  }
  return result.sort((a, b) => a.start.localeCompare(b.start));
}
