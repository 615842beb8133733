/**
 * Mongoose schemas of the mongo engine and, in this one place, every index it relies on.
 * Ids are the records' own strings (`_id: String`), times are the port's ISO 8601 UTC strings
 * (they sort and compare correctly as strings, exactly as in the sqlite engine), and Yjs data
 * is binary. Indexes are built explicitly by MongoStore.ready(), never by autoIndex.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ResistanceEntry } from '../../../shared/schemas/cases.js';
import type {
  AuditRecord, BallotRecord, CaseItemRecord, CaseRecord, ConferenceRecord, MembershipRecord, MessageRecord, NotificationRecord, RoundRecord,
  SessionRecord, ThreadRecord, UserRecord,
} from '../port.js';

/** Schema options shared by every collection: no `__v`, no unknown fields. */
const base = { versionKey: false, strict: true } as const;

/** A port record as stored: its `id` becomes the string `_id`. */
type Stored<R extends { id: string }> = Omit<R, 'id'> & { _id: string };

/** A user as stored; `_id` is UserRecord.id. */
export type UserDoc = Stored<UserRecord>;
/** A session as stored; `_id` is the hash of the cookie's secret. */
export type SessionDoc = Stored<SessionRecord>;
/** A case as stored; `_id` is CaseRecord.id. */
export type CaseDoc = Stored<CaseRecord>;
/** A membership as stored; its identity is the unique (caseId, userId) pair, `_id` is a plain ObjectId. */
export type MembershipDoc = MembershipRecord;

/** One chunk of a document's Yjs log (an update or a compacted snapshot). */
export interface DocChunkDoc {
  _id: string;
  docName: string;
  data: Buffer;
  /** 0 appended, 1 merged run, 2 snapshot (absent on chunks stored before levels: 0). */
  level: number;
  createdAt: Date;
  /**
   * An update larger than a MongoDB document may hold is stored in parts: each part names its
   * group (the chunk's id), its place and the number of parts. Absent for a chunk in one piece.
   */
  group?: string;
  part?: number;
  parts?: number;
}

/** An audit entry as stored; `_id` is AuditRecord.id. */
export type AuditDoc = Stored<AuditRecord>;
/** A discussion thread as stored; `anchor` is a nested object. */
export type ThreadDoc = Stored<ThreadRecord>;
/** A message as stored; one per (authorId, requestId). */
export type MessageDoc = Stored<MessageRecord>;
/** A notification as stored. */
export type NotificationDoc = Stored<NotificationRecord>;
/** One user's unread count for one thread; its identity is the unique (threadId, userId) pair. */
export interface UnreadDoc { userId: string; threadId: string; caseId: string; count: number }
/** Which of a case's small collections an item belongs to. */
export type CaseItemKind = 'evidence' | 'stakeholder' | 'readiness' | 'coverage' | 'option' | 'followup';
/** An item of one of a case's small collections as stored; `data` is a nested object. */
export type CaseItemDoc = Stored<CaseItemRecord<unknown>> & { kind: CaseItemKind };

// Free-text fields (name, title, problem, description) are deliberately not `required`:
// mongoose treats '' as missing, and the port, not the engine, validates content.

const userSchema = new Schema<UserDoc>({
  _id: { type: String, required: true },
  email: { type: String, required: true },
  name: { type: String },
  discipline: { type: String, required: true },
  passwordHash: { type: String, required: true },
  createdAt: { type: String, required: true },
  reminderMinutes: { type: Number, default: 15 },
  calendarTokenHash: { type: String, default: null },
}, base);
userSchema.index({ email: 1 }, { unique: true });
// One feed per token; users without a feed are left out of the index.
userSchema.index({ calendarTokenHash: 1 }, { unique: true, partialFilterExpression: { calendarTokenHash: { $type: 'string' } } });

const sessionSchema = new Schema<SessionDoc>({
  _id: { type: String, required: true },
  userId: { type: String, required: true },
  createdAt: { type: String, required: true },
  expiresAt: { type: String, required: true },
}, base);
sessionSchema.index({ expiresAt: 1 });

const resistanceSchema = new Schema<ResistanceEntry>({
  source: { type: String, required: true },
  description: { type: String },
}, { ...base, _id: false });

const caseSchema = new Schema<CaseDoc>({
  _id: { type: String, required: true },
  title: { type: String },
  patientRef: { type: String },
  problem: { type: String },
  resistance: { type: [resistanceSchema], default: [] },
  requiredDisciplines: { type: [String], default: [] },
  status: { type: String, required: true },
  createdBy: { type: String, required: true },
  createdAt: { type: String, required: true },
  updatedAt: { type: String, required: true },
}, base);
caseSchema.index({ updatedAt: 1 });

const membershipSchema = new Schema<MembershipDoc>({
  caseId: { type: String, required: true },
  userId: { type: String, required: true },
  role: { type: String, required: true },
  discipline: { type: String, required: true },
  addedBy: { type: String, required: true },
  addedAt: { type: String, required: true },
}, base);
// One membership per user per case: the rule lives in the database, not only in code.
membershipSchema.index({ caseId: 1, userId: 1 }, { unique: true });
membershipSchema.index({ userId: 1 });
// Serves the owner count that guards the last-owner rule.
membershipSchema.index({ caseId: 1, role: 1 });

const docChunkSchema = new Schema<DocChunkDoc>({
  _id: { type: String, required: true },
  docName: { type: String, required: true },
  data: { type: Buffer, required: true },
  level: { type: Number, default: 0 },
  createdAt: { type: Date, required: true },
  group: { type: String },
  part: { type: Number },
  parts: { type: Number },
}, base);
docChunkSchema.index({ docName: 1 });
docChunkSchema.index({ docName: 1, group: 1 });

const auditSchema = new Schema<AuditDoc>({
  _id: { type: String, required: true },
  caseId: { type: String, default: null },
  conferenceId: { type: String, default: null },
  actorId: { type: String, default: null },
  action: { type: String, required: true },
  target: { type: String, default: null },
  fields: { type: [String], default: [] },
  at: { type: String, required: true },
}, base);
// `_id` breaks ties between entries with the same `at`, so the listing sort is fully indexed.
auditSchema.index({ caseId: 1, at: -1, _id: -1 });
auditSchema.index({ conferenceId: 1, at: -1, _id: -1 });

// The collections below use terse field helpers; nested objects (Mixed) are kept whole,
// empty ones included (minimize: false), and nulls inside them round-trip as null.
const key = () => ({ type: String, required: true });
const maybe = () => ({ type: String, default: null });
const nested = () => ({ type: Schema.Types.Mixed, required: true });
const withNested = { ...base, minimize: false } as const;

const threadSchema = new Schema<ThreadDoc>({
  _id: key(), caseId: key(), anchor: nested(), status: key(), createdBy: key(), createdAt: key(),
  resolvedBy: maybe(), resolvedAt: maybe(), deletedAt: maybe(), lastActivityAt: key(),
}, withNested);
threadSchema.index({ caseId: 1, createdAt: 1, _id: 1 });

const messageSchema = new Schema<MessageDoc>({
  _id: key(), caseId: key(), threadId: key(), authorId: key(), body: { type: String },
  mentions: { type: [String], default: [] }, seq: { type: Number, required: true }, requestId: key(),
  createdAt: key(), editedAt: maybe(), deletedAt: maybe(),
}, base);
// One message per client request per author: a retried post never lands twice.
messageSchema.index({ authorId: 1, requestId: 1 }, { unique: true });
messageSchema.index({ caseId: 1, seq: 1, _id: 1 });
messageSchema.index({ threadId: 1, seq: 1, _id: 1 });

// `count` has no default on purpose: upserts $inc it, and a default would be added by
// mongoose as $setOnInsert on the same path, which the server refuses.
const unreadSchema = new Schema<UnreadDoc>({
  userId: key(), threadId: key(), caseId: key(), count: { type: Number, required: true },
}, base);
// The same rule as unique (userId, threadId); leading with threadId also serves a thread's removal.
unreadSchema.index({ threadId: 1, userId: 1 }, { unique: true });
unreadSchema.index({ userId: 1, caseId: 1 });

const notificationSchema = new Schema<NotificationDoc>({
  _id: key(), userId: key(), caseId: maybe(), kind: key(), threadId: maybe(), conferenceId: maybe(), occurrence: maybe(),
  actorId: maybe(), createdAt: key(), readAt: maybe(),
}, base);
notificationSchema.index({ userId: 1, createdAt: -1, _id: -1 });

const caseItemSchema = new Schema<CaseItemDoc>({
  _id: key(), kind: key(), caseId: key(), data: nested(), version: { type: Number, required: true },
  createdBy: key(), createdAt: key(), updatedAt: key(),
}, withNested);
caseItemSchema.index({ caseId: 1, kind: 1, createdAt: 1, _id: 1 });

/** A decision round as stored; rules, result and counted versions are nested objects. */
export type RoundDoc = Stored<RoundRecord>;
/** A ballot as stored; its identity is the unique (roundId, voterId) pair. */
export type BallotDoc = BallotRecord;

const roundSchema = new Schema<RoundDoc>({
  _id: key(), caseId: key(), question: { type: String }, optionIds: { type: [String], required: true }, rule: key(),
  threshold: { type: Number, default: null }, quorum: nested(), closesAt: maybe(), visibility: key(), status: key(),
  openedBy: key(), openedAt: key(), closedAt: maybe(), closedBy: maybe(),
  result: { type: Schema.Types.Mixed, default: null }, counted: { type: Schema.Types.Mixed, default: null },
  briefText: maybe(), briefState: maybe(), recommendation: { type: Schema.Types.Mixed, default: null },
  remindersSent: { type: [Number], default: [] },
  record: { type: Schema.Types.Mixed, default: null },
}, withNested);
roundSchema.index({ caseId: 1, openedAt: 1, _id: 1 });
roundSchema.index({ status: 1, closesAt: 1 });

const ballotSchema = new Schema<BallotDoc>({
  roundId: key(), caseId: key(), voterId: key(), discipline: key(), defer: maybe(), stances: nested(),
  version: { type: Number, required: true }, castAt: key(), updatedAt: key(),
}, withNested);
// One ballot per member per round.
ballotSchema.index({ roundId: 1, voterId: 1 }, { unique: true });

/** A conference as stored: one document, its agenda, poll and live state nested; `peopleIds` and `caseIds` are indexed arrays. */
export type ConferenceDoc = Stored<ConferenceRecord>;

const conferenceSchema = new Schema<ConferenceDoc>({
  _id: key(), title: { type: String }, kind: key(), status: key(), organizerId: key(), chairId: key(), timeZone: key(),
  start: maybe(), end: maybe(), rrule: maybe(), exceptions: { type: Schema.Types.Mixed, default: [] },
  location: { type: String }, videoUrl: { type: String }, notes: { type: String },
  attendees: { type: Schema.Types.Mixed, default: [] }, agenda: { type: Schema.Types.Mixed, default: [] },
  poll: { type: Schema.Types.Mixed, default: null }, live: { type: Schema.Types.Mixed, default: [] }, sequence: { type: Number, default: 0 },
  caseIds: { type: [String], default: [] }, peopleIds: { type: [String], default: [] },
  spanStart: maybe(), spanEnd: maybe(), version: { type: Number, required: true }, createdAt: key(), updatedAt: key(),
}, withNested);
conferenceSchema.index({ peopleIds: 1 });
conferenceSchema.index({ caseIds: 1 });
conferenceSchema.index({ status: 1, spanStart: 1, spanEnd: 1 });

/** The engine's models, bound to one private connection. */
export interface Models {
  User: Model<UserDoc>;
  Session: Model<SessionDoc>;
  Case: Model<CaseDoc>;
  Membership: Model<MembershipDoc>;
  DocChunk: Model<DocChunkDoc>;
  Audit: Model<AuditDoc>;
  Thread: Model<ThreadDoc>;
  Message: Model<MessageDoc>;
  Unread: Model<UnreadDoc>;
  Notification: Model<NotificationDoc>;
  CaseItem: Model<CaseItemDoc>;
  Round: Model<RoundDoc>;
  Ballot: Model<BallotDoc>;
  Conference: Model<ConferenceDoc>;
}

/** Compiles every model on `conn` (never on the global mongoose), with explicit collection names. */
export function bindModels(conn: Connection): Models {
  const models: Models = {
    User: conn.model<UserDoc>('User', userSchema, 'users'),
    Session: conn.model<SessionDoc>('Session', sessionSchema, 'sessions'),
    Case: conn.model<CaseDoc>('Case', caseSchema, 'cases'),
    Membership: conn.model<MembershipDoc>('Membership', membershipSchema, 'memberships'),
    DocChunk: conn.model<DocChunkDoc>('DocChunk', docChunkSchema, 'docChunks'),
    Audit: conn.model<AuditDoc>('Audit', auditSchema, 'audit'),
    Thread: conn.model<ThreadDoc>('Thread', threadSchema, 'threads'),
    Message: conn.model<MessageDoc>('Message', messageSchema, 'messages'),
    Unread: conn.model<UnreadDoc>('Unread', unreadSchema, 'unread'),
    Notification: conn.model<NotificationDoc>('Notification', notificationSchema, 'notifications'),
    CaseItem: conn.model<CaseItemDoc>('CaseItem', caseItemSchema, 'caseItems'),
    Round: conn.model<RoundDoc>('Round', roundSchema, 'rounds'),
    Ballot: conn.model<BallotDoc>('Ballot', ballotSchema, 'ballots'),
    Conference: conn.model<ConferenceDoc>('Conference', conferenceSchema, 'conferences'),
  };
  for (const model of Object.values(models) as Model<unknown>[]) {
    // Mongoose reports a failed index build both by rejecting createIndexes() and by emitting
    // 'error' on the model; with no listener that emit throws inside mongoose and
    // createIndexes() never settles, so ready() would hang instead of failing.
    model.on('error', () => {});
  }
  return models;
}
