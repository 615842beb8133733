/**
 * Discussion threads and their messages (unread counts and notifications live in
 * notifications.ts). Every write is one single-document operation.
 */
import { UniqueViolation } from '../errors.js';
import type { MessageChanges, MessageRecord, MessageRepository, ThreadChanges, ThreadRecord, ThreadRepository } from '../port.js';
import type { MessageDoc, Models, ThreadDoc } from './models.js';
import { isDuplicateKey, toMessage, toThread } from './records.js';

/** The defined keys of a change, by name, so that nothing else reaches $set. */
function pick<T extends object, K extends keyof T>(changes: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const set: Partial<Pick<T, K>> = {};
  for (const k of keys) if (changes[k] !== undefined) set[k] = changes[k];
  return set;
}

const THREAD_FIELDS = ['status', 'resolvedBy', 'resolvedAt', 'deletedAt', 'lastActivityAt'] as const;
const MESSAGE_FIELDS = ['body', 'mentions', 'editedAt', 'deletedAt'] as const;

/** Threads in the `threads` collection; a deleted thread (deletedAt set) no longer finds, lists or changes. */
export class MongoThreadRepository implements ThreadRepository {
  constructor(private readonly m: Models) {}

  async create(t: ThreadRecord): Promise<void> {
    try {
      await this.m.Thread.create({
        _id: t.id, caseId: t.caseId, anchor: t.anchor, status: t.status, createdBy: t.createdBy, createdAt: t.createdAt,
        resolvedBy: t.resolvedBy, resolvedAt: t.resolvedAt, deletedAt: t.deletedAt, lastActivityAt: t.lastActivityAt,
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async find(caseId: string, id: string): Promise<ThreadRecord | null> {
    // `deletedAt: null` matches a stored null (and a missing field).
    const d = await this.m.Thread.findOne({ _id: id, caseId, deletedAt: null }).lean<ThreadDoc>();
    return d ? toThread(d) : null;
  }

  async listByCase(caseId: string): Promise<ThreadRecord[]> {
    const docs = await this.m.Thread.find({ caseId, deletedAt: null }).sort({ createdAt: 1, _id: 1 }).lean<ThreadDoc[]>();
    return docs.map(toThread);
  }

  async update(caseId: string, id: string, changes: ThreadChanges): Promise<ThreadRecord | null> {
    const set = pick(changes, THREAD_FIELDS);
    if (Object.keys(set).length === 0) return this.find(caseId, id);
    const d = await this.m.Thread
      .findOneAndUpdate({ _id: id, caseId, deletedAt: null }, { $set: set }, { returnDocument: 'after' })
      .lean<ThreadDoc>();
    return d ? toThread(d) : null;
  }

  async delete(caseId: string, id: string): Promise<void> {
    // The thread first, then what hangs off it (as sqlite's ON DELETE CASCADE does): a failure
    // in between leaves only messages and counts of a thread that no longer exists, and a
    // repeated call clears them. Every filter names the case, so another case's id touches nothing.
    await this.m.Thread.deleteOne({ _id: id, caseId });
    await this.m.Message.deleteMany({ caseId, threadId: id });
    await this.m.Unread.deleteMany({ threadId: id, caseId });
  }
}

/** Messages in the `messages` collection, one per (authorId, requestId) through a unique index. */
export class MongoMessageRepository implements MessageRepository {
  constructor(private readonly m: Models) {}

  async create(r: MessageRecord): Promise<void> {
    try {
      await this.m.Message.create({
        _id: r.id, caseId: r.caseId, threadId: r.threadId, authorId: r.authorId, body: r.body, mentions: r.mentions, seq: r.seq,
        requestId: r.requestId, createdAt: r.createdAt, editedAt: r.editedAt, deletedAt: r.deletedAt,
      });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      // Two unique keys exist (_id and authorId + requestId); tell them apart by what is
      // stored, not by the error's message. A stored request wins: a retried post is a repeat.
      const sameRequest = await this.m.Message.exists({ authorId: r.authorId, requestId: r.requestId });
      throw new UniqueViolation(sameRequest ? 'request' : 'id');
    }
  }

  async findByRequest(authorId: string, requestId: string): Promise<MessageRecord | null> {
    const d = await this.m.Message.findOne({ authorId, requestId }).lean<MessageDoc>();
    return d ? toMessage(d) : null;
  }

  async find(caseId: string, id: string): Promise<MessageRecord | null> {
    const d = await this.m.Message.findOne({ _id: id, caseId }).lean<MessageDoc>();
    return d ? toMessage(d) : null;
  }

  async listByCase(caseId: string): Promise<MessageRecord[]> {
    const docs = await this.m.Message.find({ caseId }).sort({ seq: 1, _id: 1 }).lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  async listByThread(caseId: string, threadId: string): Promise<MessageRecord[]> {
    const docs = await this.m.Message.find({ caseId, threadId }).sort({ seq: 1, _id: 1 }).lean<MessageDoc[]>();
    return docs.map(toMessage);
  }

  async update(caseId: string, id: string, changes: MessageChanges): Promise<MessageRecord | null> {
    const set = pick(changes, MESSAGE_FIELDS);
    if (Object.keys(set).length === 0) return this.find(caseId, id);
    const d = await this.m.Message.findOneAndUpdate({ _id: id, caseId }, { $set: set }, { returnDocument: 'after' }).lean<MessageDoc>();
    return d ? toMessage(d) : null;
  }
}
