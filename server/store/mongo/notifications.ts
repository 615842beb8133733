/**
 * Per-user unread counts of discussion threads, and the notification inbox. Counting relies
 * on atomic single-document upserts ($inc) on a unique index, never on a transaction.
 */
import type { NotificationRecord, NotificationRepository, UnreadRepository } from '../port.js';
import type { Models, NotificationDoc } from './models.js';
import { isDuplicateKey, toNotification } from './records.js';

/** Unread counts in the `unread` collection: one document per (userId, threadId), bumped with $inc. */
export class MongoUnreadRepository implements UnreadRepository {
  constructor(private readonly m: Models) {}

  async add(caseId: string, threadId: string, userIds: string[]): Promise<void> {
    await Promise.all(userIds.map((userId) => this.bump(caseId, threadId, userId)));
  }

  async clear(userId: string, threadId: string): Promise<void> {
    await this.m.Unread.deleteOne({ threadId, userId });
  }

  async clearThread(threadId: string): Promise<void> {
    await this.m.Unread.deleteMany({ threadId });
  }

  async byThread(userId: string, caseId: string): Promise<Map<string, number>> {
    const docs = await this.m.Unread
      .find({ userId, caseId, count: { $gt: 0 } }, { threadId: 1, count: 1, _id: 0 })
      .lean<{ threadId: string; count: number }[]>();
    return new Map(docs.map((d) => [d.threadId, d.count]));
  }

  async byCase(userId: string, caseIds: string[]): Promise<Map<string, number>> {
    if (caseIds.length === 0) return new Map();
    // aggregate() does not cast through the schema; every value here is already a plain string.
    const rows = await this.m.Unread.aggregate<{ _id: string; n: number }>([
      { $match: { userId, caseId: { $in: caseIds }, count: { $gt: 0 } } },
      { $group: { _id: '$caseId', n: { $sum: '$count' } } },
    ]);
    return new Map(rows.filter((r) => r.n > 0).map((r) => [r._id, r.n]));
  }

  /**
   * One more unread message for one user: an upsert that increments, or inserts count 1.
   * Two first upserts racing on the unique index can make the loser fail with a duplicate
   * key; by then the document exists, so a single retry increments it.
   */
  private async bump(caseId: string, threadId: string, userId: string): Promise<void> {
    const upsert = () => this.m.Unread.updateOne({ threadId, userId }, { $inc: { count: 1 }, $setOnInsert: { caseId } }, { upsert: true });
    try {
      await upsert();
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await upsert();
    }
  }
}

const stored = (n: NotificationRecord): NotificationDoc => ({
  _id: n.id, userId: n.userId, caseId: n.caseId, kind: n.kind, threadId: n.threadId, conferenceId: n.conferenceId, occurrence: n.occurrence,
  actorId: n.actorId, createdAt: n.createdAt, readAt: n.readAt,
});

/** The notification inbox in the `notifications` collection, newest first per user. */
export class MongoNotificationRepository implements NotificationRepository {
  constructor(private readonly m: Models) {}

  async create(records: NotificationRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.m.Notification.insertMany(records.map(stored));
  }

  async createOnce(n: NotificationRecord): Promise<boolean> {
    // An upsert on _id: only the first call inserts; a racing second one either matches or, if
    // both tried to insert at once, loses on the unique _id and is told it was not new.
    try {
      const { _id, ...fields } = stored(n); // the upsert takes _id from the filter
      const res = await this.m.Notification.updateOne({ _id }, { $setOnInsert: fields }, { upsert: true });
      return res.upsertedCount === 1;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async find(userId: string, id: string): Promise<NotificationRecord | null> {
    const d = await this.m.Notification.findOne({ _id: id, userId }).lean<NotificationDoc>();
    return d ? toNotification(d) : null;
  }

  async listForUser(userId: string, limit: number): Promise<NotificationRecord[]> {
    if (limit <= 0) return []; // to MongoDB, limit(0) means "no limit"
    const docs = await this.m.Notification.find({ userId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<NotificationDoc[]>();
    return docs.map(toNotification);
  }

  async countUnread(userId: string): Promise<number> {
    return this.m.Notification.countDocuments({ userId, readAt: null });
  }

  async markRead(userId: string, ids: string[] | 'all' | { caseId: string }, at: string): Promise<number> {
    if (Array.isArray(ids) && ids.length === 0) return 0;
    const filter = ids === 'all' ? { userId, readAt: null } : Array.isArray(ids) ? { userId, readAt: null, _id: { $in: ids } } : { userId, readAt: null, caseId: ids.caseId };
    const r = await this.m.Notification.updateMany(filter, { $set: { readAt: at } });
    return r.modifiedCount;
  }
}
