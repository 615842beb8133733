import type { Request } from 'express';
import { z } from 'zod';
import { CaseParams } from '../../../shared/schemas/cases.js';
import {
  AgendaBody, AgendaCandidatesResponse, CalendarFeedResponse, CalendarTokenParams, CheckConferenceBody, CheckResponse, ConferenceListResponse,
  ConferenceParams, ConferenceResponse, CreateConferenceBody, ExceptionBody, ListConferencesQuery, LiveActionBody, LiveRecordBody, PickSlotBody,
  PeopleResponse, PollVoteBody, ResponseBody, SettingsBody, SettingsResponse, UpdateConferenceBody, type WarningView,
} from '../../../shared/schemas/conferences.js';
import { AuditListResponse } from '../../../shared/schemas/cases.js';
import { conferenceSummary, conferenceView } from '../../conference-views.js';
import { namesOf } from '../../people.js';
import { presentAudit } from '../../presenters.js';
import type { Services } from '../../services.js';
import type { ConferenceRecord, UserRecord } from '../../store/port.js';
import { conflict, notFound } from '../../domain/errors.js';
import { defineRoute, type Route } from '../route.js';

const ICS = 'text/calendar; charset=utf-8';

/** This server as the browser reached it, for links in calendar files. */
const originOf = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** Conferences: scheduling, polls, agendas, live mode, calendar files and feeds; and my settings for them. */
export function conferenceRoutes(s: Services): Route[] {
  const now = () => s.clock.now().toISOString();
  const one = async (user: UserRecord, c: ConferenceRecord) => ({ conference: await conferenceView(s.store, s.conferences, user, c, now()) });
  const base = '/api/conferences/:conferenceId';
  return [
    defineRoute({
      method: 'get', path: '/api/conferences', tag: 'conferences', auth: true,
      summary: 'My conferences at their next meeting and open polls (upcoming), or at their last meeting (past)',
      query: ListConferencesQuery,
      responses: { 200: { description: 'Conferences, soonest (or, for past, latest) first.', schema: ConferenceListResponse } },
      handler: async ({ user, query }) => {
        const rows = await s.conferences.list(user, query.when, query.limit);
        return { status: 200, body: { conferences: await Promise.all(rows.map((r) => conferenceSummary(s.store, user, r.record, r.occurrence))) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/conferences', tag: 'conferences', auth: true,
      summary: 'Schedule a conference at a time (optionally repeating), or open a poll of candidate slots',
      body: CreateConferenceBody,
      responses: { 201: { description: 'The new conference, with warnings for the organizer.', schema: ConferenceResponse } },
      handler: async ({ user, body }) => ({ status: 201, body: await one(user, await s.conferences.create(user, body)) }),
    }),
    defineRoute({
      method: 'get', path: '/api/conferences/candidates', tag: 'conferences', auth: true,
      summary: 'Cases I can put on an agenda (owner or editor), ready ones first, with readiness and complexity',
      responses: { 200: { description: 'Agenda candidates.', schema: AgendaCandidatesResponse } },
      handler: async ({ user }) => {
        const facts = await s.conferences.candidates(user);
        const candidates = [];
        for (const f of facts) {
          const members = await s.store.memberships.listByCase(f.record.id);
          const names = await namesOf(s.store, members.map((m) => m.userId));
          candidates.push({
            id: f.record.id, title: f.record.title, patientRef: f.record.patientRef, ready: f.ready, readiness: f.readiness,
            complex: f.complex, complexReasons: f.complexReasons, requiredDisciplines: f.record.requiredDisciplines,
            members: members.map((m) => ({ ...names.get(m.userId)!, discipline: m.discipline })),
          });
        }
        return { status: 200, body: { candidates } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/people', tag: 'conferences', auth: true,
      summary: 'People I can invite: everyone on a case with me, by name',
      responses: { 200: { description: 'Colleagues (not me), by name.', schema: PeopleResponse } },
      handler: async ({ user }) => {
        const ids = [...(await s.conferences.colleaguesOf(user))].filter((id) => id !== user.id);
        const people = (await s.store.users.findManyByIds(ids)).map((u) => ({ id: u.id, name: u.name, discipline: u.discipline }));
        return { status: 200, body: { people: people.sort((a, b) => a.name.localeCompare(b.name)) } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/conferences/check', tag: 'conferences', auth: true,
      summary: "Check a draft time: the attendees' other conferences that overlap it",
      body: CheckConferenceBody,
      responses: { 200: { description: 'Conflict warnings (empty when none).', schema: CheckResponse } },
      handler: async ({ user, body }) => {
        const found = await s.conferences.check(user, body);
        const names = await namesOf(s.store, found.map((w) => w.userId));
        const warnings: WarningView[] = found.map((w) => ({ kind: 'conflict', person: names.get(w.userId)!, occurrence: w.occurrence, other: w.other }));
        return { status: 200, body: { warnings } };
      },
    }),
    defineRoute({
      method: 'get', path: base, tag: 'conferences', auth: true,
      summary: 'One conference as I may see it (only the agenda cases I am on)',
      params: ConferenceParams,
      responses: { 200: { description: 'The conference.', schema: ConferenceResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await one(user, await s.conferences.get(user, params.conferenceId)) }),
    }),
    defineRoute({
      method: 'patch', path: base, tag: 'conferences', auth: true,
      summary: 'Change details, time, repeat rule, invitees or chair (organizer); refused on an old version',
      params: ConferenceParams, body: UpdateConferenceBody,
      responses: { 200: { description: 'The changed conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.update(user, params.conferenceId, body)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/cancel`, tag: 'conferences', auth: true,
      summary: 'Cancel the conference (organizer); everyone invited is told',
      params: ConferenceParams, body: z.strictObject({}),
      responses: { 200: { description: 'The cancelled conference.', schema: ConferenceResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await one(user, await s.conferences.cancel(user, params.conferenceId)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/exceptions`, tag: 'conferences', auth: true,
      summary: 'Skip or move one meeting of a repeating conference (organizer)',
      params: ConferenceParams, body: ExceptionBody,
      responses: { 200: { description: 'The conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.except(user, params.conferenceId, body)) }),
    }),
    defineRoute({
      method: 'put', path: `${base}/agenda`, tag: 'conferences', auth: true,
      summary: "Set one meeting's agenda (organizer or chair); a case that is not ready needs an override",
      params: ConferenceParams, body: AgendaBody,
      responses: { 200: { description: 'The conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.setAgenda(user, params.conferenceId, body)) }),
    }),
    defineRoute({
      method: 'put', path: `${base}/response`, tag: 'conferences', auth: true,
      summary: 'Accept, accept tentatively or decline (invitees)',
      params: ConferenceParams, body: ResponseBody,
      responses: { 200: { description: 'The conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.respond(user, params.conferenceId, body.response)) }),
    }),
    defineRoute({
      method: 'put', path: `${base}/poll`, tag: 'conferences', auth: true,
      summary: 'Answer every slot of the poll: yes, if need be, or no (invitees, until a time is picked)',
      params: ConferenceParams, body: PollVoteBody,
      responses: { 200: { description: 'The conference with the poll.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.answerPoll(user, params.conferenceId, body.answers)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/poll/pick`, tag: 'conferences', auth: true,
      summary: 'Pick a slot: the conference is scheduled then and everyone is told (organizer)',
      params: ConferenceParams, body: PickSlotBody,
      responses: { 200: { description: 'The scheduled conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.pickSlot(user, params.conferenceId, body.slotId)) }),
    }),
    defineRoute({
      method: 'post', path: `${base}/live`, tag: 'conferences', auth: true,
      summary: 'Live mode (chair or organizer): start the meeting, go to the next case or any case, end it',
      params: ConferenceParams, body: LiveActionBody,
      responses: { 200: { description: 'The conference with its live state.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.live(user, params.conferenceId, body)) }),
    }),
    defineRoute({
      method: 'put', path: `${base}/live/record`, tag: 'conferences', auth: true,
      summary: 'Record who attended, or a short outcome for a case (chair or organizer)',
      params: ConferenceParams, body: LiveRecordBody,
      responses: { 200: { description: 'The conference.', schema: ConferenceResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(user, await s.conferences.record(user, params.conferenceId, body)) }),
    }),
    defineRoute({
      method: 'get', path: `${base}/audit`, tag: 'conferences', auth: true,
      summary: "The conference's audit log, newest first (organizer)",
      params: ConferenceParams,
      responses: { 200: { description: 'Audit entries (field names only, never values).', schema: AuditListResponse } },
      handler: async ({ user, params }) => {
        const entries = await s.conferences.auditLog(user, params.conferenceId);
        const names = await namesOf(s.store, entries.map((e) => e.actorId));
        return { status: 200, body: { entries: entries.map((e) => presentAudit(e, names)) } };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/calendar.ics`, tag: 'conferences', auth: true,
      summary: 'The conference as an iCalendar (.ics) file',
      params: ConferenceParams,
      responses: { 200: { description: 'An RFC 5545 calendar.', contentType: ICS } },
      handler: async ({ user, params, req }) => {
        const c = await s.conferences.get(user, params.conferenceId);
        if (c.status === 'polling') throw conflict('This conference has no time yet: it is chosen from the poll.');
        return { status: 200, file: { contentType: ICS, text: await s.conferences.icsFor([c], originOf(req)), filename: 'consilium-conference.ics' } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/cases/:caseId/conferences', tag: 'conferences', auth: true,
      summary: "The case's upcoming and past meetings (those whose agenda holds it)",
      params: CaseParams,
      responses: { 200: { description: 'Meetings of the case.', schema: z.object({ upcoming: ConferenceListResponse.shape.conferences, past: ConferenceListResponse.shape.conferences }) } },
      handler: async ({ user, params }) => {
        const { upcoming, past } = await s.conferences.forCase(user, params.caseId);
        const summarize = (rows: typeof upcoming) => Promise.all(rows.map((r) => conferenceSummary(s.store, user, r.record, r.occurrence)));
        return { status: 200, body: { upcoming: await summarize(upcoming), past: await summarize(past) } };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/me/settings', tag: 'conferences', auth: true,
      summary: 'My settings: reminder minutes before each conference, whether I have a calendar feed',
      responses: { 200: { description: 'Settings.', schema: SettingsResponse } },
      handler: async ({ user }) => ({ status: 200, body: { settings: { reminderMinutes: user.reminderMinutes, calendarFeed: user.calendarTokenHash !== null } } }),
    }),
    defineRoute({
      method: 'put', path: '/api/me/settings', tag: 'conferences', auth: true,
      summary: 'Change my settings',
      body: SettingsBody,
      responses: { 200: { description: 'Settings.', schema: SettingsResponse } },
      handler: async ({ user, body }) => {
        const updated = await s.conferences.updateSettings(user, body.reminderMinutes);
        return { status: 200, body: { settings: { reminderMinutes: updated.reminderMinutes, calendarFeed: updated.calendarTokenHash !== null } } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/me/calendar-feed', tag: 'conferences', auth: true,
      summary: 'Create my private calendar feed URL, replacing (and revoking) any earlier one; shown once',
      body: z.strictObject({}),
      responses: { 201: { description: 'The feed URL: keep it secret.', schema: CalendarFeedResponse } },
      handler: async ({ user, req }) => {
        const token = await s.conferences.issueFeed(user);
        return { status: 201, body: { url: `${originOf(req)}/api/calendar/${token}.ics` } };
      },
    }),
    defineRoute({
      method: 'delete', path: '/api/me/calendar-feed', tag: 'conferences', auth: true,
      summary: 'Revoke my calendar feed: its URL stops working',
      responses: { 204: { description: 'Revoked.' } },
      handler: async ({ user }) => {
        await s.conferences.revokeFeed(user);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'get', path: '/api/calendar/:token', tag: 'conferences', auth: false,
      summary: "A user's private calendar feed (the secret token is the credential): all their conferences",
      params: CalendarTokenParams,
      responses: { 200: { description: 'An RFC 5545 calendar; repeating conferences as RRULE with EXDATEs.', contentType: ICS } },
      handler: async ({ params, req }) => {
        const token = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.token)?.[1];
        if (!token) throw notFound('That calendar feed');
        return { status: 200, file: { contentType: ICS, text: await s.conferences.feed(token, originOf(req)) } };
      },
    }),
  ];
}
