/**
 * The mongo engine's repositories (memberships live in memberships.ts). Each write is one
 * single-document operation; nothing here needs a transaction or a replica set.
 */
import { randomUUID } from 'node:crypto';
import { UniqueViolation } from '../errors.js';
import type {
  AuditRecord, AuditRepository, CaseChanges, CaseRecord, CaseRepository, ChunkLevel, DocumentChunk, DocumentRepository,
  SessionRecord, SessionRepository, UserRecord, UserRepository,
} from '../port.js';
import type { AuditDoc, CaseDoc, DocChunkDoc, Models, SessionDoc, UserDoc } from './models.js';
import { isDuplicateKey, toAudit, toBytes, toCase, toSession, toUser } from './records.js';

export { MongoMembershipRepository } from './memberships.js';

/** Accounts in the `users` collection; the unique email index enforces one account per email. */
export class MongoUserRepository implements UserRepository {
  constructor(private readonly m: Models) {}

  async create(u: UserRecord): Promise<void> {
    try {
      await this.m.User.create({
        _id: u.id, email: u.email, name: u.name, discipline: u.discipline, passwordHash: u.passwordHash, createdAt: u.createdAt,
        reminderMinutes: u.reminderMinutes, calendarTokenHash: u.calendarTokenHash,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Only two unique keys exist (_id, email); tell them apart by what is stored, not by the
      // error's message. An existing user with this id and another email means an id clash.
      const sameId = await this.m.User.findById(u.id).lean<UserDoc>();
      throw new UniqueViolation(sameId && sameId.email !== u.email ? 'id' : 'email');
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    const d = await this.m.User.findById(id).lean<UserDoc>();
    return d ? toUser(d) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const d = await this.m.User.findOne({ email }).lean<UserDoc>();
    return d ? toUser(d) : null;
  }

  async findManyByIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.m.User.find({ _id: { $in: ids } }).lean<UserDoc[]>();
    return docs.map(toUser);
  }

  async updateSettings(id: string, changes: { reminderMinutes?: number }): Promise<UserRecord | null> {
    const set = changes.reminderMinutes !== undefined ? { reminderMinutes: changes.reminderMinutes } : {};
    const d = await this.m.User.findOneAndUpdate({ _id: id }, { $set: set }, { new: true }).lean<UserDoc>();
    return d ? toUser(d) : null;
  }

  async setCalendarToken(id: string, hash: string | null): Promise<void> {
    await this.m.User.updateOne({ _id: id }, { $set: { calendarTokenHash: hash } });
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.m.User.updateOne({ _id: id }, { $set: { passwordHash: hash } });
  }

  async findByCalendarToken(hash: string): Promise<UserRecord | null> {
    // $type repeats the partial index's filter, so the query planner may use that index.
    const d = await this.m.User.findOne({ calendarTokenHash: { $eq: hash, $type: 'string' } }).lean<UserDoc>();
    return d ? toUser(d) : null;
  }
}

/** Sessions keyed by the hash of their secret; expiry compares ISO strings, as sqlite does. */
export class MongoSessionRepository implements SessionRepository {
  constructor(private readonly m: Models) {}

  async create(s: SessionRecord): Promise<void> {
    await this.m.Session.create({ _id: s.id, userId: s.userId, createdAt: s.createdAt, expiresAt: s.expiresAt });
  }

  async findValid(id: string, now: string): Promise<SessionRecord | null> {
    const d = await this.m.Session.findOne({ _id: id, expiresAt: { $gt: now } }).lean<SessionDoc>();
    return d ? toSession(d) : null;
  }

  async extend(id: string, expiresAt: string): Promise<void> {
    await this.m.Session.updateOne({ _id: id }, { $set: { expiresAt } });
  }

  async delete(id: string): Promise<void> {
    await this.m.Session.deleteOne({ _id: id });
  }

  async deleteForUser(userId: string): Promise<string[]> {
    const sessions = await this.m.Session.find({ userId }, { _id: 1 }).lean<{ _id: string }[]>();
    const ids = sessions.map((x) => x._id);
    if (ids.length > 0) await this.m.Session.deleteMany({ _id: { $in: ids } });
    return ids;
  }

  async deleteExpired(now: string): Promise<number> {
    const r = await this.m.Session.deleteMany({ expiresAt: { $lte: now } });
    return r.deletedCount;
  }
}

/** Cases in the `cases` collection; membership is looked up in `memberships`. */
export class MongoCaseRepository implements CaseRepository {
  constructor(private readonly m: Models) {}

  async create(c: CaseRecord): Promise<void> {
    try {
      await this.m.Case.create({
        _id: c.id, title: c.title, patientRef: c.patientRef, problem: c.problem, resistance: c.resistance,
        requiredDisciplines: c.requiredDisciplines, status: c.status, createdBy: c.createdBy, createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async findById(id: string): Promise<CaseRecord | null> {
    const d = await this.m.Case.findById(id).lean<CaseDoc>();
    return d ? toCase(d) : null;
  }

  async listForUser(userId: string, opts: { archived: boolean }): Promise<CaseRecord[]> {
    const memberships = await this.m.Membership.find({ userId }, { caseId: 1, _id: 0 }).lean<{ caseId: string }[]>();
    if (memberships.length === 0) return [];
    const docs = await this.m.Case
      .find({ _id: { $in: memberships.map((x) => x.caseId) }, status: opts.archived ? 'archived' : { $ne: 'archived' } })
      .sort({ updatedAt: -1, _id: 1 })
      .lean<CaseDoc[]>();
    return docs.map(toCase);
  }

  async update(id: string, changes: CaseChanges, updatedAt: string): Promise<CaseRecord | null> {
    const set: Partial<CaseDoc> = { updatedAt };
    if (changes.title !== undefined) set.title = changes.title;
    if (changes.patientRef !== undefined) set.patientRef = changes.patientRef;
    if (changes.problem !== undefined) set.problem = changes.problem;
    if (changes.resistance !== undefined) set.resistance = changes.resistance;
    if (changes.requiredDisciplines !== undefined) set.requiredDisciplines = changes.requiredDisciplines;
    if (changes.status !== undefined) set.status = changes.status;
    const d = await this.m.Case.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' }).lean<CaseDoc>();
    return d ? toCase(d) : null;
  }

  async delete(id: string): Promise<void> {
    // The case first, then what belongs to it (as sqlite's ON DELETE CASCADE does): a failure
    // in between leaves only rows that point at nothing, which no listing reaches. Unread
    // counts are found through the case's threads, so they go before the threads.
    await this.m.Case.deleteOne({ _id: id });
    await this.m.Membership.deleteMany({ caseId: id });
    const threads = await this.m.Thread.find({ caseId: id }, { _id: 1 }).lean<{ _id: string }[]>();
    if (threads.length > 0) await this.m.Unread.deleteMany({ threadId: { $in: threads.map((t) => t._id) } });
    await this.m.Message.deleteMany({ caseId: id });
    await this.m.Thread.deleteMany({ caseId: id });
    await this.m.CaseItem.deleteMany({ caseId: id });
  }
}

/** A MongoDB document holds at most 16 MB; parts stay well under it, with room for the fields. */
export const MAX_PART_BYTES = 8 * 1024 * 1024;

/**
 * Yjs logs: one document per chunk, so appends and compactions never rewrite each other. A chunk
 * bigger than a MongoDB document may be (a large brief's snapshot) is stored in parts that load
 * back as one; a group missing a part (a write cut short) is not loaded, and its writer, never
 * told it succeeded, writes it again.
 */
export class MongoDocumentRepository implements DocumentRepository {
  constructor(private readonly m: Models) {}

  async append(docName: string, update: Uint8Array): Promise<void> {
    await this.m.DocChunk.insertMany(this.chunkDocs(docName, update, 0));
  }

  async appendMany(entries: { docName: string; update: Uint8Array }[]): Promise<void> {
    if (entries.length === 0) return;
    // One round trip for the whole group; an error rejects it all and the hub retries (a chunk
    // stored twice is harmless: Yjs updates are idempotent).
    await this.m.DocChunk.insertMany(entries.flatMap((e) => this.chunkDocs(e.docName, e.update, 0)), { ordered: false });
  }

  async load(docName: string): Promise<DocumentChunk[]> {
    const docs = await this.m.DocChunk.find({ docName }, { _id: 1, data: 1, level: 1, group: 1, part: 1, parts: 1 })
      .lean<{ _id: string; data: unknown; level?: number; group?: string; part?: number; parts?: number }[]>();
    const whole: DocumentChunk[] = [];
    const groups = new Map<string, { parts: number; level: ChunkLevel; pieces: Map<number, Uint8Array> }>();
    for (const d of docs) {
      const level = toLevel(d.level);
      if (!d.group) {
        whole.push({ id: d._id, data: toBytes(d.data), level });
        continue;
      }
      const g = groups.get(d.group) ?? { parts: d.parts ?? 0, level, pieces: new Map() };
      g.pieces.set(d.part ?? 0, toBytes(d.data));
      groups.set(d.group, g);
    }
    for (const [id, g] of groups) {
      if (g.pieces.size !== g.parts) continue;
      const pieces = [...g.pieces.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
      whole.push({ id, data: Buffer.concat(pieces), level: g.level });
    }
    return whole;
  }

  async compact(docName: string, snapshot: Uint8Array, replaces: string[], level: 1 | 2 = 2): Promise<void> {
    // Snapshot first, deletions second, and only of the named chunks: if we stop in between,
    // the log merely holds the same edits twice (Yjs updates are idempotent), and chunks
    // appended meanwhile, or replaced by a racing compaction's snapshot, are never touched.
    await this.m.DocChunk.insertMany(this.chunkDocs(docName, snapshot, level));
    if (replaces.length > 0) await this.m.DocChunk.deleteMany({ docName, $or: [{ _id: { $in: replaces } }, { group: { $in: replaces } }] });
  }

  /** One stored document for an update that fits, or its parts (all of one group) for one that does not. */
  private chunkDocs(docName: string, data: Uint8Array, level: ChunkLevel): DocChunkDoc[] {
    const createdAt = new Date();
    if (data.byteLength <= MAX_PART_BYTES) return [{ _id: randomUUID(), docName, data: Buffer.from(data), level, createdAt }];
    const group = randomUUID();
    const parts = Math.ceil(data.byteLength / MAX_PART_BYTES);
    return Array.from({ length: parts }, (_, part) => ({
      _id: randomUUID(), docName, data: Buffer.from(data.subarray(part * MAX_PART_BYTES, (part + 1) * MAX_PART_BYTES)), level, createdAt, group, part, parts,
    }));
  }
}

function toLevel(n: number | undefined): ChunkLevel {
  return n === 1 || n === 2 ? n : 0;
}

/** The append-only audit log, listed newest first. */
export class MongoAuditRepository implements AuditRepository {
  constructor(private readonly m: Models) {}

  async append(a: AuditRecord): Promise<void> {
    await this.m.Audit.create({
      _id: a.id, caseId: a.caseId, conferenceId: a.conferenceId, actorId: a.actorId, action: a.action, target: a.target, fields: a.fields, at: a.at,
    });
  }

  async listByCase(caseId: string, limit: number): Promise<AuditRecord[]> {
    if (limit <= 0) return []; // to MongoDB, limit(0) means "no limit"
    const docs = await this.m.Audit.find({ caseId }).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditDoc[]>();
    return docs.map(toAudit);
  }

  async listByConference(conferenceId: string, limit: number): Promise<AuditRecord[]> {
    if (limit <= 0) return [];
    const docs = await this.m.Audit.find({ conferenceId }).sort({ at: -1, _id: -1 }).limit(limit).lean<AuditDoc[]>();
    return docs.map(toAudit);
  }
}
