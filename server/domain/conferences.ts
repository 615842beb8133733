import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { caseComplexity } from '../../shared/agenda.js';
import type { Discipline } from '../../shared/disciplines.js';
import { readinessSummary } from '../../shared/readiness.js';
import type { z } from 'zod';
import type * as S from '../../shared/schemas/conferences.js';
import { CONFERENCE_KIND_LABELS, type PollAnswer } from '../../shared/schemas/conferences.js';
import { utcToZoned, zonedToUtc } from '../../shared/time.js';
import { buildCalendar, type IcsEvent } from '../calendar/ics.js';
import { checkRule, occurrenceByKey, occurrences, seriesSpan, type Occurrence, type Series } from '../calendar/recurrence.js';
import { namesOf } from '../people.js';
import type { AgendaItemRecord, CaseRecord, ConferenceRecord, LiveRecord, Store, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { canSeeConference } from './conference-access.js';
import { conflict, forbidden, invalid, notFound } from './errors.js';
import type { DomainEvents } from './events.js';
import type { NotificationService } from './notifications.js';

type CreateInput = z.output<typeof S.CreateConferenceBody>;
type UpdateInput = z.output<typeof S.UpdateConferenceBody>;
type AgendaInput = z.output<typeof S.AgendaItemInput>;

/**
 * Optimistic writes retry this many times when someone else changed the conference meanwhile,
 * after a short random pause, so that a whole team answering a poll at once all get through.
 */
const RETRIES = 30;
const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(100, 5 * 2 ** attempt)));
/** How far back the list of past meetings looks (a year). */
const PAST_WINDOW_MS = 366 * 86_400_000;

const local = (value: string, timeZone: string) => zonedToUtc(value, timeZone).toISOString();

/** The series of a scheduled conference, for the recurrence functions. */
export function seriesOf(c: ConferenceRecord): Series | null {
  if (c.start === null || c.end === null) return null;
  return { start: c.start, end: c.end, timeZone: c.timeZone, rrule: c.rrule, exceptions: c.exceptions };
}

/**
 * Expanded meetings by conference and version: a series is expanded once per change, not on
 * every list, view and reminder tick. Bounded; the oldest entries go first.
 */
const expanded = new Map<string, Occurrence[]>();
const EXPANDED_MAX = 2000;

/** Every meeting of a conference (none while polling), optionally those overlapping a window. */
export function meetingsOf(c: ConferenceRecord, window?: { from?: string; to?: string }): Occurrence[] {
  const series = seriesOf(c);
  if (!series) return [];
  const key = `${c.id}:${c.version}`;
  let all = expanded.get(key);
  if (!all) {
    all = occurrences(series);
    if (expanded.size >= EXPANDED_MAX) expanded.delete(expanded.keys().next().value!);
    expanded.set(key, all);
  }
  if (!window) return all;
  const from = window.from ?? '';
  const to = window.to ?? '\uffff';
  return all.filter((o) => o.start < to && o.end > from);
}

/** A UUID derived from a string: the same reminder always gets the same notification id. */
export function derivedId(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex').split('');
  h[12] = '8'; // version 8: custom
  h[16] = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16); // RFC 9562 variant
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/** The case facts the agenda rules need. */
export interface CaseFacts {
  record: CaseRecord;
  ready: boolean;
  readiness: { complete: number; required: number };
  complex: boolean;
  complexReasons: string[];
}

/**
 * Conferences: case conferences, insurer peer-to-peer reviews and family meetings; one-off or
 * repeating (an RRULE read in the organizer's zone, with skipped and moved meetings); a poll when
 * no time is fixed; an agenda of cases per meeting; live mode. Who sees what: the organizer and
 * invitees see a conference, members of a case on its agenda see it too, but only their cases.
 */
export class ConferenceService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
  ) {}

  // ---- reading ----

  /** The conference if the user may see it; not-found otherwise (nobody learns it exists). */
  async get(user: UserRecord, id: string): Promise<ConferenceRecord> {
    const c = await this.store.conferences.find(id);
    if (!c || !(await canSeeConference(this.store, c, user.id))) throw notFound('That conference');
    return c;
  }

  /** Conferences the user organizes or attends, or whose agenda holds one of their cases. */
  async visibleTo(user: UserRecord): Promise<ConferenceRecord[]> {
    const cases = [...(await this.store.cases.listForUser(user.id, { archived: false })), ...(await this.store.cases.listForUser(user.id, { archived: true }))];
    return this.store.conferences.listVisible(user.id, cases.map((c) => c.id));
  }

  /**
   * My conferences at their next meeting (and open polls), soonest first; or at their last
   * meeting within the past year, latest first.
   */
  async list(user: UserRecord, when: 'upcoming' | 'past', limit: number): Promise<{ record: ConferenceRecord; occurrence: Occurrence | null }[]> {
    const now = this.clock.now().toISOString();
    const out: { record: ConferenceRecord; occurrence: Occurrence | null }[] = [];
    for (const c of await this.visibleTo(user)) {
      if (c.status === 'cancelled') continue;
      if (c.status === 'polling') {
        if (when === 'upcoming') out.push({ record: c, occurrence: null });
        continue;
      }
      if (when === 'upcoming') {
        const next = meetingsOf(c, { from: now })[0];
        if (next) out.push({ record: c, occurrence: next });
      } else {
        const past = meetingsOf(c, { from: new Date(Date.parse(now) - PAST_WINDOW_MS).toISOString(), to: now }).filter((o) => o.end <= now);
        const last = past[past.length - 1];
        if (last) out.push({ record: c, occurrence: last });
      }
    }
    const key = (o: Occurrence | null) => o?.start ?? '';
    out.sort((a, b) => (when === 'upcoming' ? key(a.occurrence).localeCompare(key(b.occurrence)) : key(b.occurrence).localeCompare(key(a.occurrence))));
    return out.slice(0, limit);
  }

  /** The meetings whose agenda holds this case: upcoming soonest first, past latest first. */
  async forCase(user: UserRecord, caseId: string): Promise<{ upcoming: { record: ConferenceRecord; occurrence: Occurrence }[]; past: { record: ConferenceRecord; occurrence: Occurrence }[] }> {
    await this.access.require(caseId, user.id, 'read');
    const now = this.clock.now().toISOString();
    const upcoming: { record: ConferenceRecord; occurrence: Occurrence }[] = [];
    const past: { record: ConferenceRecord; occurrence: Occurrence }[] = [];
    for (const c of await this.store.conferences.listByCase(caseId)) {
      if (c.status !== 'scheduled') continue;
      const keys = new Set(c.agenda.filter((i) => i.caseId === caseId).map((i) => i.occurrence));
      for (const o of meetingsOf(c)) {
        if (!keys.has(o.key)) continue;
        (o.end > now ? upcoming : past).push({ record: c, occurrence: o });
      }
    }
    upcoming.sort((a, b) => a.occurrence.start.localeCompare(b.occurrence.start));
    past.sort((a, b) => b.occurrence.start.localeCompare(a.occurrence.start));
    return { upcoming, past };
  }

  /** What the agenda rules know about a case: readiness and complexity. */
  async caseFacts(caseIds: string[]): Promise<Map<string, CaseFacts>> {
    const facts = new Map<string, CaseFacts>();
    const readiness = await this.store.readiness.listForCases(caseIds);
    const options = await this.store.options.listForCases(caseIds);
    for (const caseId of caseIds) {
      const record = await this.store.cases.findById(caseId);
      if (!record) continue;
      const summary = readinessSummary(readiness.filter((r) => r.caseId === caseId).map((r) => r.data));
      const rounds = await this.store.rounds.listByCase(caseId);
      const threads = await this.store.threads.listByCase(caseId);
      const { complex, reasons } = caseComplexity({
        requiredDisciplines: record.requiredDisciplines.length,
        resistance: record.resistance.length,
        undecidedRounds: rounds.filter((r) => r.result && r.result.outcome.kind !== 'decided').length,
        openThreads: threads.filter((t) => t.status === 'open').length,
        options: options.filter((o) => o.caseId === caseId).length,
      });
      facts.set(caseId, { record, ready: summary.ready, readiness: { complete: summary.complete, required: summary.required }, complex, complexReasons: reasons });
    }
    return facts;
  }

  /** The cases the user may put on an agenda (owner or editor, not archived), ready ones first, then complex ones. */
  async candidates(user: UserRecord): Promise<CaseFacts[]> {
    const cases = await this.store.cases.listForUser(user.id, { archived: false });
    const mine: string[] = [];
    for (const c of cases) {
      const m = await this.store.memberships.find(c.id, user.id);
      if (m && (m.role === 'owner' || m.role === 'editor')) mine.push(c.id);
    }
    const facts = [...(await this.caseFacts(mine)).values()];
    return facts.sort((a, b) => Number(b.ready) - Number(a.ready) || Number(b.complex) - Number(a.complex) || a.record.title.localeCompare(b.record.title));
  }

  // ---- scheduling ----

  /** Schedules a conference, or opens a poll when no time is fixed. */
  async create(user: UserRecord, input: CreateInput): Promise<ConferenceRecord> {
    const now = this.clock.now().toISOString();
    await this.requireUsers(input.attendeeIds, 'attendeeIds');
    const attendees = input.attendeeIds.filter((id) => id !== user.id).map((userId) => ({ userId, response: 'pending' as const, respondedAt: null }));
    const chairId = input.chairId ?? user.id;
    if (chairId !== user.id && !attendees.some((a) => a.userId === chairId)) throw invalid('The chair must be the organizer or an invitee.', { chairId: 'must be the organizer or an invitee' });
    const record: ConferenceRecord = {
      id: randomUUID(), title: input.title, kind: input.kind, status: input.pollSlots ? 'polling' : 'scheduled',
      organizerId: user.id, chairId, timeZone: input.timeZone, start: null, end: null, rrule: null, exceptions: [],
      location: input.location, videoUrl: input.videoUrl, notes: input.notes,
      attendees: [{ userId: user.id, response: 'accepted', respondedAt: now }, ...attendees],
      agenda: [], poll: null, live: [], sequence: 0,
      caseIds: [], peopleIds: [], spanStart: null, spanEnd: null, version: 1, createdAt: now, updatedAt: now,
    };
    if (input.pollSlots) {
      const slots = input.pollSlots.map((s, i) => this.slot(s, input.timeZone, `pollSlots.${i}`));
      record.poll = { slots, answers: [], chosenSlotId: null };
      if (input.agenda.length > 0) throw invalid('Build the agenda once a time is chosen from the poll.', { agenda: 'must be empty while the time is polled' });
    } else {
      this.setTimes(record, input.start!, input.end!, input.rrule);
      const first = meetingsOf(record)[0]!;
      record.agenda = await this.buildAgenda(user, record, first.key, input.agenda, 'agenda');
    }
    derive(record);
    await this.store.conferences.create(record);
    await this.audit.record(null, user.id, record.poll ? 'conference.poll_opened' : 'conference.scheduled', { conferenceId: record.id, target: record.id, fields: fieldsOf(input) });
    for (const caseId of record.caseIds) await this.audit.record(caseId, user.id, 'conference.case_added', { conferenceId: record.id, target: record.id });
    await this.notifications.notify({
      kind: record.poll ? 'poll_invited' : 'conference_invited', caseId: null, conferenceId: record.id, actorId: user.id,
      recipients: attendees.map((a) => a.userId),
    });
    this.events.emit('conferenceChanged', { conferenceId: record.id, peopleIds: record.peopleIds });
    return record;
  }

  /** The organizer changes details, time, repeat rule, invitees or chair. */
  async update(user: UserRecord, id: string, input: UpdateInput): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (current.organizerId !== user.id) throw forbidden('Only the organizer can change this conference.');
    if (current.status === 'cancelled') throw conflict('This conference was cancelled.');
    if (current.version !== input.version) throw conflict('Someone changed this conference meanwhile. Reload it and make your change again.', { version: 'is not the latest' });
    if (input.attendeeIds) await this.requireUsers(input.attendeeIds, 'attendeeIds');
    let timeChanged = false;
    let invited: string[] = [];
    const updated = await this.mutate(id, async (c) => {
      if (c.version !== input.version) throw conflict('Someone changed this conference meanwhile. Reload it and make your change again.', { version: 'is not the latest' });
      if (input.title !== undefined) c.title = input.title;
      if (input.kind !== undefined) c.kind = input.kind;
      if (input.location !== undefined) c.location = input.location;
      if (input.videoUrl !== undefined) c.videoUrl = input.videoUrl;
      if (input.notes !== undefined) c.notes = input.notes;
      if (input.attendeeIds !== undefined) {
        const keep = new Map(c.attendees.map((a) => [a.userId, a]));
        const next = [c.organizerId, ...input.attendeeIds.filter((u) => u !== c.organizerId)];
        invited = next.filter((u) => !keep.has(u));
        c.attendees = next.map((userId) => keep.get(userId) ?? { userId, response: 'pending', respondedAt: null });
        if (!next.includes(c.chairId)) c.chairId = c.organizerId;
        // Someone no longer invited no longer counts in the poll or the attendance.
        const still = new Set(next);
        if (c.poll) c.poll.answers = c.poll.answers.filter((a) => still.has(a.userId));
        for (const run of c.live) run.attended = run.attended.filter((u) => still.has(u));
      }
      if (input.chairId !== undefined) {
        const chair = input.chairId ?? c.organizerId;
        if (!c.attendees.some((a) => a.userId === chair)) throw invalid('The chair must be the organizer or an invitee.', { chairId: 'must be the organizer or an invitee' });
        c.chairId = chair;
      }
      const zoneChanged = input.timeZone !== undefined && input.timeZone !== c.timeZone;
      if (input.start !== undefined || input.end !== undefined || input.rrule !== undefined || zoneChanged) {
        if (c.status === 'polling') throw conflict('The time is chosen from the poll: pick a slot first.', { start: 'is chosen from the poll' });
        const zone = input.timeZone ?? c.timeZone;
        const start = input.start ?? utcToZoned(c.start!, c.timeZone).local;
        const end = input.end ?? utcToZoned(c.end!, c.timeZone).local;
        if (end <= start) throw invalid('The end must be after the start.', { end: 'must be after the start' });
        const before = ruleKeys(c);
        c.timeZone = zone;
        this.setTimes(c, start, end, input.rrule === undefined ? c.rrule : input.rrule);
        rekey(c, before);
        timeChanged = true;
      } else if (input.timeZone !== undefined) c.timeZone = input.timeZone;
      if (timeChanged || ['title', 'kind', 'location', 'videoUrl'].some((k) => input[k as keyof UpdateInput] !== undefined)) c.sequence += 1;
    });
    await this.audit.record(null, user.id, 'conference.changed', { conferenceId: id, target: id, fields: Object.keys(input).filter((k) => k !== 'version') });
    if (invited.length > 0) {
      await this.notifications.notify({ kind: updated.status === 'polling' ? 'poll_invited' : 'conference_invited', caseId: null, conferenceId: id, actorId: user.id, recipients: invited });
    }
    if (timeChanged) {
      await this.notifications.notify({ kind: 'conference_changed', caseId: null, conferenceId: id, actorId: user.id, recipients: updated.peopleIds.filter((p) => !invited.includes(p)) });
    }
    this.changed(updated, current);
    return updated;
  }

  /** The organizer cancels the conference; everyone invited is told. */
  async cancel(user: UserRecord, id: string): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (current.organizerId !== user.id) throw forbidden('Only the organizer can cancel this conference.');
    if (current.status === 'cancelled') return current;
    const updated = await this.mutate(id, (c) => {
      c.status = 'cancelled';
      c.sequence += 1;
    });
    await this.audit.record(null, user.id, 'conference.cancelled', { conferenceId: id, target: id });
    for (const caseId of updated.caseIds) await this.audit.record(caseId, user.id, 'conference.cancelled', { conferenceId: id, target: id });
    await this.notifications.notify({ kind: 'conference_cancelled', caseId: null, conferenceId: id, actorId: user.id, recipients: updated.peopleIds });
    this.changed(updated, current);
    return updated;
  }

  /** Skips or moves one meeting of a repeating conference (organizer). */
  async except(user: UserRecord, id: string, input: z.output<typeof S.ExceptionBody>): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (current.organizerId !== user.id) throw forbidden('Only the organizer can change this conference.');
    if (current.status !== 'scheduled') throw conflict('Only a scheduled conference has meetings to skip or move.');
    if (!current.rrule) throw invalid('Only a repeating conference has single meetings to skip or move; change the time instead.', { occurrence: 'belongs to a conference that does not repeat' });
    const updated = await this.mutate(id, (c) => {
      const series = seriesOf(c);
      if (!series || !c.rrule) throw conflict('This conference no longer repeats.');
      const base = occurrences({ ...series, exceptions: [] });
      if (!base.some((o) => o.key === input.occurrence)) throw invalid('That meeting is not part of this conference.', { occurrence: 'is not a meeting of this conference' });
      c.exceptions = c.exceptions.filter((e) => e.original !== input.occurrence);
      c.sequence += 1;
      if (input.kind === 'skip') {
        c.exceptions.push({ original: input.occurrence, kind: 'skip' });
        return;
      }
      const start = local(input.start!, c.timeZone);
      const end = local(input.end!, c.timeZone);
      // Compared after conversion: a start in the hour skipped in spring moves forward.
      if (end <= start) throw invalid('The end must be after the start.', { end: 'must be after the start' });
      // A moved meeting stays within a year of the series, which keeps calendar files small.
      const year = 366 * 86_400_000;
      if (Date.parse(start) < Date.parse(base[0]!.start) - year || Date.parse(end) > Date.parse(base[base.length - 1]!.end) + year) {
        throw invalid('A meeting can be moved to within a year of its series.', { start: 'must be within a year of the series' });
      }
      c.exceptions.push({ original: input.occurrence, kind: 'move', start, end });
    });
    await this.audit.record(null, user.id, input.kind === 'skip' ? 'conference.occurrence_skipped' : 'conference.occurrence_moved', { conferenceId: id, target: input.occurrence });
    await this.notifications.notify({ kind: 'conference_changed', caseId: null, conferenceId: id, occurrence: input.occurrence, actorId: user.id, recipients: updated.peopleIds });
    this.changed(updated, current);
    return updated;
  }

  /** The organizer or chair sets one meeting's agenda. */
  async setAgenda(user: UserRecord, id: string, input: z.output<typeof S.AgendaBody>): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (current.organizerId !== user.id && current.chairId !== user.id) throw forbidden('Only the organizer or the chair can change the agenda.');
    if (current.status !== 'scheduled') throw conflict(current.status === 'polling' ? 'Choose a time from the poll before building the agenda.' : 'This conference was cancelled.');
    requireMeeting(current, input.occurrence);
    const before = new Set(current.agenda.filter((i) => i.occurrence === input.occurrence).map((i) => i.caseId));
    const items = await this.buildAgenda(user, current, input.occurrence, input.items, 'items');
    const updated = await this.mutate(id, (c) => {
      requireMeeting(c, input.occurrence);
      // What live mode recorded meanwhile stays with its item.
      const fresh = new Map(c.agenda.map((i) => [i.id, i]));
      const merged = items.map((i) => {
        const old = fresh.get(i.id);
        return old ? { ...i, actualMinutes: old.actualMinutes, outcome: old.outcome } : i;
      });
      c.agenda = [...c.agenda.filter((i) => i.occurrence !== input.occurrence), ...merged];
    });
    const after = new Set(items.map((i) => i.caseId));
    await this.audit.record(null, user.id, 'conference.agenda_changed', { conferenceId: id, target: input.occurrence });
    for (const caseId of after) if (!before.has(caseId)) await this.audit.record(caseId, user.id, 'conference.case_added', { conferenceId: id, target: input.occurrence });
    for (const caseId of before) if (!after.has(caseId)) await this.audit.record(caseId, user.id, 'conference.case_removed', { conferenceId: id, target: input.occurrence });
    this.changed(updated, current);
    return updated;
  }

  /** An invitee accepts, accepts tentatively or declines. */
  async respond(user: UserRecord, id: string, response: 'accepted' | 'tentative' | 'declined'): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (!current.attendees.some((a) => a.userId === user.id)) throw forbidden('Only invitees answer an invitation.');
    if (current.status === 'cancelled') throw conflict('This conference was cancelled.');
    const updated = await this.mutate(id, (c) => {
      const me = c.attendees.find((a) => a.userId === user.id);
      if (!me) throw forbidden('Only invitees answer an invitation.');
      me.response = response;
      me.respondedAt = this.clock.now().toISOString();
    });
    this.changed(updated, current);
    return updated;
  }

  // ---- finding a time ----

  /** An invitee marks each slot yes, if need be, or no; they may change their answers until the poll closes. */
  async answerPoll(user: UserRecord, id: string, answers: Record<string, PollAnswer>): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (!current.attendees.some((a) => a.userId === user.id)) throw forbidden('Only invitees answer the poll.');
    const updated = await this.mutate(id, (c) => {
      if (c.status !== 'polling' || !c.poll) throw conflict('This poll is closed: a time was chosen.', { answers: 'the poll is closed' });
      const ids = new Set(c.poll.slots.map((s) => s.id));
      const unknown = Object.keys(answers).filter((k) => !ids.has(k));
      if (unknown.length > 0) throw invalid('An answer names a slot that is not in this poll.', { answers: 'names a slot that is not in this poll' });
      const missing = c.poll.slots.filter((s) => !(s.id in answers));
      if (missing.length > 0) throw invalid('Answer every slot: yes, if need be, or no.', { answers: `must answer every slot (${missing.length} left)` });
      c.poll.answers = [...c.poll.answers.filter((a) => a.userId !== user.id), ...Object.entries(answers).map(([slotId, answer]) => ({ userId: user.id, slotId, answer }))];
    });
    this.changed(updated, current);
    return updated;
  }

  /** The organizer picks a slot: the conference is scheduled then and everyone is told. */
  async pickSlot(user: UserRecord, id: string, slotId: string): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    if (current.organizerId !== user.id) throw forbidden('Only the organizer picks the time.');
    const updated = await this.mutate(id, (c) => {
      if (c.status !== 'polling' || !c.poll) throw conflict('This poll is closed: a time was chosen.', { slotId: 'the poll is closed' });
      const slot = c.poll.slots.find((s) => s.id === slotId);
      if (!slot) throw invalid('That slot is not in this poll.', { slotId: 'is not a slot of this poll' });
      c.poll.chosenSlotId = slot.id;
      c.status = 'scheduled';
      c.sequence += 1;
      c.start = slot.start;
      c.end = slot.end;
      // Answering the poll "no" is not a decline; "yes" is as good as accepting.
      for (const a of c.attendees) {
        const answer = c.poll.answers.find((x) => x.userId === a.userId && x.slotId === slot.id)?.answer;
        if (a.userId !== c.organizerId && a.response === 'pending' && answer === 'yes') a.response = 'accepted';
      }
    });
    await this.audit.record(null, user.id, 'conference.slot_picked', { conferenceId: id, target: slotId });
    await this.notifications.notify({ kind: 'conference_scheduled', caseId: null, conferenceId: id, actorId: user.id, recipients: updated.peopleIds });
    this.changed(updated, current);
    return updated;
  }

  // ---- live mode ----

  /** The chair starts the meeting, moves to the next case or to any case, and ends it. */
  async live(user: UserRecord, id: string, input: z.output<typeof S.LiveActionBody>): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    this.requireChair(current, user);
    if (current.status !== 'scheduled') throw conflict('Only a scheduled conference can be run.');
    requireMeeting(current, input.occurrence);
    const now = this.clock.now();
    const updated = await this.mutate(id, (c) => {
      if (c.status !== 'scheduled') throw conflict('Only a scheduled conference can be run.');
      requireMeeting(c, input.occurrence);
      const items = c.agenda.filter((i) => i.occurrence === input.occurrence);
      let run = c.live.find((l) => l.occurrence === input.occurrence);
      if (input.action === 'start') {
        if (run?.status === 'ended') throw conflict('This meeting has ended.');
        if (run) return; // already live: starting twice changes nothing
        run = {
          occurrence: input.occurrence, status: 'live', chairId: user.id, startedAt: now.toISOString(), endedAt: null,
          currentItemId: items[0]?.id ?? null, currentSince: items[0] ? now.toISOString() : null, attended: [],
        };
        c.live.push(run);
        return;
      }
      if (!run || run.status !== 'live') throw conflict('This meeting is not running: start it first.', { action: 'needs a running meeting' });
      closeCurrent(run, items, now);
      if (input.action === 'end') {
        run.status = 'ended';
        run.endedAt = now.toISOString();
        run.currentItemId = null;
        run.currentSince = null;
        return;
      }
      let next: AgendaItemRecord | undefined;
      if (input.action === 'goto') {
        next = items.find((i) => i.id === input.itemId);
        if (!next) throw invalid('That case is not on this meeting\'s agenda.', { itemId: 'is not on this meeting\'s agenda' });
      } else {
        const at = items.findIndex((i) => i.id === run.currentItemId);
        next = at === -1 ? undefined : items[at + 1];
      }
      run.chairId = user.id;
      run.currentItemId = next?.id ?? null;
      run.currentSince = next ? now.toISOString() : null;
    });
    if (input.action === 'start' || input.action === 'end') {
      await this.audit.record(null, user.id, input.action === 'start' ? 'conference.live_started' : 'conference.live_ended', { conferenceId: id, target: input.occurrence });
    }
    this.changed(updated, current);
    return updated;
  }

  /** The chair records who attended and a short outcome per case. */
  async record(user: UserRecord, id: string, input: z.output<typeof S.LiveRecordBody>): Promise<ConferenceRecord> {
    const current = await this.get(user, id);
    this.requireChair(current, user);
    if (current.status !== 'scheduled') throw conflict('Only a scheduled conference can be recorded.');
    if (!current.live.some((l) => l.occurrence === input.occurrence)) throw conflict('Start the meeting in live mode before recording it.', { occurrence: 'has not been run' });
    if (input.outcome !== undefined) {
      // An outcome is clinical text written into the case: only its owners and editors write it.
      const item = current.agenda.find((i) => i.id === input.itemId && i.occurrence === input.occurrence);
      const m = item ? await this.store.memberships.find(item.caseId, user.id) : null;
      if (!item || !m) throw invalid('That case is not on this meeting\'s agenda, or you are not on its team.', { itemId: 'is not a case of this meeting you are on' });
      if (m.role !== 'owner' && m.role !== 'editor') throw forbidden('Only owners and editors of a case record its outcome.');
    }
    const updated = await this.mutate(id, (c) => {
      const run = c.live.find((l) => l.occurrence === input.occurrence);
      if (!run) throw conflict('Start the meeting in live mode before recording it.', { occurrence: 'has not been run' });
      if (input.attended !== undefined) {
        const invited = new Set(c.attendees.map((a) => a.userId));
        if (input.attended.some((u) => !invited.has(u))) throw invalid('Attendance is recorded for invitees.', { attended: 'names someone who was not invited' });
        run.attended = input.attended;
      }
      if (input.outcome !== undefined) {
        const item = c.agenda.find((i) => i.id === input.itemId && i.occurrence === input.occurrence);
        if (!item) throw invalid('That case is not on this meeting\'s agenda.', { itemId: 'is not on this meeting\'s agenda' });
        item.outcome = input.outcome;
      }
    });
    if (input.attended !== undefined) await this.audit.record(null, user.id, 'conference.attendance_recorded', { conferenceId: id, target: input.occurrence });
    if (input.outcome !== undefined) {
      const item = updated.agenda.find((i) => i.id === input.itemId)!;
      await this.audit.record(item.caseId, user.id, 'conference.outcome_recorded', { conferenceId: id, target: input.occurrence, fields: ['outcome'] });
    }
    this.changed(updated, current);
    return updated;
  }

  // ---- warnings ----

  /**
   * Other Consilium conferences of the attendees (not declined) that overlap this one's upcoming
   * meetings. The other conference's title is named only when the viewer may see it.
   */
  async conflicts(viewer: UserRecord, draft: { id: string | null; series: Series; people: string[] }): Promise<ConflictWarning[]> {
    const now = this.clock.now().toISOString();
    // Only people who share a case with the viewer: nobody learns a stranger's busy times by inviting them.
    const colleagues = await this.colleaguesOf(viewer);
    const people = draft.people.filter((p) => colleagues.has(p));
    const mine = occurrences(draft.series, { from: now });
    if (mine.length === 0 || people.length === 0) return [];
    const span = { from: mine[0]!.start, to: mine.reduce((m, o) => (o.end > m ? o.end : m), mine[0]!.end) };
    const others = (await this.store.conferences.listForPeople(people, span.from, span.to)).filter((c) => c.id !== draft.id);
    const warnings: ConflictWarning[] = [];
    for (const other of others) {
      const theirs = meetingsOf(other, span);
      const shared = people.filter((p) => other.attendees.some((a) => a.userId === p && a.response !== 'declined'));
      if (shared.length === 0) continue;
      const visible = await canSeeConference(this.store, other, viewer.id);
      for (const o of mine) {
        for (const t of theirs) {
          if (t.start < o.end && t.end > o.start) {
            for (const userId of shared) {
              warnings.push({ userId, occurrence: o.key, other: { id: visible ? other.id : null, title: visible ? other.title : null, start: t.start, end: t.end } });
            }
          }
        }
        if (warnings.length >= 50) return warnings;
      }
    }
    return warnings;
  }

  /** Conflicts of a draft, before it is saved. */
  async check(user: UserRecord, input: z.output<typeof S.CheckConferenceBody>): Promise<ConflictWarning[]> {
    await this.requireUsers(input.attendeeIds, 'attendeeIds');
    const start = local(input.start, input.timeZone);
    const end = local(input.end, input.timeZone);
    if (end <= start) throw invalid('The end must be after the start.', { end: 'must be after the start' });
    const rrule = normalizeRule(input.rrule);
    if (rrule) {
      const rule = checkRule(rrule, start, input.timeZone, end);
      if (!rule.ok) throw invalid(rule.message, { rrule: rule.message });
    }
    const series: Series = { start, end, timeZone: input.timeZone, rrule, exceptions: [] };
    let people = [user.id, ...input.attendeeIds];
    if (input.conferenceId) {
      const existing = await this.get(user, input.conferenceId);
      people = [...new Set([...people])].filter((p) => existing.attendees.find((a) => a.userId === p)?.response !== 'declined');
    }
    return this.conflicts(user, { id: input.conferenceId, series, people: [...new Set(people)] });
  }

  /** The viewer and everyone on a case with them: the people they can invite and see conflicts of. */
  async colleaguesOf(viewer: UserRecord): Promise<Set<string>> {
    const out = new Set([viewer.id]);
    const cases = [...(await this.store.cases.listForUser(viewer.id, { archived: false })), ...(await this.store.cases.listForUser(viewer.id, { archived: true }))];
    for (const c of cases) for (const m of await this.store.memberships.listByCase(c.id)) out.add(m.userId);
    return out;
  }

  // ---- reminders ----

  /**
   * Sends the reminders that are due: to each invitee who has not declined, their chosen number
   * of minutes before each meeting. Each is sent once, also across restarts, because its
   * notification id is derived from the meeting, its time and the person.
   */
  async sendReminders(): Promise<number> {
    const now = this.clock.now();
    const horizon = new Date(now.getTime() + 24 * 3600_000).toISOString();
    const conferences = await this.store.conferences.listScheduled(now.toISOString(), horizon);
    if (conferences.length === 0) return 0;
    const users = new Map((await this.store.users.findManyByIds([...new Set(conferences.flatMap((c) => c.peopleIds))])).map((u) => [u.id, u]));
    let sent = 0;
    for (const c of conferences) {
      for (const o of meetingsOf(c, { from: now.toISOString(), to: horizon })) {
        if (o.start <= now.toISOString()) continue; // it has begun: too late for a reminder
        for (const a of c.attendees) {
          const u = users.get(a.userId);
          if (!u || a.response === 'declined' || u.reminderMinutes <= 0) continue;
          if (Date.parse(o.start) - u.reminderMinutes * 60_000 > now.getTime()) continue;
          const created = await this.notifications.notifyOnce({
            id: derivedId(`reminder|${c.id}|${o.key}|${o.start}|${u.id}`), userId: u.id, caseId: null, kind: 'conference_reminder',
            threadId: null, conferenceId: c.id, occurrence: o.start, actorId: null,
          });
          if (created) sent++;
        }
      }
    }
    return sent;
  }

  // ---- calendars and settings ----

  /**
   * Conferences as an iCalendar file. Calendar files leave the app, so they carry no clinical
   * text: the title, kind, time, place and a link back, never the agenda's cases or the notes.
   */
  async icsFor(conferences: ConferenceRecord[], origin: string | null = null): Promise<string> {
    const names = await namesOf(this.store, conferences.map((c) => c.organizerId));
    const events: IcsEvent[] = [];
    for (const c of conferences) {
      const series = seriesOf(c);
      if (!series) continue;
      events.push({
        uid: `${c.id}@consilium`,
        title: c.title,
        description: `${CONFERENCE_KIND_LABELS[c.kind]} in Consilium.${c.videoUrl ? ` Video: ${c.videoUrl}` : ''}`,
        location: c.location || c.videoUrl,
        url: origin ? `${origin}/conferences/${c.id}` : null,
        series,
        status: c.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
        sequence: c.sequence,
        updatedAt: c.updatedAt,
        organizer: { name: names.get(c.organizerId)?.name ?? 'Consilium' },
      });
    }
    return buildCalendar(events, { name: 'Consilium conferences', now: this.clock.now() });
  }

  /** The feed behind a secret token: every conference the user organizes or is invited to. Unknown or revoked: not found. */
  async feed(token: string, origin: string | null = null): Promise<string> {
    const user = await this.store.users.findByCalendarToken(hashToken(token));
    if (!user) throw notFound('That calendar feed');
    const all = await this.store.conferences.listVisible(user.id, []);
    return this.icsFor(all.filter((c) => c.status !== 'polling' && c.attendees.find((a) => a.userId === user.id)?.response !== 'declined'), origin);
  }

  /** A new feed token for the user (only its hash is stored); any earlier one stops working. */
  async issueFeed(user: UserRecord): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.store.users.setCalendarToken(user.id, hashToken(token));
    return token;
  }

  async revokeFeed(user: UserRecord): Promise<void> {
    await this.store.users.setCalendarToken(user.id, null);
  }

  async updateSettings(user: UserRecord, reminderMinutes: number): Promise<UserRecord> {
    const updated = await this.store.users.updateSettings(user.id, { reminderMinutes });
    if (!updated) throw notFound('Your account');
    return updated;
  }

  /** The conference's audit log (organizer). */
  async auditLog(user: UserRecord, id: string) {
    const c = await this.get(user, id);
    if (c.organizerId !== user.id) throw forbidden('Only the organizer can read this conference\'s audit log.');
    return this.audit.listForConference(id);
  }

  // ---- internals ----

  private requireChair(c: ConferenceRecord, user: UserRecord): void {
    if (c.chairId !== user.id && c.organizerId !== user.id) throw forbidden('Only the chair or the organizer runs the meeting.');
  }

  private async requireUsers(ids: string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    const found = new Set((await this.store.users.findManyByIds(ids)).map((u) => u.id));
    const missing = ids.findIndex((id) => !found.has(id));
    if (missing !== -1) throw invalid('An invitee has no Consilium account.', { [`${field}.${missing}`]: 'is not a Consilium user' });
  }

  private slot(s: { start: string; end: string }, timeZone: string, field: string) {
    const start = local(s.start, timeZone);
    const end = local(s.end, timeZone);
    if (end <= start) throw invalid('A slot must end after it starts.', { [`${field}.end`]: 'must be after the start' });
    return { id: randomUUID(), start, end };
  }

  /** Sets the first meeting and the repeat rule, checking the rule. */
  private setTimes(c: ConferenceRecord, start: string, end: string, rrule: string | null): void {
    c.start = local(start, c.timeZone);
    c.end = local(end, c.timeZone);
    if (c.end <= c.start) throw invalid('The end must be after the start.', { end: 'must be after the start' });
    c.rrule = normalizeRule(rrule);
    if (c.rrule) {
      const rule = checkRule(c.rrule, c.start, c.timeZone, c.end);
      if (!rule.ok) throw invalid(rule.message, { rrule: rule.message });
    }
  }

  /**
   * Checks one meeting's agenda. Items already on it (named by item id, or by their case) keep
   * their case whoever edits, so a chair not on a case can still reorder or re-time it. A case
   * newly added must be one the editor owns or edits, not archived, and ready for conference
   * unless overridden; presenters must be on the case's team.
   */
  private async buildAgenda(user: UserRecord, c: ConferenceRecord, occurrence: string, items: AgendaInput[], prefix: 'agenda' | 'items'): Promise<AgendaItemRecord[]> {
    const existing = c.agenda.filter((i) => i.occurrence === occurrence);
    const byId = new Map(existing.map((i) => [i.id, i]));
    const byCase = new Map(existing.map((i) => [i.caseId, i]));
    const newCases = items.flatMap((i) => (i.caseId && !byCase.has(i.caseId) ? [i.caseId] : []));
    const facts = await this.caseFacts(newCases);
    const seen = new Set<string>();
    const out: AgendaItemRecord[] = [];
    for (const [n, item] of items.entries()) {
      const field = `${prefix}.${n}`;
      const old = item.itemId ? byId.get(item.itemId) : item.caseId ? byCase.get(item.caseId) : undefined;
      if (item.itemId && !old) throw invalid('That item is not on this meeting\'s agenda.', { [`${field}.itemId`]: 'is not on this meeting\'s agenda' });
      const caseId = old?.caseId ?? item.caseId!;
      if (seen.has(caseId)) throw invalid('A case is on the agenda once.', { [prefix]: 'must not list a case twice' });
      seen.add(caseId);
      const presenterId = item.presenterId === undefined ? old?.presenterId ?? null : item.presenterId;
      if (presenterId !== null && presenterId !== old?.presenterId && !(await this.store.memberships.find(caseId, presenterId))) {
        throw invalid('The presenter must be on the case\'s team.', { [`${field}.presenterId`]: 'is not on this case\'s team' });
      }
      if (old) {
        out.push({ ...old, minutes: item.minutes, presenterId, complex: item.complex ?? old.complex, override: old.override || item.override });
        continue;
      }
      const membership = await this.store.memberships.find(caseId, user.id);
      const fact = facts.get(caseId);
      if (!membership || !fact) throw invalid('An agenda case was not found, or you are not on its team.', { [`${field}.caseId`]: 'is not a case you are on' });
      if (membership.role !== 'owner' && membership.role !== 'editor') throw invalid('Only owners and editors of a case put it on an agenda.', { [`${field}.caseId`]: 'is a case where you are not an owner or editor' });
      if (fact.record.status === 'archived') throw invalid('An archived case cannot be put on an agenda.', { [`${field}.caseId`]: 'is archived' });
      if (!fact.ready && !item.override) {
        throw invalid(
          `"${fact.record.title}" is not ready for conference (${fact.readiness.complete} of ${fact.readiness.required} required items complete). The chair can add it anyway with an override.`,
          { [`${field}.override`]: 'is needed to add a case that is not ready' },
        );
      }
      out.push({
        id: randomUUID(), occurrence, caseId, minutes: item.minutes, presenterId,
        complex: item.complex ?? fact.complex, override: !fact.ready && item.override, actualMinutes: null, outcome: null,
      });
    }
    return out;
  }

  /** Applies a change with an optimistic version check, retrying when someone else changed it meanwhile. */
  private async mutate(id: string, change: (c: ConferenceRecord) => void | Promise<void>): Promise<ConferenceRecord> {
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const stored = await this.store.conferences.find(id);
      if (!stored) throw notFound('That conference');
      const next = structuredClone(stored);
      await change(next);
      next.version = stored.version + 1;
      next.updatedAt = this.clock.now().toISOString();
      derive(next);
      const result = await this.store.conferences.update(next, stored.version);
      if (result === null) throw notFound('That conference');
      if (result !== 'conflict') return result;
      await pause(attempt);
    }
    throw conflict('Too many people changed this conference at once. Please try again.');
  }

  private changed(updated: ConferenceRecord, before: ConferenceRecord): void {
    this.events.emit('conferenceChanged', { conferenceId: updated.id, peopleIds: [...new Set([...updated.peopleIds, ...before.peopleIds])] });
  }
}

export interface ConflictWarning {
  userId: string;
  occurrence: string;
  other: { id: string | null; title: string | null; start: string; end: string };
}

/** A repeat rule as stored: without an "RRULE:" prefix, upper case; empty means none. */
export function normalizeRule(rule: string | null | undefined): string | null {
  const body = (rule ?? '').trim().replace(/^RRULE:/i, '').trim().toUpperCase();
  return body.length > 0 ? body : null;
}

/** Refuses an occurrence key that is not a meeting of the conference (checked on the copy being changed). */
function requireMeeting(c: ConferenceRecord, occurrence: string): void {
  const series = seriesOf(c);
  if (!series || !occurrenceByKey(series, occurrence)) throw invalid('That meeting is not part of this conference.', { occurrence: 'is not a meeting of this conference' });
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Keeps the query fields in step with the conference. */
function derive(c: ConferenceRecord): void {
  c.peopleIds = [...new Set([c.organizerId, ...c.attendees.map((a) => a.userId)])];
  c.caseIds = [...new Set(c.agenda.map((i) => i.caseId))];
  const series = seriesOf(c);
  if (series) {
    const span = seriesSpan(series);
    c.spanStart = span.first;
    c.spanEnd = span.last;
  } else {
    c.spanStart = null;
    c.spanEnd = null;
  }
}

/**
 * After the time or rule changed: the nth meeting keeps the nth meeting's agenda, live record and
 * exception. Refused when meetings that already have an agenda or a record would disappear.
 */
function rekey(c: ConferenceRecord, before: string[]): void {
  const after = ruleKeys(c);
  const map = new Map<string, string>();
  before.forEach((key, n) => {
    if (after[n]) map.set(key, after[n]!);
  });
  const lost = [...new Set([...c.agenda.map((i) => i.occurrence), ...c.live.map((l) => l.occurrence)])].filter((k) => !map.has(k));
  if (lost.length > 0) throw conflict('This change would drop meetings that already have an agenda or a record. Remove those agendas first.', { rrule: 'would drop meetings with an agenda' });
  c.agenda = c.agenda.map((i) => ({ ...i, occurrence: map.get(i.occurrence)! }));
  c.live = c.live.map((l) => ({ ...l, occurrence: map.get(l.occurrence)! }));
  c.exceptions = c.exceptions.flatMap((e) => (map.has(e.original) ? [{ ...e, original: map.get(e.original)! }] : []));
}

/** The keys of every meeting the rule generates, skipped and moved ones included, in order. */
function ruleKeys(c: ConferenceRecord): string[] {
  const series = seriesOf(c);
  return series ? occurrences({ ...series, exceptions: [] }).map((o) => o.key) : [];
}

/** Adds the time spent on the case being discussed to its actual minutes. */
function closeCurrent(run: LiveRecord, items: AgendaItemRecord[], now: Date): void {
  if (!run.currentItemId || !run.currentSince) return;
  const item = items.find((i) => i.id === run.currentItemId);
  if (!item) return;
  const minutes = (now.getTime() - Date.parse(run.currentSince)) / 60_000;
  item.actualMinutes = Math.round(((item.actualMinutes ?? 0) + minutes) * 10) / 10;
}

/** The names of the fields a creation set, for the audit log (never their values). */
function fieldsOf(input: CreateInput): string[] {
  return Object.entries(input).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && v.length === 0)).map(([k]) => k);
}

/** The disciplines present for a case at a meeting: accepted attendees' disciplines on that case (or their own). */
export async function disciplinesPresent(store: Store, c: ConferenceRecord, caseId: string): Promise<Set<Discipline>> {
  const present = new Set<Discipline>();
  const accepted = c.attendees.filter((a) => a.response === 'accepted');
  const users = new Map((await store.users.findManyByIds(accepted.map((a) => a.userId))).map((u) => [u.id, u]));
  for (const a of accepted) {
    const m = await store.memberships.find(caseId, a.userId);
    const d = m?.discipline ?? users.get(a.userId)?.discipline;
    if (d) present.add(d);
  }
  return present;
}
