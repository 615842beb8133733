import ICAL from 'ical.js';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '../../shared/events.js';
import { utcToZoned } from '../../shared/time.js';
import { addMember, type ApiClient, closeClients, connectSocket, createCase, emitAck, makeReady, signUp } from '../helpers/clients.js';
import { waitFor } from '../helpers/factories.js';
import { icalOccurrences, parseCalendar } from '../helpers/ical.js';
import { useTestServer } from '../helpers/server.js';

let now = Date.parse('2026-03-16T09:00:00Z');
const clock = { now: () => new Date(now) };
const server = useTestServer({ clock, voteCheckMs: 40, config: { sessionTtlHours: 24 * 365 } });
afterEach(closeClients);

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** A conference body with sensible defaults: a one-hour meeting on Thursday 19 March, 14:00 Berlin time. */
const meeting = (over: Record<string, unknown> = {}) => ({
  title: 'Thoracic tumour board', kind: 'case_conference', timeZone: BERLIN, start: '2026-03-19T14:00', end: '2026-03-19T15:00', ...over,
});

async function people() {
  const chair = await signUp(server, { name: 'Amara Okafor', discipline: 'oncology' });
  const pharmacist = await signUp(server, { name: 'Priya Nair', discipline: 'pharmacy' });
  const nurse = await signUp(server, { name: 'Erik Lindqvist', discipline: 'nursing' });
  const stranger = await signUp(server, { name: 'Sam Stranger', discipline: 'radiology' });
  return { chair, pharmacist, nurse, stranger };
}

/** Two ready cases owned by the chair: A with the pharmacist on its team, B with the nurse. */
async function twoCases(chair: ApiClient, pharmacist: ApiClient, nurse: ApiClient) {
  const a = await createCase(chair, { title: 'Second-line immunotherapy denied', patientRef: 'PT-3001', requiredDisciplines: ['oncology', 'pharmacy'] });
  const b = await createCase(chair, { title: 'Home care after discharge', patientRef: 'PT-3002', requiredDisciplines: ['nursing'] });
  await addMember(chair, a.id, pharmacist, 'editor');
  await addMember(chair, b.id, nurse, 'editor');
  await makeReady(chair, a.id);
  await makeReady(chair, b.id);
  return { a: a.id, b: b.id };
}

const create = async (who: ApiClient, body: Record<string, unknown>) => {
  const res = await who.post('/api/conferences', body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.conference;
};

describe('scheduling across time zones', () => {
  it('keeps a weekly 08:00 meeting at 08:00 local time across daylight-saving changes, in Berlin and in New York', async () => {
    const { chair } = await people();
    const berlin = await create(chair, meeting({ start: '2026-03-19T08:00', end: '2026-03-19T09:00', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=4' }));
    // Summer time starts in Berlin on 29 March: UTC+1 before, UTC+2 after.
    expect(berlin.occurrences.map((o: { start: string }) => o.start)).toEqual([
      '2026-03-19T07:00:00.000Z', '2026-03-26T07:00:00.000Z', '2026-04-02T06:00:00.000Z', '2026-04-09T06:00:00.000Z',
    ]);
    const newYork = await create(chair, meeting({ timeZone: NEW_YORK, start: '2026-10-22T08:00', end: '2026-10-22T09:00', rrule: 'FREQ=WEEKLY;COUNT=3' }));
    // Standard time returns in New York on 1 November: UTC-4 before, UTC-5 after.
    expect(newYork.occurrences.map((o: { start: string }) => o.start)).toEqual(['2026-10-22T12:00:00.000Z', '2026-10-29T12:00:00.000Z', '2026-11-05T13:00:00.000Z']);
    for (const c of [berlin, newYork]) {
      expect(c.occurrences.map((o: { start: string }) => utcToZoned(o.start, c.timeZone).time)).toEqual(c.occurrences.map(() => '08:00'));
    }
    // A viewer elsewhere sees the instant in their own zone: the Berlin meeting of 26 March at 03:00 in New York
    // (already on summer time) and 12:30 in Kolkata; a week later, Berlin's change moves both by an hour.
    expect(utcToZoned(berlin.occurrences[1].start, NEW_YORK).local).toBe('2026-03-26T03:00');
    expect(utcToZoned(berlin.occurrences[1].start, 'Asia/Kolkata').local).toBe('2026-03-26T12:30');
    expect(utcToZoned(berlin.occurrences[2].start, NEW_YORK).local).toBe('2026-04-02T02:00');
  });

  it('skips and moves single meetings of a series, and refuses keys that are not meetings of it', async () => {
    const { chair } = await people();
    const c = await create(chair, meeting({ start: '2026-03-19T08:00', end: '2026-03-19T09:00', rrule: 'FREQ=WEEKLY;COUNT=4' }));
    const [first, second, third] = c.occurrences.map((o: { key: string }) => o.key);
    expect((await chair.post(`/api/conferences/${c.id}/exceptions`, { occurrence: second, kind: 'skip' })).status).toBe(200);
    const moved = await chair.post(`/api/conferences/${c.id}/exceptions`, { occurrence: third, kind: 'move', start: '2026-04-03T10:00', end: '2026-04-03T11:00' });
    expect(moved.status).toBe(200);
    const keys = moved.body.conference.occurrences.map((o: { key: string; start: string; moved: boolean }) => [o.key, o.start, o.moved]);
    expect(keys).toEqual([
      [first, '2026-03-19T07:00:00.000Z', false],
      [third, '2026-04-03T08:00:00.000Z', true],
      ['2026-04-09T06:00:00.000Z', '2026-04-09T06:00:00.000Z', false],
    ]);
    const wrong = await chair.post(`/api/conferences/${c.id}/exceptions`, { occurrence: '2026-03-20T07:00:00.000Z', kind: 'skip' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.occurrence).toMatch(/not a meeting/);
  });
});

describe('calendar files and feeds', () => {
  it('downloads a conference as a valid .ics that a calendar program expands to the same meetings, with no clinical text', async () => {
    const { chair, pharmacist, nurse } = await people();
    const { a } = await twoCases(chair, pharmacist, nurse);
    const c = await create(chair, meeting({
      start: '2026-03-19T08:00', end: '2026-03-19T09:00', rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=5', location: 'Room 4, Comprehensive Cancer Centre',
      attendeeIds: [pharmacist.user!.id], agenda: [{ caseId: a, minutes: 15 }], notes: 'Bring the PET-CT of PT-3001',
    }));
    await chair.post(`/api/conferences/${c.id}/exceptions`, { occurrence: c.occurrences[1].key, kind: 'skip' });
    await chair.post(`/api/conferences/${c.id}/exceptions`, { occurrence: c.occurrences[3].key, kind: 'move', start: '2026-04-10T09:30', end: '2026-04-10T10:30' });
    const view = (await chair.get(`/api/conferences/${c.id}`)).body.conference;

    const res = await pharmacist.get(`/api/conferences/${c.id}/calendar.ics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/calendar/);
    const text = res.body as string;
    const calendar = parseCalendar(text);
    const event = calendar.getAllSubcomponents('vevent').find((e) => !e.hasProperty('recurrence-id'))!;
    expect(event.getFirstPropertyValue('summary')).toBe('Thoracic tumour board');
    expect(event.getFirstPropertyValue('location')).toBe('Room 4, Comprehensive Cancer Centre');
    expect(event.getFirstPropertyValue('url')).toBe(`${server().url}/conferences/${c.id}`);
    expect(text).toMatch(/DTSTART;TZID=Europe\/Berlin:20260319T080000/);
    expect(text).toMatch(/EXDATE;TZID=Europe\/Berlin:20260326T080000/);
    expect(icalOccurrences(calendar, `${c.id}@consilium`)).toEqual(view.occurrences.map((o: { start: string; end: string }) => ({ start: o.start, end: o.end })));
    // What leaves the app carries no case, patient reference or note.
    expect(text).not.toMatch(/PT-3001|immunotherapy|PET-CT/);

    const outsider = await signUp(server);
    expect((await outsider.get(`/api/conferences/${c.id}/calendar.ics`)).status).toBe(404);
  });

  it('serves a private feed of all my conferences, which stops working once revoked or regenerated', async () => {
    const { chair, pharmacist } = await people();
    const weekly = await create(chair, meeting({ start: '2026-03-19T08:00', end: '2026-03-19T09:00', rrule: 'FREQ=WEEKLY;COUNT=3', attendeeIds: [pharmacist.user!.id] }));
    await chair.post(`/api/conferences/${weekly.id}/exceptions`, { occurrence: weekly.occurrences[1].key, kind: 'skip' });
    const p2p = await create(chair, meeting({ title: 'Peer-to-peer with the payer', kind: 'peer_to_peer', timeZone: NEW_YORK, start: '2026-03-20T11:00', end: '2026-03-20T11:30', attendeeIds: [pharmacist.user!.id] }));
    const declined = await create(chair, meeting({ title: 'Declined one', start: '2026-03-21T10:00', end: '2026-03-21T11:00', attendeeIds: [pharmacist.user!.id] }));
    await pharmacist.put(`/api/conferences/${declined.id}/response`, { response: 'declined' });
    expect((await pharmacist.get('/api/me/settings')).body.settings.calendarFeed).toBe(false);

    const issued = await pharmacist.post('/api/me/calendar-feed', {});
    expect(issued.status).toBe(201);
    const feedPath = new URL(issued.body.url).pathname;
    const anonymous = new (pharmacist.constructor as new (s: typeof server) => ApiClient)(server);
    const feed = await anonymous.get(feedPath);
    expect(feed.status).toBe(200);
    const calendar = parseCalendar(feed.body as string);
    const uids = new Set(calendar.getAllSubcomponents('vevent').map((e) => e.getFirstPropertyValue('uid')));
    expect(uids).toEqual(new Set([`${weekly.id}@consilium`, `${p2p.id}@consilium`]));
    // The repeating one is written in its zone (with that zone's rules); the single one in UTC.
    expect(calendar.getAllSubcomponents('vtimezone').map((z) => z.getFirstPropertyValue('tzid'))).toEqual([BERLIN]);
    expect(new ICAL.Event(calendar.getAllSubcomponents('vevent').find((e) => e.getFirstPropertyValue('uid') === `${p2p.id}@consilium`)!).startDate.toJSDate().toISOString())
      .toBe('2026-03-20T15:00:00.000Z');
    expect(icalOccurrences(calendar, `${weekly.id}@consilium`).map((o) => o.start)).toEqual(['2026-03-19T07:00:00.000Z', '2026-04-02T06:00:00.000Z']);
    expect((feed.body as string)).toMatch(/RRULE:FREQ=WEEKLY;COUNT=3/);

    const again = await pharmacist.post('/api/me/calendar-feed', {});
    expect((await anonymous.get(feedPath)).status).toBe(404); // the old URL stops working
    const newPath = new URL(again.body.url).pathname;
    expect((await anonymous.get(newPath)).status).toBe(200);
    expect((await pharmacist.delete('/api/me/calendar-feed')).status).toBe(204);
    expect((await anonymous.get(newPath)).status).toBe(404);
    expect((await anonymous.get('/api/calendar/not-a-token.ics')).status).toBe(404);
  });
});

describe('finding a time', () => {
  it('runs a poll: invitees answer every slot, the best slot is the one with most yes then fewest no, picking it schedules and tells everyone', async () => {
    const { chair, pharmacist, nurse } = await people();
    const slots = [
      { start: '2026-03-23T14:00', end: '2026-03-23T15:00' },
      { start: '2026-03-24T14:00', end: '2026-03-24T15:00' },
      { start: '2026-03-25T08:00', end: '2026-03-25T09:00' },
    ];
    const poll = await create(chair, meeting({ start: null, end: null, pollSlots: slots, attendeeIds: [pharmacist.user!.id, nurse.user!.id] }));
    expect(poll.status).toBe('polling');
    expect(poll.poll.bestSlotId).toBeNull();
    const [s1, s2, s3] = poll.poll.slots.map((s: { id: string }) => s.id);
    expect(poll.poll.slots[0].start).toBe('2026-03-23T13:00:00.000Z');
    const invites = (await nurse.get('/api/notifications')).body.notifications;
    expect(invites[0]).toMatchObject({ kind: 'poll_invited', caseId: null, conference: { id: poll.id, title: 'Thoracic tumour board' } });

    const partial = await nurse.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'yes' } });
    expect(partial.status).toBe(400);
    expect(partial.body.error.fields.answers).toMatch(/every slot/);
    expect((await nurse.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'yes', [s2]: 'yes', [s3]: 'no' } })).status).toBe(200);
    const after = await pharmacist.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'if_need_be', [s2]: 'yes', [s3]: 'yes' } });
    // s2 has two yes; s1 and s3 one each.
    expect(after.body.conference.poll.bestSlotId).toBe(s2);
    expect(after.body.conference.poll.waitingFor).toEqual([]);
    // The nurse changes her mind: now s1 and s2 both have one yes, s2 has a no, so s1 wins on fewest no... and s3 too has one yes and one no.
    await nurse.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'yes', [s2]: 'no', [s3]: 'no' } });
    expect((await chair.get(`/api/conferences/${poll.id}`)).body.conference.poll.bestSlotId).toBe(s1);

    expect((await pharmacist.post(`/api/conferences/${poll.id}/poll/pick`, { slotId: s1 })).status).toBe(403);
    const picked = await chair.post(`/api/conferences/${poll.id}/poll/pick`, { slotId: s1 });
    expect(picked.status).toBe(200);
    expect(picked.body.conference).toMatchObject({ status: 'scheduled', start: '2026-03-23T13:00:00.000Z', end: '2026-03-23T14:00:00.000Z' });
    expect(picked.body.conference.attendees.find((a: { id: string }) => a.id === nurse.user!.id).response).toBe('accepted'); // said yes to it
    expect(picked.body.conference.attendees.find((a: { id: string }) => a.id === pharmacist.user!.id).response).toBe('pending');
    for (const who of [pharmacist, nurse]) {
      expect((await who.get('/api/notifications')).body.notifications[0]).toMatchObject({ kind: 'conference_scheduled', conference: { id: poll.id } });
    }
    const closed = await nurse.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'no', [s2]: 'no', [s3]: 'no' } });
    expect(closed.status).toBe(409);
    expect(closed.body.error.message).toMatch(/poll is closed/);
  });

  it('warns the organizer when an attendee already has an overlapping conference, naming it only if the organizer may see it', async () => {
    const { chair, pharmacist, nurse, stranger } = await people();
    await twoCases(chair, pharmacist, nurse); // colleagues: they share cases with the chair
    // The pharmacist is in another organizer's meeting that the chair is not part of.
    const hidden = await create(stranger, meeting({ title: 'Radiology quality round', start: '2026-03-19T14:30', end: '2026-03-19T15:30', attendeeIds: [pharmacist.user!.id] }));
    // And in one the chair attends too.
    const shared = await create(nurse, meeting({ title: 'Discharge planning', start: '2026-03-19T13:30', end: '2026-03-19T14:15', attendeeIds: [pharmacist.user!.id, chair.user!.id] }));
    const check = await chair.post('/api/conferences/check', { timeZone: BERLIN, start: '2026-03-19T14:00', end: '2026-03-19T15:00', attendeeIds: [pharmacist.user!.id] });
    expect(check.status).toBe(200);
    const byOther = (id: string | null) => check.body.warnings.filter((w: { other: { id: string | null } }) => w.other.id === id);
    expect(byOther(null).map((w: { person: { name: string } }) => w.person.name)).toEqual(['Priya Nair']);
    expect(byOther(null)[0].other).toEqual({ id: null, title: null, start: '2026-03-19T13:30:00.000Z', end: '2026-03-19T14:30:00.000Z' });
    expect(byOther(shared.id).map((w: { person: { name: string } }) => w.person.name).sort()).toEqual(['Amara Okafor', 'Priya Nair']);
    expect(byOther(shared.id)[0].other.title).toBe('Discharge planning');
    expect(JSON.stringify(check.body)).not.toContain('Radiology quality round');
    expect(hidden.id).toBeTruthy();
    // Once the conference exists, its organizer sees the same warnings on it.
    const c = await create(chair, meeting({ attendeeIds: [pharmacist.user!.id] }));
    expect(c.warnings.filter((w: { kind: string }) => w.kind === 'conflict')).toHaveLength(3);
    // While a time is polled, each slot shows its own conflicts.
    const poll = await create(chair, meeting({ start: null, end: null, attendeeIds: [pharmacist.user!.id], pollSlots: [
      { start: '2026-03-19T14:00', end: '2026-03-19T15:00' }, { start: '2026-03-19T17:00', end: '2026-03-19T18:00' },
    ] }));
    const bySlot = poll.warnings.map((w: { occurrence: string }) => w.occurrence);
    expect(bySlot.length).toBe(5); // the three above, and both people in the conference just created
    expect(new Set(bySlot)).toEqual(new Set([poll.poll.slots[0].start]));
    // Someone who shares no case with them learns nothing of their busy times.
    const probe = await stranger.post('/api/conferences/check', { timeZone: BERLIN, start: '2026-03-19T14:00', end: '2026-03-19T15:00', attendeeIds: [pharmacist.user!.id, nurse.user!.id] });
    // (Only their own meeting at that time shows: the one they organize.)
    expect(probe.body.warnings.map((w: { person: { name: string }; other: { title: string } }) => [w.person.name, w.other.title])).toEqual([['Sam Stranger', 'Radiology quality round']]);
    // A non-overlapping time has none.
    const later = await chair.post('/api/conferences/check', { timeZone: BERLIN, start: '2026-03-19T16:00', end: '2026-03-19T17:00', attendeeIds: [pharmacist.user!.id] });
    expect(later.body.warnings).toEqual([]);
  });
});

describe('the agenda', () => {
  it('proposes ready cases, refuses a case that is not ready without the chair\'s override, and warns about time, disciplines and complex cases late', async () => {
    const { chair, pharmacist, nurse } = await people();
    const { a, b } = await twoCases(chair, pharmacist, nurse);
    const notReady = await createCase(chair, { title: 'Family disagrees with hospice', patientRef: 'PT-3003', requiredDisciplines: ['palliative_care', 'social_work', 'nursing', 'oncology'] });
    const candidates = (await chair.get('/api/conferences/candidates')).body.candidates;
    expect(candidates.map((c: { patientRef: string; ready: boolean; complex: boolean }) => [c.patientRef, c.ready, c.complex])).toEqual([
      ['PT-3002', true, false], ['PT-3001', true, false], ['PT-3003', false, true],
    ]);
    expect(candidates[2].complexReasons).toContain('4 disciplines must weigh in');

    const refused = await chair.post('/api/conferences', meeting({ agenda: [{ caseId: a, minutes: 20 }, { caseId: notReady.id, minutes: 20 }] }));
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields['agenda.1.override']).toMatch(/not ready/);
    expect(refused.body.error.message).toMatch(/"Family disagrees with hospice" is not ready for conference \(0 of 7/);

    const c = await create(chair, meeting({
      attendeeIds: [pharmacist.user!.id, nurse.user!.id],
      agenda: [{ caseId: a, minutes: 25, presenterId: pharmacist.user!.id }, { caseId: b, minutes: 25 }, { caseId: notReady.id, minutes: 20, override: true }],
    }));
    const key = c.occurrences[0].key;
    const warnings = c.warnings.filter((w: { occurrence: string }) => w.occurrence === key);
    const kinds = (kind: string) => warnings.filter((w: { kind: string }) => w.kind === kind);
    expect(kinds('over_time')).toEqual([{ kind: 'over_time', occurrence: key, plannedMinutes: 70, lengthMinutes: 60 }]);
    const [, , hospice] = c.agenda[key];
    expect(kinds('not_ready').map((w: { itemId: string }) => w.itemId)).toEqual([hospice.id]);
    expect(kinds('complex_late').map((w: { itemId: string }) => w.itemId)).toEqual([hospice.id]);
    // Only the chair has accepted so far: pharmacy for case A and every discipline but oncology for the hospice case are missing.
    expect(kinds('missing_discipline').map((w: { disciplines: string[] }) => w.disciplines)).toEqual([['pharmacy'], ['nursing'], ['palliative_care', 'social_work', 'nursing']]);
    await pharmacist.put(`/api/conferences/${c.id}/response`, { response: 'accepted' });
    await nurse.put(`/api/conferences/${c.id}/response`, { response: 'accepted' });
    const accepted = (await chair.get(`/api/conferences/${c.id}`)).body.conference.warnings;
    expect(accepted.filter((w: { kind: string }) => w.kind === 'missing_discipline').map((w: { disciplines: string[] }) => w.disciplines)).toEqual([['palliative_care', 'social_work']]);
    // The pharmacist is not on case B's team, the nurse not on A's: each will not see the other's case.
    expect(accepted.filter((w: { kind: string }) => w.kind === 'not_on_team').map((w: { person: { name: string } }) => w.person.name).sort()).toEqual(
      ['Erik Lindqvist', 'Erik Lindqvist', 'Priya Nair', 'Priya Nair'],
    );
    // Invitees never see the organizer's warnings.
    expect((await pharmacist.get(`/api/conferences/${c.id}`)).body.conference.warnings).toEqual([]);

    // Reordering keeps what was recorded; complex first clears the late warning.
    const reordered = await chair.put(`/api/conferences/${c.id}/agenda`, { occurrence: key, items: [
      { caseId: notReady.id, minutes: 20, override: true }, { caseId: a, minutes: 20, presenterId: pharmacist.user!.id }, { caseId: b, minutes: 20 },
    ] });
    expect(reordered.status).toBe(200);
    const w2 = reordered.body.conference.warnings.map((w: { kind: string }) => w.kind);
    expect(w2).not.toContain('complex_late');
    expect(w2).not.toContain('over_time');
  });

  it('refuses presenters off the team, cases the organizer cannot put on an agenda, and agendas for meetings that do not exist', async () => {
    const { chair, pharmacist, nurse, stranger } = await people();
    const { a } = await twoCases(chair, pharmacist, nurse);
    const theirs = await createCase(stranger, { title: 'Not mine' });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ agenda: [{ caseId: a, minutes: 10, presenterId: nurse.user!.id }] }, 'agenda.0.presenterId', /not on this case's team/],
      [{ agenda: [{ caseId: theirs.id, minutes: 10 }] }, 'agenda.0.caseId', /not a case you are on/],
      [{ agenda: [{ caseId: a, minutes: 0 }] }, 'agenda.0.minutes', /at least 1 minute/],
      [{ agenda: [{ caseId: a, minutes: -5 }] }, 'agenda.0.minutes', /at least 1 minute/],
      [{ agenda: [{ caseId: a, minutes: 10 }, { caseId: a, minutes: 10 }] }, 'agenda', /twice/],
    ];
    for (const [over, field, message] of cases) {
      const res = await chair.post('/api/conferences', meeting(over));
      expect(res.status, JSON.stringify(over)).toBe(400);
      expect(res.body.error.fields[field], JSON.stringify(res.body)).toMatch(message);
    }
    const c = await create(chair, meeting());
    const wrong = await chair.put(`/api/conferences/${c.id}/agenda`, { occurrence: '2026-03-20T13:00:00.000Z', items: [] });
    expect(wrong.status).toBe(400);
    expect((await pharmacist.put(`/api/conferences/${c.id}/agenda`, { occurrence: c.occurrences[0].key, items: [] })).status).toBe(404); // not invited: cannot see it
  });
});

describe('who sees what', () => {
  it('shows a conference to its people and to members of its cases, each only the cases they are on; strangers learn nothing', async () => {
    const { chair, pharmacist, nurse, stranger } = await people();
    const { a, b } = await twoCases(chair, pharmacist, nurse);
    const c = await create(chair, meeting({ agenda: [{ caseId: a, minutes: 15 }, { caseId: b, minutes: 15, complex: true }], notes: 'PT-3002 lives alone' }));
    const key = c.occurrences[0].key;
    expect(c.notes).toBe('PT-3002 lives alone');
    // The pharmacist is not invited but is on case A: she sees the conference with case A only.
    const seen = (await pharmacist.get(`/api/conferences/${c.id}`)).body.conference;
    expect(seen.agenda[key].map((i: { case: { patientRef: string } | null; minutes: number }) => [i.case?.patientRef ?? null, i.minutes])).toEqual([['PT-3001', 15], [null, 15]]);
    expect(JSON.stringify(seen)).not.toMatch(/PT-3002|Home care/); // nor the notes, which are for the meeting's people
    expect(seen.agenda[key][1]).toMatchObject({ case: null, presenter: null, complex: false, override: false });
    expect(seen.myResponse).toBeNull();
    expect(seen.canEdit).toBe(false);
    const listed = (await pharmacist.get('/api/conferences')).body.conferences;
    expect(listed.map((x: { id: string; cases: { patientRef: string }[] }) => [x.id, x.cases.map((k) => k.patientRef)])).toEqual([[c.id, ['PT-3001']]]);
    expect((await pharmacist.get(`/api/cases/${a}/conferences`)).body.upcoming.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect((await pharmacist.get(`/api/cases/${b}/conferences`)).status).toBe(404);

    // A stranger: nothing, by HTTP or socket, and no list entry.
    expect((await stranger.get(`/api/conferences/${c.id}`)).status).toBe(404);
    expect((await stranger.put(`/api/conferences/${c.id}/response`, { response: 'accepted' })).status).toBe(404);
    expect((await stranger.get('/api/conferences')).body.conferences).toEqual([]);
    const socket = await connectSocket(stranger);
    const ack = await emitAck(socket, EVENTS.conferenceJoin, { conferenceId: c.id });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Signed out: 401.
    const anonymous = new (chair.constructor as new (s: typeof server) => ApiClient)(server);
    expect((await anonymous.get(`/api/conferences/${c.id}`)).status).toBe(401);
    // Only the organizer changes it, and only the organizer reads its audit log.
    expect((await pharmacist.patch(`/api/conferences/${c.id}`, { title: 'Mine now', version: seen.version })).status).toBe(403);
    expect((await pharmacist.get(`/api/conferences/${c.id}/audit`)).status).toBe(403);
  });
});

describe('bad input', () => {
  it('answers a clear 4xx naming the field, and saves nothing', async () => {
    const { chair, pharmacist } = await people();
    const nobody = '7d5e1c4a-0b3f-4c8e-9a61-2f4b8d9e0c11';
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [meeting({ end: '2026-03-19T13:00' }), 'end', /after the start/],
      [meeting({ timeZone: 'Mars/Olympus_Mons' }), 'timeZone', /known time zone/],
      [meeting({ start: '2026-02-30T10:00' }), 'start', /exists/],
      [meeting({ attendeeIds: [pharmacist.user!.id, nobody] }), 'attendeeIds.1', /not a Consilium user/],
      [meeting({ rrule: 'EVERY THURSDAY PLEASE' }), 'rrule', /could not be read/],
      [meeting({ rrule: 'FREQ=WEEKLY;BYDAY=TH' }), 'rrule', /must end/],
      [meeting({ rrule: 'FREQ=DAILY;COUNT=100000' }), 'rrule', /at most 260/],
      [meeting({ rrule: 'FREQ=DAILY;UNTIL=20990101T000000Z' }), 'rrule', /5 years/],
      [meeting({ rrule: 'FREQ=MINUTELY;COUNT=5' }), 'rrule', /daily, weekly, monthly or yearly|DAILY/i],
      [meeting({ start: null, end: null, pollSlots: [] }), 'pollSlots', /at least one slot/],
      [meeting({ start: null, end: null, pollSlots: [{ start: '2026-03-23T14:00', end: '2026-03-23T13:00' }] }), 'pollSlots.0.end', /after the start/],
      [meeting({ kind: 'party' }), 'kind', /must be one of/],
      [meeting({ videoUrl: 'javascript:alert(1)' }), 'videoUrl', /web address/],
      [meeting({ chairId: pharmacist.user!.id }), 'chairId', /organizer or an invitee/],
    ];
    for (const [body, field, message] of cases) {
      const res = await chair.post('/api/conferences', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.fields[field], `${field}: ${JSON.stringify(res.body)}`).toMatch(message);
    }
    expect((await chair.get('/api/conferences')).body.conferences).toEqual([]);
    expect((await pharmacist.get('/api/notifications')).body.notifications).toEqual([]);

    const c = await create(chair, meeting({ attendeeIds: [pharmacist.user!.id] }));
    const stale = await chair.patch(`/api/conferences/${c.id}`, { title: 'Renamed', version: c.version + 5 });
    expect(stale.status).toBe(409);
    const backwards = await chair.patch(`/api/conferences/${c.id}`, { end: '2026-03-19T13:30', version: c.version });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.fields.end).toMatch(/after the start/);
    expect((await pharmacist.put(`/api/conferences/${c.id}/response`, { response: 'maybe' })).body.error.fields.response).toMatch(/accepted, tentative or declined/);
    expect((await chair.put(`/api/conferences/${c.id}/agenda`, { occurrence: c.occurrences[0].key, items: [{ caseId: 'x', minutes: 5 }] })).status).toBe(400);
    const unchanged = (await chair.get(`/api/conferences/${c.id}`)).body.conference;
    expect(unchanged).toMatchObject({ title: 'Thoracic tumour board', version: c.version, end: c.end });
  });
});

describe('reminders', () => {
  it('sends each invitee one reminder at their chosen time before the meeting, exactly once across a restart', async () => {
    const { chair, pharmacist, nurse } = await people();
    const late = await signUp(server, { name: 'Lee Late' });
    expect((await pharmacist.put('/api/me/settings', { reminderMinutes: 60 })).body.settings.reminderMinutes).toBe(60);
    expect((await nurse.put('/api/me/settings', { reminderMinutes: 0 })).status).toBe(200);
    expect((await late.put('/api/me/settings', { reminderMinutes: 2000 })).body.error.fields.reminderMinutes).toMatch(/at most 1440/);
    // A meeting 90 minutes from now (the fake clock): 10:30 UTC on 16 March.
    const start = new Date(now + 90 * 60_000);
    const local = utcToZoned(start, BERLIN).local;
    const end = utcToZoned(new Date(start.getTime() + 3600_000), BERLIN).local;
    const c = await create(chair, meeting({ start: local, end, attendeeIds: [pharmacist.user!.id, nurse.user!.id, late.user!.id] }));
    await late.put(`/api/conferences/${c.id}/response`, { response: 'declined' });
    const reminders = async (who: ApiClient) =>
      (await who.get('/api/notifications')).body.notifications.filter((n: { kind: string; conference: { id: string } | null }) => n.kind === 'conference_reminder' && n.conference?.id === c.id);

    await new Promise((r) => setTimeout(r, 150)); // a few ticks of the server's clock check
    expect(await reminders(pharmacist)).toEqual([]);
    now += 31 * 60_000; // 59 minutes before: the pharmacist's hour has come
    await waitFor(async () => expect(await reminders(pharmacist)).toHaveLength(1));
    expect((await reminders(pharmacist))[0].occurrence).toBe(start.toISOString());
    expect(await reminders(chair)).toEqual([]);

    await server().restart(); // the server was down in between
    now += 45 * 60_000; // 14 minutes before: the chair's default 15 minutes has come
    await waitFor(async () => expect(await reminders(chair)).toHaveLength(1));
    await server().restart();
    await new Promise((r) => setTimeout(r, 200));
    expect(await reminders(pharmacist)).toHaveLength(1);
    expect(await reminders(chair)).toHaveLength(1);
    expect(await reminders(nurse)).toEqual([]); // asked for none
    expect(await reminders(late)).toEqual([]); // declined
    now += 20 * 60_000; // the meeting has begun: nothing more
    await new Promise((r) => setTimeout(r, 150));
    expect(await reminders(chair)).toHaveLength(1);
  });
});

describe('live mode', () => {
  it('lets the chair walk the agenda while everyone following sees it live; records minutes, attendance and outcomes', async () => {
    const { chair, pharmacist, nurse } = await people();
    const { a, b } = await twoCases(chair, pharmacist, nurse);
    const c = await create(chair, meeting({ attendeeIds: [pharmacist.user!.id, nurse.user!.id], agenda: [{ caseId: a, minutes: 10 }, { caseId: b, minutes: 10 }] }));
    const key = c.occurrences[0].key;
    const [itemA, itemB] = c.agenda[key];

    const socket = await connectSocket(pharmacist);
    const joined = await emitAck(socket, EVENTS.conferenceJoin, { conferenceId: c.id });
    expect(joined.ok).toBe(true);
    const seen: { live: Record<string, { currentItemId: string | null; status: string }> }[] = [];
    socket.on(EVENTS.conferenceChanged, (p: { conference: (typeof seen)[number] }) => seen.push(p.conference));

    expect((await pharmacist.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'start' })).status).toBe(403);
    expect((await chair.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'next' })).status).toBe(409);
    const started = await chair.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'start' });
    expect(started.body.conference.live[key]).toMatchObject({ status: 'live', currentItemId: itemA.id, chair: { name: 'Amara Okafor' } });
    await waitFor(() => expect(seen.at(-1)?.live[key]?.currentItemId).toBe(itemA.id));

    now += 7 * 60_000;
    await chair.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'next' });
    await waitFor(() => expect(seen.at(-1)?.live[key]?.currentItemId).toBe(itemB.id));
    const rec = await chair.put(`/api/conferences/${c.id}/live/record`, { occurrence: key, attended: [chair.user!.id, pharmacist.user!.id], itemId: itemA.id, outcome: 'Appeal with the NCCN guideline.' });
    expect(rec.status).toBe(200);
    const offList = await chair.put(`/api/conferences/${c.id}/live/record`, { occurrence: key, attended: ['7d5e1c4a-0b3f-4c8e-9a61-2f4b8d9e0c11'] });
    expect(offList.body.error.fields.attended).toMatch(/not invited/);
    now += 12 * 60_000;
    const ended = await chair.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'end' });
    expect(ended.body.conference.live[key]).toMatchObject({ status: 'ended', currentItemId: null, attended: [chair.user!.id, pharmacist.user!.id] });
    const items = ended.body.conference.agenda[key];
    expect(items.map((i: { actualMinutes: number; outcome: string | null }) => [i.actualMinutes, i.outcome])).toEqual([[7, 'Appeal with the NCCN guideline.'], [12, null]]);
    await waitFor(() => expect(seen.at(-1)?.live[key]?.status).toBe('ended'));
    // The pharmacist follows but is not on case B: the outcome and minutes of B stay hidden from her.
    const hers = (await pharmacist.get(`/api/conferences/${c.id}`)).body.conference.agenda[key];
    expect(hers[1]).toMatchObject({ case: null, actualMinutes: null, outcome: null });
    expect((await chair.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'start' })).status).toBe(409);

    // Before the meeting's end the case lists it as upcoming; after, as past.
    expect((await chair.get(`/api/cases/${a}/conferences`)).body.upcoming.map((x: { id: string }) => x.id)).toEqual([c.id]);
    const before = now;
    now = Date.parse(c.occurrences[0].end) + 60_000;
    const mine = await chair.get(`/api/cases/${a}/conferences`);
    expect(mine.body.past.map((x: { id: string }) => x.id)).toEqual([c.id]);
    expect(mine.body.upcoming).toEqual([]);
    expect((await pharmacist.get('/api/conferences?when=past')).body.conferences.map((x: { id: string }) => x.id)).toEqual([c.id]);
    now = before;
    const audit = (await chair.get(`/api/conferences/${c.id}/audit`)).body.entries.map((e: { action: string }) => e.action);
    expect(audit).toEqual(expect.arrayContaining(['conference.scheduled', 'conference.live_started', 'conference.attendance_recorded', 'conference.live_ended']));
    const caseAudit = (await chair.get(`/api/cases/${a}/audit`)).body.entries;
    expect(caseAudit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['conference.case_added', 'conference.outcome_recorded']));
    expect(JSON.stringify(caseAudit)).not.toContain('NCCN');
  });

  it('records scheduling, changes and cancellation in the audit log and tells the invitees', async () => {
    const { chair, pharmacist } = await people();
    const c = await create(chair, meeting({ attendeeIds: [pharmacist.user!.id] }));
    const moved = await chair.patch(`/api/conferences/${c.id}`, { start: '2026-03-19T15:00', end: '2026-03-19T16:00', location: 'Room 2', version: c.version });
    expect(moved.status).toBe(200);
    expect(moved.body.conference.start).toBe('2026-03-19T14:00:00.000Z');
    expect((await chair.post(`/api/conferences/${c.id}/cancel`, {})).body.conference.status).toBe('cancelled');
    const kinds = (await pharmacist.get('/api/notifications')).body.notifications.map((n: { kind: string }) => n.kind);
    expect(kinds).toEqual(['conference_cancelled', 'conference_changed', 'conference_invited']);
    const audit = (await chair.get(`/api/conferences/${c.id}/audit`)).body.entries;
    expect(audit.map((e: { action: string; fields: string[] }) => [e.action, [...e.fields].sort()])).toEqual([
      ['conference.cancelled', []],
      ['conference.changed', ['end', 'location', 'start']],
      ['conference.scheduled', ['attendeeIds', 'end', 'kind', 'start', 'timeZone', 'title']],
    ]);
    expect(JSON.stringify(audit)).not.toContain('Room 2');
    expect((await chair.get('/api/conferences')).body.conferences).toEqual([]); // cancelled ones leave the list
  });
});

describe('editing what others built', () => {
  it('lets a chair who is not on a case reorder and re-time it without dropping it, but not write its outcome', async () => {
    const { chair, pharmacist, nurse } = await people();
    const { a, b } = await twoCases(chair, pharmacist, nurse);
    // The nurse chairs; she is on case B only.
    const c = await create(chair, meeting({ attendeeIds: [nurse.user!.id, pharmacist.user!.id], chairId: nurse.user!.id, agenda: [{ caseId: a, minutes: 10 }, { caseId: b, minutes: 10 }] }));
    const key = c.occurrences[0].key;
    const hers = (await nurse.get(`/api/conferences/${c.id}`)).body.conference.agenda[key];
    expect(hers[0].case).toBeNull();
    const reordered = await nurse.put(`/api/conferences/${c.id}/agenda`, { occurrence: key, items: [{ caseId: b, minutes: 15 }, { itemId: hers[0].id, minutes: 20 }] });
    expect(reordered.status, JSON.stringify(reordered.body)).toBe(200);
    const forChair = (await chair.get(`/api/conferences/${c.id}`)).body.conference.agenda[key];
    expect(forChair.map((i: { case: { id: string }; minutes: number }) => [i.case.id, i.minutes])).toEqual([[b, 15], [a, 20]]);
    // She cannot add a case she is not on, nor name an item of another meeting.
    const foreign = await createCase(pharmacist, { title: 'Pharmacy-only case' });
    expect((await nurse.put(`/api/conferences/${c.id}/agenda`, { occurrence: key, items: [{ caseId: foreign.id, minutes: 5 }] })).body.error.fields['items.0.caseId']).toMatch(/not a case you are on/);
    expect((await nurse.put(`/api/conferences/${c.id}/agenda`, { occurrence: key, items: [{ itemId: foreign.id, minutes: 5 }] })).body.error.fields['items.0.itemId']).toMatch(/not on this meeting/);
    // Whom she can invite: everyone on a case with her.
    expect((await nurse.get('/api/people')).body.people.map((p: { name: string }) => p.name)).toEqual(['Amara Okafor']);
    expect((await chair.get('/api/people')).body.people.map((p: { name: string }) => p.name)).toEqual(['Erik Lindqvist', 'Priya Nair']);
    // In live mode she records attendance, and outcomes only for cases she is on (the view says which).
    await nurse.post(`/api/conferences/${c.id}/live`, { occurrence: key, action: 'start' });
    const canRecord = (await nurse.get(`/api/conferences/${c.id}`)).body.conference.agenda[key].map((i: { canRecord: boolean }) => i.canRecord);
    expect(canRecord).toEqual([true, false]);
    expect((await pharmacist.get(`/api/conferences/${c.id}`)).body.conference.agenda[key].map((i: { canRecord: boolean }) => i.canRecord)).toEqual([false, false]);
    const notHers = await nurse.put(`/api/conferences/${c.id}/live/record`, { occurrence: key, itemId: hers[0].id, outcome: 'Written by someone not on the case' });
    expect(notHers.status).toBe(400);
    const onB = forChair[0].id;
    expect((await nurse.put(`/api/conferences/${c.id}/live/record`, { occurrence: key, itemId: onB, outcome: 'Home care arranged' })).status).toBe(200);
    expect((await chair.get(`/api/conferences/${c.id}`)).body.conference.agenda[key].map((i: { outcome: string | null }) => i.outcome)).toEqual(['Home care arranged', null]);
  });

  it('drops a removed invitee from the poll counts and invites newcomers to the poll', async () => {
    const { chair, pharmacist, nurse } = await people();
    const poll = await create(chair, meeting({ start: null, end: null, attendeeIds: [pharmacist.user!.id, nurse.user!.id], pollSlots: [
      { start: '2026-03-23T14:00', end: '2026-03-23T15:00' }, { start: '2026-03-24T14:00', end: '2026-03-24T15:00' },
    ] }));
    const [s1, s2] = poll.poll.slots.map((s: { id: string }) => s.id);
    await pharmacist.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'yes', [s2]: 'no' } });
    await nurse.put(`/api/conferences/${poll.id}/poll`, { answers: { [s1]: 'no', [s2]: 'yes' } });
    const late = await signUp(server, { name: 'Late Invitee' });
    const changed = await chair.patch(`/api/conferences/${poll.id}`, { attendeeIds: [nurse.user!.id, late.user!.id], version: (await chair.get(`/api/conferences/${poll.id}`)).body.conference.version });
    expect(changed.status).toBe(200);
    expect(changed.body.conference.poll.slots.map((s: { yes: number; no: number }) => [s.yes, s.no])).toEqual([[0, 1], [1, 0]]);
    expect(changed.body.conference.poll.bestSlotId).toBe(s2);
    expect((await late.get('/api/notifications')).body.notifications.map((n: { kind: string }) => n.kind)).toEqual(['poll_invited']);
    // A conference still being polled has no time to put in a calendar.
    expect((await chair.get(`/api/conferences/${poll.id}/calendar.ics`)).status).toBe(409);
  });
});

describe('inputs that once slipped through', () => {
  it('treats an empty repeat rule as none, refuses far or backwards moves, and years outside 2000 to 2100', async () => {
    const { chair } = await people();
    const once = await create(chair, meeting({ rrule: 'RRULE:' }));
    expect(once.rrule).toBeNull();
    expect((await chair.post('/api/conferences/check', { timeZone: BERLIN, start: '2026-03-19T14:00', end: '2026-03-19T15:00', rrule: '' })).status).toBe(200);
    expect((await chair.patch(`/api/conferences/${once.id}`, { rrule: 'RRULE:', version: once.version })).status).toBe(200);
    const weekly = await create(chair, meeting({ start: '2026-03-19T08:00', end: '2026-03-19T09:00', rrule: 'FREQ=WEEKLY;COUNT=4' }));
    const key = weekly.occurrences[1].key;
    const far = await chair.post(`/api/conferences/${weekly.id}/exceptions`, { occurrence: key, kind: 'move', start: '2099-01-01T10:00', end: '2099-01-01T11:00' });
    expect(far.body.error.fields.start).toMatch(/within a year/);
    // 02:30 does not exist in Berlin on 29 March: it becomes 03:30, after the 03:15 end.
    const gap = await chair.post(`/api/conferences/${weekly.id}/exceptions`, { occurrence: key, kind: 'move', start: '2026-03-29T02:30', end: '2026-03-29T03:15' });
    expect(gap.body.error.fields.end).toMatch(/after the start/);
    expect((await chair.post('/api/conferences', meeting({ start: '0026-03-19T14:00', end: '0026-03-19T15:00' }))).body.error.fields.start).toMatch(/2000 and 2100/);
    expect((await chair.get(`/api/conferences/${weekly.id}`)).body.conference.occurrences).toHaveLength(4);
  });

  it('serves an empty calendar feed that is still a valid calendar', async () => {
    const { nurse } = await people();
    const url = (await nurse.post('/api/me/calendar-feed', {})).body.url as string;
    const anonymous = new (nurse.constructor as new (s: typeof server) => ApiClient)(server);
    const feed = await anonymous.get(new URL(url).pathname);
    const calendar = parseCalendar(feed.body as string);
    expect(calendar.getAllSubcomponents('vevent')).toEqual([]);
    expect(calendar.getAllSubcomponents().length).toBeGreaterThan(0);
  });
});
