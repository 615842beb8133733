/**
 * Mongoose schemas of the mongo engine and, in this one place, every index it relies on.
 * Ids are the records' own strings (`_id: String`), times are the port's ISO 8601 UTC strings
 * (they sort and compare correctly as strings, exactly as in the sqlite engine), and Yjs data
 * is binary. Indexes are built explicitly by MongoStore.ready(), never by autoIndex.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { Discipline } from '../../../shared/disciplines.js';
import type { Role } from '../../../shared/roles.js';
import type { CaseStatus, ResistanceEntry } from '../../../shared/schemas/cases.js';

/** Schema options shared by every collection: no `__v`, no unknown fields. */
const base = { versionKey: false, strict: true } as const;

/** A user as stored; `_id` is UserRecord.id. */
export interface UserDoc {
  _id: string;
  email: string;
  name: string;
  discipline: Discipline;
  passwordHash: string;
  createdAt: string;
}

/** A session as stored; `_id` is the hash of the cookie's secret. */
export interface SessionDoc {
  _id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** A case as stored; `_id` is CaseRecord.id. */
export interface CaseDoc {
  _id: string;
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

/** A membership as stored; its identity is the unique (caseId, userId) pair, `_id` is a plain ObjectId. */
export interface MembershipDoc {
  caseId: string;
  userId: string;
  role: Role;
  discipline: Discipline;
  addedBy: string;
  addedAt: string;
}

/** One chunk of a document's Yjs log (an update or a compacted snapshot). */
export interface DocChunkDoc {
  _id: string;
  docName: string;
  data: Buffer;
  createdAt: Date;
}

/** An audit entry as stored; `_id` is AuditRecord.id. */
export interface AuditDoc {
  _id: string;
  caseId: string;
  actorId: string | null;
  action: string;
  target: string | null;
  fields: string[];
  at: string;
}

// Free-text fields (name, title, problem, description) are deliberately not `required`:
// mongoose treats '' as missing, and the port, not the engine, validates content.

const userSchema = new Schema<UserDoc>({
  _id: { type: String, required: true },
  email: { type: String, required: true },
  name: { type: String },
  discipline: { type: String, required: true },
  passwordHash: { type: String, required: true },
  createdAt: { type: String, required: true },
}, base);
userSchema.index({ email: 1 }, { unique: true });

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
  createdAt: { type: Date, required: true },
}, base);
docChunkSchema.index({ docName: 1 });

const auditSchema = new Schema<AuditDoc>({
  _id: { type: String, required: true },
  caseId: { type: String, required: true },
  actorId: { type: String, default: null },
  action: { type: String, required: true },
  target: { type: String, default: null },
  fields: { type: [String], default: [] },
  at: { type: String, required: true },
}, base);
// `_id` breaks ties between entries with the same `at`, so the listing sort is fully indexed.
auditSchema.index({ caseId: 1, at: -1, _id: -1 });

/** The engine's models, bound to one private connection. */
export interface Models {
  User: Model<UserDoc>;
  Session: Model<SessionDoc>;
  Case: Model<CaseDoc>;
  Membership: Model<MembershipDoc>;
  DocChunk: Model<DocChunkDoc>;
  Audit: Model<AuditDoc>;
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
  };
  for (const model of Object.values(models) as Model<unknown>[]) {
    // Mongoose reports a failed index build both by rejecting createIndexes() and by emitting
    // 'error' on the model; with no listener that emit throws inside mongoose and
    // createIndexes() never settles, so ready() would hang instead of failing.
    model.on('error', () => {});
  }
  return models;
}
