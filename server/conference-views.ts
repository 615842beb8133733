/**
 * Conferences as one viewer may see them: agenda items of cases the viewer is not on show only
 * as time taken; warnings (conflicts, agenda rules) go to the organizer and the chair.
 */
import { agendaWarnings, bestSlot } from '../shared/agenda.js';
import type { Discipline } from '../shared/disciplines.js';
import type { Role } from '../shared/roles.js';
import type { AgendaItemView, ConferenceSummaryView, ConferenceView, WarningView } from '../shared/schemas/conferences.js';
import { disciplinesPresent, meetingsOf, type CaseFacts, type ConferenceService } from './domain/conferences.js';
import { namesOf, type PersonRef } from './people.js';
import type { Occurrence, Series } from './calendar/recurrence.js';
import type { ConferenceRecord, Store, UserRecord } from './store/port.js';

const person = (names: Map<string, PersonRef>, id: string): PersonRef => names.get(id) ?? { id, name: 'Former user' };

/** The viewer's role on each of these cases they are a member of. */
async function rolesOf(store: Store, viewerId: string, caseIds: string[]): Promise<Map<string, Role>> {
  const roles = new Map<string, Role>();
  for (const id of caseIds) {
    const m = await store.memberships.find(id, viewerId);
    if (m) roles.set(id, m.role);
  }
  return roles;
}

/** The whole conference for one viewer. */
export async function conferenceView(store: Store, service: ConferenceService, viewer: UserRecord, c: ConferenceRecord, now: string): Promise<ConferenceView> {
  const roles = await rolesOf(store, viewer.id, c.caseIds);
  const mine = new Set(roles.keys());
  const facts = await service.caseFacts([...mine]);
  const users = await store.users.findManyByIds(c.peopleIds);
  const disciplines = new Map(users.map((u) => [u.id, u.discipline]));
  const names = await namesOf(store, [
    ...c.peopleIds, c.chairId, ...c.agenda.map((i) => i.presenterId), ...(c.poll?.answers.map((a) => a.userId) ?? []), ...c.live.map((l) => l.chairId),
  ]);
  const meetings = meetingsOf(c);
  const next = meetings.find((o) => o.end > now) ?? null;
  const isLead = c.organizerId === viewer.id || c.chairId === viewer.id;

  const agenda: Record<string, AgendaItemView[]> = {};
  for (const item of c.agenda) {
    const fact = mine.has(item.caseId) ? facts.get(item.caseId) : undefined;
    (agenda[item.occurrence] ??= []).push({
      id: item.id,
      case: fact ? { id: fact.record.id, title: fact.record.title, patientRef: fact.record.patientRef, ready: fact.ready, requiredDisciplines: fact.record.requiredDisciplines } : null,
      minutes: item.minutes,
      presenter: fact && item.presenterId ? person(names, item.presenterId) : null,
      complex: fact ? item.complex : false,
      override: fact ? item.override : false,
      actualMinutes: fact ? item.actualMinutes : null,
      outcome: fact ? item.outcome : null,
      canRecord: isLead && c.status === 'scheduled' && (roles.get(item.caseId) === 'owner' || roles.get(item.caseId) === 'editor'),
    });
  }

  const warnings: WarningView[] = [];
  const people = c.attendees.filter((a) => a.response !== 'declined').map((a) => a.userId);
  const conflictViews = async (series: Series) =>
    (await service.conflicts(viewer, { id: c.id, series, people })).map((w): WarningView => ({ kind: 'conflict', person: person(names, w.userId), occurrence: w.occurrence, other: w.other }));
  if (isLead && c.status === 'scheduled') {
    warnings.push(...(await agendaWarningViews(store, c, facts, meetings, now)));
    warnings.push(...(await conflictViews({ start: c.start!, end: c.end!, timeZone: c.timeZone, rrule: c.rrule, exceptions: c.exceptions })));
  }
  // While polling, each candidate slot's conflicts (keyed by the slot's start) help the organizer pick.
  if (isLead && c.status === 'polling' && c.poll) {
    for (const slot of c.poll.slots) warnings.push(...(await conflictViews({ start: slot.start, end: slot.end, timeZone: c.timeZone, rrule: null, exceptions: [] })));
  }

  let poll: ConferenceView['poll'] = null;
  if (c.poll) {
    const answersOf = (slotId: string) => c.poll!.answers.filter((a) => a.slotId === slotId);
    const answered = new Set(c.poll.answers.map((a) => a.userId));
    poll = {
      slots: c.poll.slots.map((s) => ({
        id: s.id, start: s.start, end: s.end,
        yes: answersOf(s.id).filter((a) => a.answer === 'yes').length,
        ifNeedBe: answersOf(s.id).filter((a) => a.answer === 'if_need_be').length,
        no: answersOf(s.id).filter((a) => a.answer === 'no').length,
        answers: answersOf(s.id).map((a) => ({ person: person(names, a.userId), answer: a.answer })),
      })),
      bestSlotId: bestSlot(c.poll.slots, c.poll.answers),
      myAnswers: Object.fromEntries(c.poll.answers.filter((a) => a.userId === viewer.id).map((a) => [a.slotId, a.answer])),
      waitingFor: c.attendees.filter((a) => a.userId !== c.organizerId && !answered.has(a.userId)).map((a) => person(names, a.userId)),
      chosenSlotId: c.poll.chosenSlotId,
    };
  }

  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    status: c.status,
    organizer: person(names, c.organizerId),
    chair: person(names, c.chairId),
    timeZone: c.timeZone,
    start: c.start,
    end: c.end,
    rrule: c.rrule,
    occurrences: meetings,
    next,
    location: c.location,
    videoUrl: c.videoUrl,
    // Notes are for the people of the meeting, not for members of one of its cases.
    notes: c.peopleIds.includes(viewer.id) ? c.notes : '',
    attendees: c.attendees.map((a) => ({ ...person(names, a.userId), discipline: disciplines.get(a.userId) ?? 'other', response: a.response })),
    myResponse: c.attendees.find((a) => a.userId === viewer.id)?.response ?? null,
    agenda,
    live: Object.fromEntries(c.live.map((l) => [l.occurrence, {
      status: l.status, chair: person(names, l.chairId), startedAt: l.startedAt, endedAt: l.endedAt,
      currentItemId: l.currentItemId, currentSince: l.currentSince, attended: l.attended,
    }])),
    poll,
    warnings,
    canEdit: c.organizerId === viewer.id && c.status !== 'cancelled',
    canChair: isLead && c.status === 'scheduled',
    version: c.version,
    updatedAt: c.updatedAt,
  };
}

/** The agenda rules for each upcoming meeting that has an agenda. */
async function agendaWarningViews(store: Store, c: ConferenceRecord, facts: Map<string, CaseFacts>, meetings: Occurrence[], now: string): Promise<WarningView[]> {
  const out: WarningView[] = [];
  const present = new Map<string, Set<Discipline>>();
  for (const o of meetings) {
    if (o.end <= now) continue;
    const items = c.agenda.filter((i) => i.occurrence === o.key);
    if (items.length === 0) continue;
    for (const i of items) if (!present.has(i.caseId)) present.set(i.caseId, await disciplinesPresent(store, c, i.caseId));
    const length = Math.round((Date.parse(o.end) - Date.parse(o.start)) / 60_000);
    const checks = items.map((i) => ({
      id: i.id, minutes: i.minutes, complex: i.complex, ready: facts.get(i.caseId)?.ready ?? true, override: i.override,
      requiredDisciplines: facts.get(i.caseId)?.record.requiredDisciplines ?? [],
    }));
    const byId = new Map(items.map((i) => [i.id, i.caseId]));
    for (const w of agendaWarnings(checks, length, (item) => present.get(byId.get(item.id)!) ?? new Set())) {
      out.push({ ...w, occurrence: o.key });
    }
    // An invitee who is not on a case's team will not see it on the agenda.
    for (const i of items) {
      if (!facts.has(i.caseId)) continue;
      for (const a of c.attendees) {
        if (a.response === 'declined' || (await store.memberships.find(i.caseId, a.userId))) continue;
        const u = await store.users.findById(a.userId);
        out.push({ kind: 'not_on_team', occurrence: o.key, itemId: i.id, person: { id: a.userId, name: u?.name ?? 'Former user' } });
      }
    }
  }
  return out;
}

/** One line of a list. */
export async function conferenceSummary(store: Store, viewer: UserRecord, c: ConferenceRecord, occurrence: Occurrence | null): Promise<ConferenceSummaryView> {
  const items = occurrence ? c.agenda.filter((i) => i.occurrence === occurrence.key) : [];
  const mine = new Set((await rolesOf(store, viewer.id, items.map((i) => i.caseId))).keys());
  const cases = [];
  for (const i of items) {
    if (!mine.has(i.caseId)) continue;
    const record = await store.cases.findById(i.caseId);
    if (record) cases.push({ id: record.id, title: record.title, patientRef: record.patientRef });
  }
  const invited = c.attendees.some((a) => a.userId === viewer.id);
  return {
    id: c.id,
    title: c.title,
    kind: c.kind,
    status: c.status,
    timeZone: c.timeZone,
    occurrence,
    recurring: c.rrule !== null,
    myResponse: c.attendees.find((a) => a.userId === viewer.id)?.response ?? null,
    pollWaiting: c.status === 'polling' && invited && c.organizerId !== viewer.id && !(c.poll?.answers.some((a) => a.userId === viewer.id) ?? false),
    cases,
    live: occurrence !== null && c.live.some((l) => l.occurrence === occurrence.key && l.status === 'live'),
  };
}
