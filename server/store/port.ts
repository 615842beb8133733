/**
 * The Store port: repositories written for the domain, implemented by every storage engine
 * (sqlite, mongo). Records use plain values only: ids are strings, times are ISO 8601 UTC
 * strings, binary data is Uint8Array. Engines throw UniqueViolation for a broken unique rule.
 */
import type { Discipline } from '../../shared/disciplines.js';
import type { Role } from '../../shared/roles.js';
import type { CaseStatus, ResistanceEntry } from '../../shared/schemas/cases.js';
import type { AppealOutcome, CoverageDecision, DenialReason } from '../../shared/schemas/coverage.js';
import type { EvidenceKind, EvidenceStrength } from '../../shared/schemas/evidence.js';
import type { NotificationKind } from '../../shared/schemas/notifications.js';
import type { ReadinessState } from '../../shared/schemas/readiness.js';
import type { Channel, StakeholderKind, StakeholderStatus } from '../../shared/schemas/stakeholders.js';
import type { ThreadAnchor } from '../../shared/schemas/threads.js';
import type { AttendeeResponse, ConferenceKind, ConferenceStatus, PollAnswer } from '../../shared/schemas/conferences.js';
import type { RecurrenceException } from '../calendar/recurrence.js';
import type { DecisionRule, Result as DecisionResult, Stance } from '../../shared/decision.js';

export type EngineName = 'sqlite' | 'mongo';

export interface UserRecord {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  discipline: Discipline;
  passwordHash: string;
  createdAt: string;
  /** Minutes before each conference for the in-app reminder; 0 for none. */
  reminderMinutes: number;
  /** A SHA-256 hash of the user's private calendar feed token, or null when they have none. */
  calendarTokenHash: string | null;
}

export interface SessionRecord {
  /** A SHA-256 hash of the cookie's secret, never the secret itself. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface CaseRecord {
  id: string;
  title: string;
  patientRef: string;
  problem: string;
  resistance: ResistanceEntry[];
  requiredDisciplines: Discipline[];
  status: CaseStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type CaseChanges = Partial<Pick<CaseRecord, 'title' | 'patientRef' | 'problem' | 'resistance' | 'requiredDisciplines' | 'status'>>;

export interface MembershipRecord {
  caseId: string;
  userId: string;
  role: Role;
  discipline: Discipline;
  addedBy: string;
  addedAt: string;
}

/**
 * How far a stored chunk has been folded: 0 a batch of edits as appended, 1 a run of batches
 * merged by compaction, 2 a snapshot of the whole document (see server/realtime/yjs/persistence.ts).
 */
export type ChunkLevel = 0 | 1 | 2;

export interface DocumentChunk {
  id: string;
  /** An encoded Yjs update: one batch of edits, a merged run of batches, or a snapshot. */
  data: Uint8Array;
  level: ChunkLevel;
}

export interface AuditRecord {
  id: string;
  /** The case the entry belongs to; null for an entry about a conference only. */
  caseId: string | null;
  /** The conference the entry is about, if any. */
  conferenceId: string | null;
  actorId: string | null;
  action: string;
  target: string | null;
  /** Names of changed fields, never their values. */
  fields: string[];
  at: string;
}

export interface UserRepository {
  /** Throws UniqueViolation('email') when the email is taken. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findManyByIds(ids: string[]): Promise<UserRecord[]>;
  /** Changes the user's own settings; returns the updated user or null. */
  updateSettings(id: string, changes: { reminderMinutes?: number }): Promise<UserRecord | null>;
  /** Sets (or, with null, revokes) the user's calendar feed token hash. */
  setCalendarToken(id: string, hash: string | null): Promise<void>;
  findByCalendarToken(hash: string): Promise<UserRecord | null>;
  setPasswordHash(id: string, hash: string): Promise<void>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findValid(id: string, now: string): Promise<SessionRecord | null>;
  /** Moves the expiry of a live session (sliding sessions). */
  extend(id: string, expiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  /** Ends every session of a user (a password change); returns the ids ended. */
  deleteForUser(userId: string): Promise<string[]>;
  /** Removes expired sessions; returns how many. */
  deleteExpired(now: string): Promise<number>;
}

export interface CaseRepository {
  create(record: CaseRecord): Promise<void>;
  findById(id: string): Promise<CaseRecord | null>;
  /** The cases the user is a member of, newest change first; archived ones only when asked. */
  listForUser(userId: string, opts: { archived: boolean }): Promise<CaseRecord[]>;
  /** Applies the changes and returns the updated case, or null when there is no such case. */
  update(id: string, changes: CaseChanges, updatedAt: string): Promise<CaseRecord | null>;
  /** Removes a case that was never completed (used to undo a failed creation). */
  delete(id: string): Promise<void>;
}

export type MembershipChangeResult =
  | { ok: true; membership: MembershipRecord }
  | { ok: false; reason: 'not_found' | 'last_owner' };

export interface MembershipRepository {
  /** Throws UniqueViolation('membership') when the user is already on the case. */
  add(record: MembershipRecord): Promise<void>;
  find(caseId: string, userId: string): Promise<MembershipRecord | null>;
  listByCase(caseId: string): Promise<MembershipRecord[]>;
  /**
   * Changes a member's role or discipline. The engine guarantees, even under concurrent
   * calls, that a case never ends up without an owner: such a change answers 'last_owner'.
   */
  update(caseId: string, userId: string, changes: { role?: Role; discipline?: Discipline }): Promise<MembershipChangeResult>;
  /** Removes a member, with the same last-owner guarantee as update. */
  remove(caseId: string, userId: string): Promise<MembershipChangeResult>;
}

export interface DocumentRepository {
  /** Appends one encoded Yjs update to the document's log (level 0). */
  append(docName: string, update: Uint8Array): Promise<void>;
  /**
   * Appends updates of several documents in one write (the hub's group commit): all stored, or
   * an error. A retry after an error may store some twice, which is harmless (Yjs updates are
   * idempotent).
   */
  appendMany(entries: { docName: string; update: Uint8Array }[]): Promise<void>;
  /** Every stored chunk of the document (updates and snapshots), in no particular order. */
  load(docName: string): Promise<DocumentChunk[]>;
  /**
   * Stores `snapshot` (which must contain every chunk in `replaces`) at `level` (default 2, a
   * snapshot of the whole document; 1 for a merged run of batches), then deletes exactly
   * those chunks. Chunks appended meanwhile are untouched, so a racing append or a racing
   * compaction never loses an update.
   */
  compact(docName: string, snapshot: Uint8Array, replaces: string[], level?: 1 | 2): Promise<void>;
}

export interface AuditRepository {
  append(record: AuditRecord): Promise<void>;
  /** The newest entries first. */
  listByCase(caseId: string, limit: number): Promise<AuditRecord[]>;
  /** The newest entries first. */
  listByConference(conferenceId: string, limit: number): Promise<AuditRecord[]>;
}

export interface ThreadRecord {
  id: string;
  caseId: string;
  anchor: ThreadAnchor;
  status: 'open' | 'resolved';
  createdBy: string;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
  /** Set when the thread was deleted; it then no longer lists. */
  deletedAt: string | null;
  lastActivityAt: string;
}

export type ThreadChanges = Partial<Pick<ThreadRecord, 'status' | 'resolvedBy' | 'resolvedAt' | 'deletedAt' | 'lastActivityAt'>>;

export interface ThreadRepository {
  create(record: ThreadRecord): Promise<void>;
  /** The thread if it belongs to that case and is not deleted. */
  find(caseId: string, id: string): Promise<ThreadRecord | null>;
  /** The case's threads that are not deleted, oldest first. */
  listByCase(caseId: string): Promise<ThreadRecord[]>;
  update(caseId: string, id: string, changes: ThreadChanges): Promise<ThreadRecord | null>;
  /** Removes a thread outright (used to undo a failed creation). */
  delete(caseId: string, id: string): Promise<void>;
}

export interface MessageRecord {
  id: string;
  caseId: string;
  threadId: string;
  authorId: string;
  body: string;
  /** User ids mentioned. */
  mentions: string[];
  /** Server order: increasing with the server's clock, ties broken by arrival. */
  seq: number;
  /** The client's id for the request; unique per author, so a retried post never lands twice. */
  requestId: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
}

export type MessageChanges = Partial<Pick<MessageRecord, 'body' | 'mentions' | 'editedAt' | 'deletedAt'>>;

export interface MessageRepository {
  /** Throws UniqueViolation('request') when this author already posted this requestId. */
  create(record: MessageRecord): Promise<void>;
  findByRequest(authorId: string, requestId: string): Promise<MessageRecord | null>;
  find(caseId: string, id: string): Promise<MessageRecord | null>;
  /** Every message of the case's threads, in server order (seq). */
  listByCase(caseId: string): Promise<MessageRecord[]>;
  /** One thread's messages, in server order. */
  listByThread(caseId: string, threadId: string): Promise<MessageRecord[]>;
  update(caseId: string, id: string, changes: MessageChanges): Promise<MessageRecord | null>;
}

export interface UnreadRepository {
  /** One more unread message in the thread for each of these users (atomic per user). */
  add(caseId: string, threadId: string, userIds: string[]): Promise<void>;
  /** The user has read the thread. */
  clear(userId: string, threadId: string): Promise<void>;
  /** Nobody has anything left to read in the thread (it was deleted). */
  clearThread(threadId: string): Promise<void>;
  /** Unread messages per thread of a case, for one user (threads with none are absent). */
  byThread(userId: string, caseId: string): Promise<Map<string, number>>;
  /** Unread messages per case, for one user (cases with none are absent). */
  byCase(userId: string, caseIds: string[]): Promise<Map<string, number>>;
}

export interface NotificationRecord {
  id: string;
  userId: string;
  /** The case it is about; null for a conference notification. */
  caseId: string | null;
  kind: NotificationKind;
  threadId: string | null;
  conferenceId: string | null;
  /** For a conference reminder: which meeting (its occurrence key). */
  occurrence: string | null;
  actorId: string | null;
  createdAt: string;
  readAt: string | null;
}

export interface NotificationRepository {
  create(records: NotificationRecord[]): Promise<void>;
  /** Stores a notification unless one with its id exists; whether it was new (for reminders sent once). */
  createOnce(record: NotificationRecord): Promise<boolean>;
  /** The user's own notification with this id, or null. */
  find(userId: string, id: string): Promise<NotificationRecord | null>;
  /** Newest first. */
  listForUser(userId: string, limit: number): Promise<NotificationRecord[]>;
  countUnread(userId: string): Promise<number>;
  /** Marks the given notifications of this user (all of them, or those of one case) read; returns how many changed. */
  markRead(userId: string, which: string[] | 'all' | { caseId: string }, at: string): Promise<number>;
}

/** Evidence in a case's library. */
export interface EvidenceData {
  kind: EvidenceKind;
  title: string;
  citation: string;
  url: string;
  year: number | null;
  summary: string;
  strength: EvidenceStrength;
}

/** One contact with a stakeholder. */
export interface StakeholderData {
  stakeholder: StakeholderKind;
  who: string;
  channel: Channel;
  date: string;
  concerns: string;
  response: string;
  nextStep: string;
  nextStepDue: string | null;
  status: StakeholderStatus;
}

/** One item of a case's readiness checklist. */
export interface ReadinessData {
  /** The standard item's key, or null for an item an owner added. */
  key: string | null;
  label: string;
  required: boolean;
  state: ReadinessState;
  note: string;
  recordedBy: string;
  metOn: string | null;
  confirmedBy: string | null;
  confirmedAt: string | null;
  /** Position in the checklist. */
  order: number;
}

/** One request to a payer and what became of it. */
export interface CoverageData {
  payer: string;
  requested: string;
  submittedOn: string;
  referenceNumber: string;
  decision: CoverageDecision;
  denialReason: DenialReason | null;
  payerWording: string;
  decidedOn: string | null;
  appealDeadline: string | null;
  peerToPeerDeadline: string | null;
  appealOutcome: AppealOutcome;
}

/** One tailored alternative for the case. */
export interface OptionData {
  title: string;
  description: string;
  expectedBenefit: string;
  risks: string;
  burden: string;
  evidenceIds: string[];
}

/** Whether a round's recommendation was carried out, and why not. */
export interface FollowUpData {
  roundId: string;
  status: 'implemented' | 'partially_implemented' | 'not_implemented';
  reason: 'patient_preference' | 'payer_denial' | 'clinical_change' | 'patient_unreachable' | 'other' | null;
  note: string;
}

/** A small record that belongs to one case; `version` rises with every change. */
export interface CaseItemRecord<D> {
  id: string;
  caseId: string;
  data: D;
  version: number;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * The case's small collections (evidence, stakeholder log, readiness, coverage) share one
 * shape: items of one case, changed whole with an optimistic version check.
 */
export interface CaseItemRepository<D> {
  /** Throws UniqueViolation('id') when the id is taken. */
  create(record: CaseItemRecord<D>): Promise<void>;
  find(caseId: string, id: string): Promise<CaseItemRecord<D> | null>;
  /** Oldest first. */
  list(caseId: string): Promise<CaseItemRecord<D>[]>;
  listForCases(caseIds: string[]): Promise<CaseItemRecord<D>[]>;
  /**
   * Replaces the data if the stored version is still `expectedVersion` (then version + 1);
   * 'conflict' when someone changed it meanwhile, null when there is no such item.
   */
  update(caseId: string, id: string, data: D, expectedVersion: number, updatedAt: string): Promise<CaseItemRecord<D> | 'conflict' | null>;
  /** Whether an item was deleted. */
  delete(caseId: string, id: string): Promise<boolean>;
}

/** A decision round: a question over two or more options, with its rule, quorum and outcome. */
export interface RoundRecord {
  id: string;
  caseId: string;
  question: string;
  optionIds: string[];
  rule: DecisionRule;
  threshold: number | null;
  quorum: { minVoters: number; requiredDisciplines: Discipline[] };
  closesAt: string | null;
  visibility: 'open' | 'blind';
  /** closing: a close has begun and is counting; no ballot written after that is counted. */
  status: 'open' | 'closing' | 'closed';
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
  /** A user id, or null when the server closed the round at its closing time. */
  closedBy: string | null;
  /** The result computed when the round closed (never recomputed). */
  result: DecisionResult | null;
  /** The version of each voter's ballot that the result counted. */
  counted: Record<string, number> | null;
  /** The brief as it stood when the round closed: its text, and its Yjs state (base64). */
  briefText: string | null;
  briefState: string | null;
  /** The unified recommendation an owner wrote after a decided round; written once. */
  /** The option's title is kept as it was when the recommendation was written. */
  recommendation: { optionId: string; optionTitle: string; text: string; writtenBy: string; writtenAt: string } | null;
  /** Follow-up reminders already sent, by days after the decision (30, 90). */
  remindersSent: number[];
  /** What the decision rested on, as it stood when the round closed (exports read this, not today's records). */
  record: DecisionRecord | null;
}

/** The case's options, evidence and team as they stood when a round closed. */
export interface DecisionRecord {
  options: (OptionData & { id: string })[];
  /** The evidence library, in library order. */
  evidence: (EvidenceData & { id: string })[];
  team: { id: string; name: string; discipline: Discipline; role: Role }[];
  /** Per person: comments, evidence added and ballots cast up to the close. */
  contributions: Record<string, { comments: number; evidence: number; ballots: number }>;
  /** Voters' names at the close. */
  voters: Record<string, string>;
}

/** One member's ballot in a round; `version` rises with every change of stance. */
export interface BallotRecord {
  roundId: string;
  caseId: string;
  voterId: string;
  discipline: Discipline;
  defer: string | null;
  stances: Record<string, { stance: Stance; rationale: string }>;
  version: number;
  castAt: string;
  updatedAt: string;
}

export interface RoundRepository {
  create(record: RoundRecord): Promise<void>;
  find(caseId: string, id: string): Promise<RoundRecord | null>;
  /** The case's rounds, oldest first. */
  listByCase(caseId: string): Promise<RoundRecord[]>;
  /** Rounds the server's clock must act on: open with a closing time, or left closing. */
  listOpenWithClosingTime(): Promise<RoundRecord[]>;
  /**
   * Begins closing an open round (open → closing) in one conditional write; false when it was not
   * open. Only the caller that gets true goes on to count and close, so a round closes once.
   */
  beginClose(caseId: string, id: string): Promise<boolean>;
  /** Finishes a close (closing → closed) with its result; null when the round was not closing. */
  close(caseId: string, id: string, closing: Pick<RoundRecord, 'closedAt' | 'closedBy' | 'result' | 'counted' | 'briefText' | 'briefState' | 'record'>): Promise<RoundRecord | null>;
  /** Rounds closed with a decision, for the follow-up reminders. */
  listDecided(): Promise<RoundRecord[]>;
  /** Marks a follow-up reminder sent; false when it already was (so each is sent once). */
  markReminder(caseId: string, id: string, days: number): Promise<boolean>;
  /** Stores the recommendation of a closed round that has none yet; null otherwise (written once). */
  recommend(caseId: string, id: string, recommendation: NonNullable<RoundRecord['recommendation']>): Promise<RoundRecord | null>;
}

export interface BallotRepository {
  /**
   * Casts or changes a member's ballot in one atomic write (one ballot per member per round,
   * by a unique index); answers it with its new version, and the ballot exactly as this write
   * replaced it (null for a first ballot), so that a refused change can be undone precisely even
   * when the same member's other ballot landed in between.
   */
  put(ballot: Omit<BallotRecord, 'version' | 'castAt'> & { at: string }): Promise<{ ballot: BallotRecord; previous: BallotRecord | null }>;
  /**
   * Puts back a ballot as it was (or removes it when there was none), to undo a refused change,
   * but only while the stored ballot is still the refused version `current`; false otherwise.
   */
  restore(roundId: string, voterId: string, previous: BallotRecord | null, current: number): Promise<boolean>;
  find(roundId: string, voterId: string): Promise<BallotRecord | null>;
  listByRound(roundId: string): Promise<BallotRecord[]>;
}

export interface AgendaItemRecord {
  id: string;
  /** The occurrence key (the meeting's original start, UTC) this item belongs to. */
  occurrence: string;
  caseId: string;
  minutes: number;
  presenterId: string | null;
  complex: boolean;
  /** Added although the case was not ready, on purpose. */
  override: boolean;
  /** Recorded in live mode. */
  actualMinutes: number | null;
  outcome: string | null;
}

/** A meeting run in live mode. */
export interface LiveRecord {
  occurrence: string;
  status: 'live' | 'ended';
  chairId: string;
  startedAt: string;
  endedAt: string | null;
  currentItemId: string | null;
  currentSince: string | null;
  attended: string[];
}

export interface ConferenceRecord {
  id: string;
  title: string;
  kind: ConferenceKind;
  status: ConferenceStatus;
  organizerId: string;
  chairId: string;
  timeZone: string;
  /** The first meeting, UTC; null while a poll is open. */
  start: string | null;
  end: string | null;
  rrule: string | null;
  exceptions: RecurrenceException[];
  location: string;
  videoUrl: string;
  notes: string;
  attendees: { userId: string; response: AttendeeResponse; respondedAt: string | null }[];
  /** Every occurrence's agenda, each in order. */
  agenda: AgendaItemRecord[];
  poll: { slots: { id: string; start: string; end: string }[]; answers: { userId: string; slotId: string; answer: PollAnswer }[]; chosenSlotId: string | null } | null;
  live: LiveRecord[];
  /** The calendar SEQUENCE: rises only with changes a calendar program shows (time, title, place, cancellation). */
  sequence: number;
  /** Kept by the domain for queries: the cases on any agenda, the organizer and attendees, and the span of all meetings. */
  caseIds: string[];
  peopleIds: string[];
  spanStart: string | null;
  spanEnd: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ConferenceRepository {
  /** Throws UniqueViolation('id') when the id is taken. */
  create(record: ConferenceRecord): Promise<void>;
  find(id: string): Promise<ConferenceRecord | null>;
  /**
   * Replaces the conference if its stored version is still `expectedVersion`; the stored record
   * gets `record.version` (expected + 1). 'conflict' when it changed meanwhile, null when gone.
   */
  update(record: ConferenceRecord, expectedVersion: number): Promise<ConferenceRecord | 'conflict' | null>;
  /** Conferences the user organizes or is invited to, or whose agenda holds one of these cases. */
  listVisible(userId: string, caseIds: string[]): Promise<ConferenceRecord[]>;
  /** Conferences whose agenda holds the case. */
  listByCase(caseId: string): Promise<ConferenceRecord[]>;
  /** Scheduled conferences with any of these people whose span overlaps [from, to). */
  listForPeople(userIds: string[], from: string, to: string): Promise<ConferenceRecord[]>;
  /** Scheduled conferences whose span overlaps [from, to). */
  listScheduled(from: string, to: string): Promise<ConferenceRecord[]>;
}

export interface Store {
  readonly engine: EngineName;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly cases: CaseRepository;
  readonly memberships: MembershipRepository;
  readonly documents: DocumentRepository;
  readonly audit: AuditRepository;
  readonly threads: ThreadRepository;
  readonly messages: MessageRepository;
  readonly unread: UnreadRepository;
  readonly notifications: NotificationRepository;
  readonly evidence: CaseItemRepository<EvidenceData>;
  readonly stakeholders: CaseItemRepository<StakeholderData>;
  readonly readiness: CaseItemRepository<ReadinessData>;
  readonly coverage: CaseItemRepository<CoverageData>;
  readonly options: CaseItemRepository<OptionData>;
  readonly followUps: CaseItemRepository<FollowUpData>;
  readonly rounds: RoundRepository;
  readonly ballots: BallotRepository;
  readonly conferences: ConferenceRepository;
  /** Resolves once indexes / migrations are in place and the engine can answer. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
