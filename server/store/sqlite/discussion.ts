import type Database from 'better-sqlite3';
import { UniqueViolation } from '../errors.js';
import type {
  MessageChanges, MessageRecord, MessageRepository, NotificationRecord, NotificationRepository, ThreadChanges,
  ThreadRecord, ThreadRepository, UnreadRepository,
} from '../port.js';
import { isUniqueError } from './rows.js';

type Db = Database.Database;

interface ThreadRow {
  id: string; case_id: string; anchor: string; status: string; created_by: string; created_at: string;
  resolved_by: string | null; resolved_at: string | null; deleted_at: string | null; last_activity_at: string;
}
interface MessageRow {
  id: string; case_id: string; thread_id: string; author_id: string; body: string; mentions: string; seq: number;
  request_id: string; created_at: string; edited_at: string | null; deleted_at: string | null;
}
interface NotificationRow {
  id: string; user_id: string; case_id: string | null; kind: string; thread_id: string | null;
  conference_id: string | null; occurrence: string | null; actor_id: string | null; created_at: string; read_at: string | null;
}

const toThread = (r: ThreadRow): ThreadRecord => ({
  id: r.id, caseId: r.case_id, anchor: JSON.parse(r.anchor) as ThreadRecord['anchor'], status: r.status as ThreadRecord['status'],
  createdBy: r.created_by, createdAt: r.created_at, resolvedBy: r.resolved_by, resolvedAt: r.resolved_at,
  deletedAt: r.deleted_at, lastActivityAt: r.last_activity_at,
});

const toMessage = (r: MessageRow): MessageRecord => ({
  id: r.id, caseId: r.case_id, threadId: r.thread_id, authorId: r.author_id, body: r.body,
  mentions: JSON.parse(r.mentions) as string[], seq: r.seq, requestId: r.request_id, createdAt: r.created_at,
  editedAt: r.edited_at, deletedAt: r.deleted_at,
});

const toNotification = (r: NotificationRow): NotificationRecord => ({
  id: r.id, userId: r.user_id, caseId: r.case_id, kind: r.kind as NotificationRecord['kind'], threadId: r.thread_id,
  conferenceId: r.conference_id, occurrence: r.occurrence, actorId: r.actor_id, createdAt: r.created_at, readAt: r.read_at,
});

/** Builds "a = @a, b = @b" from the defined keys of a change, with column names. */
function setClause(changes: Record<string, unknown>, columns: Record<string, string>, json: string[] = []): { sql: string; params: Record<string, unknown> } {
  const sets: string[] = [];
  const params: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || !columns[key]) continue;
    sets.push(`${columns[key]} = @${key}`);
    params[key] = json.includes(key) ? JSON.stringify(value) : value;
  }
  return { sql: sets.join(', '), params };
}

export class SqliteThreadRepository implements ThreadRepository {
  constructor(private readonly db: Db) {}

  async create(t: ThreadRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO threads (id, case_id, anchor, status, created_by, created_at, resolved_by, resolved_at, deleted_at, last_activity_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(t.id, t.caseId, JSON.stringify(t.anchor), t.status, t.createdBy, t.createdAt, t.resolvedBy, t.resolvedAt, t.deletedAt, t.lastActivityAt);
  }

  async find(caseId: string, id: string): Promise<ThreadRecord | null> {
    const row = this.db.prepare('SELECT * FROM threads WHERE id = ? AND case_id = ? AND deleted_at IS NULL').get(id, caseId) as ThreadRow | undefined;
    return row ? toThread(row) : null;
  }

  async listByCase(caseId: string): Promise<ThreadRecord[]> {
    const rows = this.db.prepare('SELECT * FROM threads WHERE case_id = ? AND deleted_at IS NULL ORDER BY created_at, id').all(caseId) as ThreadRow[];
    return rows.map(toThread);
  }

  async update(caseId: string, id: string, changes: ThreadChanges): Promise<ThreadRecord | null> {
    const { sql, params } = setClause(changes, {
      status: 'status', resolvedBy: 'resolved_by', resolvedAt: 'resolved_at', deletedAt: 'deleted_at', lastActivityAt: 'last_activity_at',
    });
    if (!sql) return this.find(caseId, id);
    const row = this.db
      .prepare(`UPDATE threads SET ${sql} WHERE id = @id AND case_id = @caseId AND deleted_at IS NULL RETURNING *`)
      .get({ ...params, id, caseId }) as ThreadRow | undefined;
    return row ? toThread(row) : null;
  }

  async delete(caseId: string, id: string): Promise<void> {
    this.db.prepare('DELETE FROM threads WHERE id = ? AND case_id = ?').run(id, caseId);
  }
}

export class SqliteMessageRepository implements MessageRepository {
  constructor(private readonly db: Db) {}

  async create(m: MessageRecord): Promise<void> {
    try {
      this.db
        .prepare(
          `INSERT INTO messages (id, case_id, thread_id, author_id, body, mentions, seq, request_id, created_at, edited_at, deleted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.id, m.caseId, m.threadId, m.authorId, m.body, JSON.stringify(m.mentions), m.seq, m.requestId, m.createdAt, m.editedAt, m.deletedAt);
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation(String(err).includes('request_id') ? 'request' : 'id');
      throw err;
    }
  }

  async findByRequest(authorId: string, requestId: string): Promise<MessageRecord | null> {
    const row = this.db.prepare('SELECT * FROM messages WHERE author_id = ? AND request_id = ?').get(authorId, requestId) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  async find(caseId: string, id: string): Promise<MessageRecord | null> {
    const row = this.db.prepare('SELECT * FROM messages WHERE id = ? AND case_id = ?').get(id, caseId) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  async listByCase(caseId: string): Promise<MessageRecord[]> {
    const rows = this.db.prepare('SELECT * FROM messages WHERE case_id = ? ORDER BY seq, id').all(caseId) as MessageRow[];
    return rows.map(toMessage);
  }

  async listByThread(caseId: string, threadId: string): Promise<MessageRecord[]> {
    const rows = this.db.prepare('SELECT * FROM messages WHERE case_id = ? AND thread_id = ? ORDER BY seq, id').all(caseId, threadId) as MessageRow[];
    return rows.map(toMessage);
  }

  async update(caseId: string, id: string, changes: MessageChanges): Promise<MessageRecord | null> {
    const { sql, params } = setClause(changes, { body: 'body', mentions: 'mentions', editedAt: 'edited_at', deletedAt: 'deleted_at' }, ['mentions']);
    if (!sql) return this.find(caseId, id);
    const row = this.db.prepare(`UPDATE messages SET ${sql} WHERE id = @id AND case_id = @caseId RETURNING *`).get({ ...params, id, caseId }) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }
}

export class SqliteUnreadRepository implements UnreadRepository {
  constructor(private readonly db: Db) {}

  async add(caseId: string, threadId: string, userIds: string[]): Promise<void> {
    const bump = this.db.prepare(
      `INSERT INTO unread (user_id, thread_id, case_id, count) VALUES (?, ?, ?, 1)
       ON CONFLICT (user_id, thread_id) DO UPDATE SET count = count + 1`,
    );
    this.db.transaction(() => {
      for (const userId of userIds) bump.run(userId, threadId, caseId);
    })();
  }

  async clear(userId: string, threadId: string): Promise<void> {
    this.db.prepare('DELETE FROM unread WHERE user_id = ? AND thread_id = ?').run(userId, threadId);
  }

  async clearThread(threadId: string): Promise<void> {
    this.db.prepare('DELETE FROM unread WHERE thread_id = ?').run(threadId);
  }

  async byThread(userId: string, caseId: string): Promise<Map<string, number>> {
    const rows = this.db.prepare('SELECT thread_id, count FROM unread WHERE user_id = ? AND case_id = ? AND count > 0').all(userId, caseId) as { thread_id: string; count: number }[];
    return new Map(rows.map((r) => [r.thread_id, r.count]));
  }

  async byCase(userId: string, caseIds: string[]): Promise<Map<string, number>> {
    if (caseIds.length === 0) return new Map();
    const rows = this.db
      .prepare(
        `SELECT case_id, SUM(count) AS n FROM unread
         WHERE user_id = ? AND case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id HAVING n > 0`,
      )
      .all(userId, JSON.stringify(caseIds)) as { case_id: string; n: number }[];
    return new Map(rows.map((r) => [r.case_id, r.n]));
  }
}

export class SqliteNotificationRepository implements NotificationRepository {
  constructor(private readonly db: Db) {}

  async create(records: NotificationRecord[]): Promise<void> {
    const insert = this.insert('INSERT');
    this.db.transaction(() => {
      for (const n of records) insert.run(...this.values(n));
    })();
  }

  async createOnce(n: NotificationRecord): Promise<boolean> {
    return this.insert('INSERT OR IGNORE').run(...this.values(n)).changes > 0;
  }

  private insert(verb: 'INSERT' | 'INSERT OR IGNORE') {
    return this.db.prepare(
      `${verb} INTO notifications (id, user_id, case_id, kind, thread_id, conference_id, occurrence, actor_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  private values(n: NotificationRecord) {
    return [n.id, n.userId, n.caseId, n.kind, n.threadId, n.conferenceId, n.occurrence, n.actorId, n.createdAt, n.readAt] as const;
  }

  async find(userId: string, id: string): Promise<NotificationRecord | null> {
    const row = this.db.prepare('SELECT * FROM notifications WHERE id = ? AND user_id = ?').get(id, userId) as NotificationRow | undefined;
    return row ? toNotification(row) : null;
  }

  async listForUser(userId: string, limit: number): Promise<NotificationRecord[]> {
    const rows = this.db.prepare('SELECT * FROM notifications WHERE user_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(userId, limit) as NotificationRow[];
    return rows.map(toNotification);
  }

  async countUnread(userId: string): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM notifications WHERE user_id = ? AND read_at IS NULL').get(userId) as { n: number }).n;
  }

  async markRead(userId: string, ids: string[] | 'all' | { caseId: string }, at: string): Promise<number> {
    if (ids === 'all') return this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL').run(at, userId).changes;
    if (!Array.isArray(ids)) {
      return this.db.prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND case_id = ? AND read_at IS NULL').run(at, userId, ids.caseId).changes;
    }
    if (ids.length === 0) return 0;
    return this.db
      .prepare('UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL AND id IN (SELECT value FROM json_each(?))')
      .run(at, userId, JSON.stringify(ids)).changes;
  }
}
