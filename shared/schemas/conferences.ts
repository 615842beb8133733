import { z } from 'zod';
import { isLocalDateTime, isValidTimeZone } from '../time.js';
import { DisciplineSchema } from './auth.js';
import { Id, IsoDateTime, optionalText, text } from './common.js';

export const CONFERENCE_KINDS = ['case_conference', 'peer_to_peer', 'family_meeting'] as const;
export type ConferenceKind = (typeof CONFERENCE_KINDS)[number];
export const CONFERENCE_KIND_LABELS: Record<ConferenceKind, string> = {
  case_conference: 'Case conference',
  peer_to_peer: 'Insurer peer-to-peer review',
  family_meeting: 'Family meeting',
};

export const RESPONSES = ['pending', 'accepted', 'tentative', 'declined'] as const;
export type AttendeeResponse = (typeof RESPONSES)[number];
export const RESPONSE_LABELS: Record<AttendeeResponse, string> = {
  pending: 'No answer yet', accepted: 'Accepted', tentative: 'Tentative', declined: 'Declined',
};

/** An invitee's answer to one candidate slot of a poll. */
export const POLL_ANSWERS = ['yes', 'if_need_be', 'no'] as const;
export type PollAnswer = (typeof POLL_ANSWERS)[number];
export const POLL_ANSWER_LABELS: Record<PollAnswer, string> = { yes: 'Yes', if_need_be: 'If need be', no: 'No' };

export const CONFERENCE_STATUSES = ['polling', 'scheduled', 'cancelled'] as const;
export type ConferenceStatus = (typeof CONFERENCE_STATUSES)[number];

/** At most this many minutes before a conference a reminder can be asked for (one day). */
export const MAX_REMINDER_MINUTES = 1440;
export const DEFAULT_REMINDER_MINUTES = 15;

/** An IANA time zone such as Europe/Berlin. */
export const TimeZone = z
  .string({ error: 'must be a time zone name such as Europe/Berlin' })
  .max(64, { error: 'must be at most 64 characters' })
  .refine(isValidTimeZone, { error: 'must be a known time zone such as Europe/Berlin or America/New_York' });

/** A wall-clock time in the conference's time zone, YYYY-MM-DDTHH:mm, between the years 2000 and 2100. */
export const LocalTime = z
  .string({ error: 'must be a local date and time (YYYY-MM-DDTHH:mm)' })
  .refine(isLocalDateTime, { error: 'must be a local date and time that exists (YYYY-MM-DDTHH:mm)' })
  .refine((s) => s >= '2000' && s < '2101', { error: 'must be between the years 2000 and 2100' });

/** Which meeting of a conference: its original start (UTC), as listed in the conference's occurrences. */
const OccurrenceKey = IsoDateTime.transform((s) => new Date(s).toISOString());

const Minutes = z
  .number({ error: 'must be a number of minutes' })
  .int({ error: 'must be a whole number of minutes' })
  .min(1, { error: 'must be at least 1 minute' })
  .max(480, { error: 'must be at most 480 minutes' });

const VideoUrl = z
  .union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be a web address (https://…)' })], { error: 'must be a web address (https://…)' })
  .pipe(z.string().max(500, { error: 'must be at most 500 characters' }));

const uniqueIds = (what: string, max: number) =>
  z
    .array(Id, { error: `must be a list of ${what}` })
    .max(max, { error: `must have at most ${max} entries` })
    .refine((a) => new Set(a).size === a.length, { error: `must not list the same ${what.replace(/s$/, '')} twice` });

/**
 * One case on an agenda: a case to add (caseId), or an item already on this meeting's agenda
 * (itemId), which keeps its case even when the editor is not on that case's team.
 */
export const AgendaItemInput = z
  .strictObject({
    caseId: Id.optional(),
    itemId: Id.optional(),
    minutes: Minutes,
    /** Who presents the case; a member of it. Null to leave open; left out, an existing item keeps its presenter. */
    presenterId: Id.nullable().optional(),
    /** Complex cases are best discussed early; null or left out takes the case's own assessment (or keeps the item's). */
    complex: z.boolean({ error: 'must be true or false' }).nullable().optional(),
    /** The chair adds a case that is not ready for conference on purpose. */
    override: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine((i, ctx) => {
    if (!i.caseId && !i.itemId) ctx.addIssue({ code: 'custom', path: ['caseId'], message: 'is required (or the itemId of a case already on the agenda)' });
    if (i.caseId && i.itemId) ctx.addIssue({ code: 'custom', path: ['itemId'], message: 'cannot go with a caseId: name the case or the item, not both' });
  });
export type AgendaItemInput = z.input<typeof AgendaItemInput>;

const Agenda = z.array(AgendaItemInput, { error: 'must be a list of cases' }).max(30, { error: 'may hold at most 30 cases' })
  .refine((a) => new Set(a.map((i) => i.caseId ?? i.itemId)).size === a.length, { error: 'must not list a case twice' });

const Slot = z
  .strictObject({ start: LocalTime, end: LocalTime })
  .superRefine((s, ctx) => {
    if (s.end <= s.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after the start' });
  });

function checkTimes(b: { start?: string | null; end?: string | null }, ctx: z.RefinementCtx) {
  if (b.start && b.end && b.end <= b.start) ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after the start' });
}

const details = {
  title: text(1, 200),
  kind: z.enum(CONFERENCE_KINDS, { error: `must be one of: ${CONFERENCE_KINDS.join(', ')}` }),
  /** The organizer's time zone: times and the repeat rule are read in it. */
  timeZone: TimeZone,
  location: optionalText(300).default(''),
  videoUrl: VideoUrl.default(''),
  notes: optionalText(4000).default(''),
};

/**
 * A new conference: either at a fixed time (start, end, and optionally a repeat rule), or with
 * a poll of candidate slots when no time is fixed yet.
 */
export const CreateConferenceBody = z
  .strictObject({
    ...details,
    start: LocalTime.nullable().default(null),
    end: LocalTime.nullable().default(null),
    /** An RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=TH;COUNT=20; it must end (COUNT or UNTIL). */
    rrule: z.string({ error: 'must be a repeat rule such as FREQ=WEEKLY;COUNT=10' }).trim().max(300, { error: 'must be at most 300 characters' }).nullable().default(null),
    /** Invitees (user ids); the organizer attends anyway. */
    attendeeIds: uniqueIds('user ids', 50).default([]),
    /** Who runs the meeting; the organizer when null. Must be an attendee. */
    chairId: Id.nullable().default(null),
    /** The cases to discuss, in order (for a repeating meeting: at its first occurrence). */
    agenda: Agenda.default([]),
    /** Candidate slots when no time is fixed. */
    pollSlots: z.array(Slot, { error: 'must be a list of slots' }).max(20, { error: 'may offer at most 20 slots' }).nullable().default(null),
  })
  .superRefine((b, ctx) => {
    checkTimes(b, ctx);
    if (b.pollSlots !== null) {
      if (b.pollSlots.length === 0) ctx.addIssue({ code: 'custom', path: ['pollSlots'], message: 'must offer at least one slot' });
      if (b.start !== null || b.end !== null) ctx.addIssue({ code: 'custom', path: ['start'], message: 'is chosen from the poll: leave start and end empty' });
      if (b.rrule !== null) ctx.addIssue({ code: 'custom', path: ['rrule'], message: 'can be set once a time is chosen from the poll' });
    } else {
      if (b.start === null) ctx.addIssue({ code: 'custom', path: ['start'], message: 'is required (or offer poll slots)' });
      if (b.end === null) ctx.addIssue({ code: 'custom', path: ['end'], message: 'is required (or offer poll slots)' });
    }
  });
export type CreateConferenceBody = z.input<typeof CreateConferenceBody>;

/** Changes by the organizer; only the fields given change. */
export const UpdateConferenceBody = z
  .strictObject({
    title: details.title.optional(),
    kind: details.kind.optional(),
    timeZone: TimeZone.optional(),
    location: optionalText(300).optional(),
    videoUrl: VideoUrl.optional(),
    notes: optionalText(4000).optional(),
    start: LocalTime.optional(),
    end: LocalTime.optional(),
    rrule: z.string({ error: 'must be a repeat rule such as FREQ=WEEKLY;COUNT=10' }).trim().max(300, { error: 'must be at most 300 characters' }).nullable().optional(),
    attendeeIds: uniqueIds('user ids', 50).optional(),
    chairId: Id.nullable().optional(),
    /** The version the change was made on; a change on an older version is refused. */
    version: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }),
  })
  .superRefine(checkTimes);
export type UpdateConferenceBody = z.input<typeof UpdateConferenceBody>;

export const AgendaBody = z.strictObject({
  /** Which occurrence (its key, from the conference's occurrences). */
  occurrence: OccurrenceKey,
  items: Agenda,
});
export type AgendaBody = z.input<typeof AgendaBody>;

/** Skip one occurrence of a repeating conference, or move it. */
export const ExceptionBody = z
  .strictObject({
    occurrence: OccurrenceKey,
    kind: z.enum(['skip', 'move'], { error: 'must be skip or move' }),
    start: LocalTime.optional(),
    end: LocalTime.optional(),
  })
  .superRefine((b, ctx) => {
    checkTimes(b, ctx);
    if (b.kind === 'move' && !b.start) ctx.addIssue({ code: 'custom', path: ['start'], message: 'is required to move a meeting' });
    if (b.kind === 'move' && !b.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'is required to move a meeting' });
    if (b.kind === 'skip' && (b.start || b.end)) ctx.addIssue({ code: 'custom', path: ['start'], message: 'is only for moving a meeting' });
  });
export type ExceptionBody = z.input<typeof ExceptionBody>;

export const ResponseBody = z.strictObject({
  response: z.enum(['accepted', 'tentative', 'declined'], { error: 'must be accepted, tentative or declined' }),
});

export const PollVoteBody = z.strictObject({
  /** An answer per slot id; every slot must be answered. */
  answers: z.record(Id, z.enum(POLL_ANSWERS, { error: `must be one of: ${POLL_ANSWERS.join(', ')}` }), { error: 'must map slot ids to answers' }),
});
export type PollVoteBody = z.input<typeof PollVoteBody>;

export const PickSlotBody = z.strictObject({ slotId: Id });

export const LIVE_ACTIONS = ['start', 'next', 'goto', 'end'] as const;
export const LiveActionBody = z
  .strictObject({
    occurrence: OccurrenceKey,
    action: z.enum(LIVE_ACTIONS, { error: `must be one of: ${LIVE_ACTIONS.join(', ')}` }),
    /** For goto: the agenda item to discuss now. */
    itemId: Id.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.action === 'goto' && !b.itemId) ctx.addIssue({ code: 'custom', path: ['itemId'], message: 'is required to go to a case' });
  });
export type LiveActionBody = z.input<typeof LiveActionBody>;

/** What the chair records during the meeting: who is there, and a short outcome per case. */
export const LiveRecordBody = z
  .strictObject({
    occurrence: OccurrenceKey,
    attended: uniqueIds('user ids', 60).optional(),
    itemId: Id.optional(),
    outcome: optionalText(1000).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.outcome !== undefined && !b.itemId) ctx.addIssue({ code: 'custom', path: ['itemId'], message: 'is required with an outcome' });
    if (b.attended === undefined && b.outcome === undefined) ctx.addIssue({ code: 'custom', path: ['attended'], message: 'or an outcome is required' });
  });
export type LiveRecordBody = z.input<typeof LiveRecordBody>;

/** A draft to check before saving: conflicts of the attendees at that time. */
export const CheckConferenceBody = z
  .strictObject({
    timeZone: TimeZone,
    start: LocalTime,
    end: LocalTime,
    rrule: z.string({ error: 'must be a repeat rule' }).trim().max(300, { error: 'must be at most 300 characters' }).nullable().default(null),
    attendeeIds: uniqueIds('user ids', 50).default([]),
    /** The conference being changed, so it does not conflict with itself. */
    conferenceId: Id.nullable().default(null),
  })
  .superRefine(checkTimes);
export type CheckConferenceBody = z.input<typeof CheckConferenceBody>;

export const ConferenceParams = z.strictObject({ conferenceId: Id });
export const ListConferencesQuery = z.strictObject({
  /** upcoming (default): meetings that have not ended, and open polls; past: those that have. */
  when: z.enum(['upcoming', 'past'], { error: 'must be upcoming or past' }).default('upcoming'),
  limit: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }).default(20),
});

export const SettingsBody = z.strictObject({
  /** Minutes before each conference for the in-app reminder; 0 for none. */
  reminderMinutes: z.number({ error: 'must be a number of minutes' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0 (no reminder) or more' }).max(MAX_REMINDER_MINUTES, { error: `must be at most ${MAX_REMINDER_MINUTES} minutes (one day)` }),
});
export const SettingsResponse = z.object({ settings: z.object({ reminderMinutes: z.number().int(), calendarFeed: z.boolean() }) });
export const CalendarFeedResponse = z.object({ url: z.string() });
/** Any text: a token that is malformed, unknown or revoked is simply not found. */
export const CalendarTokenParams = z.strictObject({ token: z.string().max(200, { error: 'is not a calendar feed' }) });

// ---- Views ----

const Person = z.object({ id: Id, name: z.string() });

export const OccurrenceView = z.object({ key: IsoDateTime, start: IsoDateTime, end: IsoDateTime, moved: z.boolean() });
export type OccurrenceView = z.infer<typeof OccurrenceView>;

export const AgendaItemView = z.object({
  id: Id,
  /** Null when the viewer is not on that case's team: they see only that some case takes this time. */
  case: z.object({ id: Id, title: z.string(), patientRef: z.string(), ready: z.boolean(), requiredDisciplines: z.array(DisciplineSchema) }).nullable(),
  minutes: z.number().int(),
  presenter: Person.nullable(),
  complex: z.boolean(),
  override: z.boolean(),
  /** Recorded in live mode. */
  actualMinutes: z.number().nullable(),
  outcome: z.string().nullable(),
  /** Whether the viewer may record this case's outcome (the chair or organizer, an owner or editor of the case). */
  canRecord: z.boolean(),
});
export type AgendaItemView = z.infer<typeof AgendaItemView>;

export const LiveView = z.object({
  status: z.enum(['live', 'ended']),
  chair: Person,
  startedAt: IsoDateTime,
  endedAt: IsoDateTime.nullable(),
  /** The item discussed now, and since when (for the timer); null after the last. */
  currentItemId: Id.nullable(),
  currentSince: IsoDateTime.nullable(),
  attended: z.array(Id),
});
export type LiveView = z.infer<typeof LiveView>;

export const WarningView = z.discriminatedUnion('kind', [
  /** An attendee has another Consilium conference at an overlapping time (while polling: `occurrence` is the slot's start). */
  z.object({
    kind: z.literal('conflict'), person: Person, occurrence: IsoDateTime,
    other: z.object({ id: Id.nullable(), title: z.string().nullable(), start: IsoDateTime, end: IsoDateTime }),
  }),
  z.object({ kind: z.literal('over_time'), occurrence: IsoDateTime, plannedMinutes: z.number().int(), lengthMinutes: z.number().int() }),
  z.object({ kind: z.literal('not_ready'), occurrence: IsoDateTime, itemId: Id }),
  z.object({ kind: z.literal('missing_discipline'), occurrence: IsoDateTime, itemId: Id, disciplines: z.array(DisciplineSchema) }),
  z.object({ kind: z.literal('complex_late'), occurrence: IsoDateTime, itemId: Id }),
  z.object({ kind: z.literal('not_on_team'), occurrence: IsoDateTime, itemId: Id, person: Person }),
]);
export type WarningView = z.infer<typeof WarningView>;

export const PollView = z.object({
  slots: z.array(z.object({
    id: Id, start: IsoDateTime, end: IsoDateTime,
    yes: z.number().int(), ifNeedBe: z.number().int(), no: z.number().int(),
    /** Who answered what (the organizer and invitees see each other's answers). */
    answers: z.array(z.object({ person: Person, answer: z.enum(POLL_ANSWERS) })),
  })),
  /** Most yes, then fewest no; null before anyone answered. */
  bestSlotId: Id.nullable(),
  myAnswers: z.record(z.string(), z.enum(POLL_ANSWERS)),
  /** Invitees who have not answered yet. */
  waitingFor: z.array(Person),
  chosenSlotId: Id.nullable(),
});
export type PollView = z.infer<typeof PollView>;

export const ConferenceView = z.object({
  id: Id,
  title: z.string(),
  kind: z.enum(CONFERENCE_KINDS),
  status: z.enum(CONFERENCE_STATUSES),
  organizer: Person,
  chair: Person,
  timeZone: z.string(),
  /** The first meeting (UTC); null while polling. */
  start: IsoDateTime.nullable(),
  end: IsoDateTime.nullable(),
  rrule: z.string().nullable(),
  occurrences: z.array(OccurrenceView),
  /** The next meeting that has not ended, if any. */
  next: OccurrenceView.nullable(),
  location: z.string(),
  videoUrl: z.string(),
  notes: z.string(),
  attendees: z.array(Person.extend({ discipline: DisciplineSchema, response: z.enum(RESPONSES) })),
  myResponse: z.enum(RESPONSES).nullable(),
  /** Agenda per occurrence key. */
  agenda: z.record(z.string(), z.array(AgendaItemView)),
  live: z.record(z.string(), LiveView),
  poll: PollView.nullable(),
  /** Shown to the organizer and chair only. */
  warnings: z.array(WarningView),
  canEdit: z.boolean(),
  canChair: z.boolean(),
  version: z.number().int(),
  updatedAt: IsoDateTime,
});
export type ConferenceView = z.infer<typeof ConferenceView>;
export const ConferenceResponse = z.object({ conference: ConferenceView });

/** One line of a list: a conference at its next (or last) meeting. */
export const ConferenceSummaryView = z.object({
  id: Id,
  title: z.string(),
  kind: z.enum(CONFERENCE_KINDS),
  status: z.enum(CONFERENCE_STATUSES),
  timeZone: z.string(),
  occurrence: OccurrenceView.nullable(),
  recurring: z.boolean(),
  myResponse: z.enum(RESPONSES).nullable(),
  /** While polling: whether I still have to answer. */
  pollWaiting: z.boolean(),
  /** The visible cases on that meeting's agenda. */
  cases: z.array(z.object({ id: Id, title: z.string(), patientRef: z.string() })),
  live: z.boolean(),
});
export type ConferenceSummaryView = z.infer<typeof ConferenceSummaryView>;
export const ConferenceListResponse = z.object({ conferences: z.array(ConferenceSummaryView) });

export const CheckResponse = z.object({ warnings: z.array(WarningView) });

/** A case the organizer can put on an agenda, with what the agenda rules need to know. */
export const AgendaCandidateView = z.object({
  id: Id,
  title: z.string(),
  patientRef: z.string(),
  ready: z.boolean(),
  readiness: z.object({ complete: z.number().int(), required: z.number().int() }),
  complex: z.boolean(),
  /** Why the case counts as complex, in words. */
  complexReasons: z.array(z.string()),
  requiredDisciplines: z.array(DisciplineSchema),
  members: z.array(Person.extend({ discipline: DisciplineSchema })),
});
export type AgendaCandidateView = z.infer<typeof AgendaCandidateView>;
export const PeopleResponse = z.object({ people: z.array(Person.extend({ discipline: DisciplineSchema })) });

export const AgendaCandidatesResponse = z.object({ candidates: z.array(AgendaCandidateView) });
