import type Database from 'better-sqlite3';
import { UniqueViolation } from '../errors.js';
import type {
  AuditRecord, AuditRepository, CaseChanges, CaseRecord, CaseRepository, ChunkLevel, DocumentChunk, DocumentRepository,
  MembershipChangeResult, MembershipRecord, MembershipRepository, SessionRecord, SessionRepository, UserRecord,
  UserRepository,
} from '../port.js';
import {
  isUniqueError,
  toAudit, toCase, toMembership, toSession, toUser,
  type AuditRow, type CaseRow, type MembershipRow, type SessionRow, type UserRow,
} from './rows.js';

type Db = Database.Database;

export class SqliteUserRepository implements UserRepository {
  constructor(private readonly db: Db) {}

  async create(u: UserRecord): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO users (id, email, name, discipline, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(u.id, u.email, u.name, u.discipline, u.passwordHash, u.createdAt);
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation(String(err).includes('users.email') ? 'email' : 'id');
      throw err;
    }
  }

  async findById(id: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async findByEmail(email: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async findManyByIds(ids: string[]): Promise<UserRecord[]> {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare(`SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))`)
      .all(JSON.stringify(ids)) as UserRow[];
    return rows.map(toUser);
  }

  async updateSettings(id: string, changes: { reminderMinutes?: number }): Promise<UserRecord | null> {
    if (changes.reminderMinutes !== undefined) this.db.prepare('UPDATE users SET reminder_minutes = ? WHERE id = ?').run(changes.reminderMinutes, id);
    return this.findById(id);
  }

  async setCalendarToken(id: string, hash: string | null): Promise<void> {
    this.db.prepare('UPDATE users SET calendar_token_hash = ? WHERE id = ?').run(hash, id);
  }

  async setPasswordHash(id: string, hash: string): Promise<void> {
    this.db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, id);
  }

  async findByCalendarToken(hash: string): Promise<UserRecord | null> {
    const row = this.db.prepare('SELECT * FROM users WHERE calendar_token_hash = ?').get(hash) as UserRow | undefined;
    return row ? toUser(row) : null;
  }
}

export class SqliteSessionRepository implements SessionRepository {
  constructor(private readonly db: Db) {}

  async create(s: SessionRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)')
      .run(s.id, s.userId, s.createdAt, s.expiresAt);
  }

  async findValid(id: string, now: string): Promise<SessionRecord | null> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ? AND expires_at > ?').get(id, now) as SessionRow | undefined;
    return row ? toSession(row) : null;
  }

  async extend(id: string, expiresAt: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(expiresAt, id);
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
  }

  async deleteForUser(userId: string): Promise<string[]> {
    const rows = this.db.prepare('DELETE FROM sessions WHERE user_id = ? RETURNING id').all(userId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async deleteExpired(now: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes;
  }
}

export class SqliteCaseRepository implements CaseRepository {
  constructor(private readonly db: Db) {}

  async create(c: CaseRecord): Promise<void> {
    try {
      this.db
        .prepare(
          `INSERT INTO cases (id, title, patient_ref, problem, resistance, required_disciplines, status, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(c.id, c.title, c.patientRef, c.problem, JSON.stringify(c.resistance), JSON.stringify(c.requiredDisciplines),
          c.status, c.createdBy, c.createdAt, c.updatedAt);
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async findById(id: string): Promise<CaseRecord | null> {
    const row = this.db.prepare('SELECT * FROM cases WHERE id = ?').get(id) as CaseRow | undefined;
    return row ? toCase(row) : null;
  }

  async listForUser(userId: string, opts: { archived: boolean }): Promise<CaseRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT c.* FROM cases c JOIN memberships m ON m.case_id = c.id
         WHERE m.user_id = ? AND (c.status = 'archived') = ?
         ORDER BY c.updated_at DESC, c.id`,
      )
      .all(userId, opts.archived ? 1 : 0) as CaseRow[];
    return rows.map(toCase);
  }

  async update(id: string, changes: CaseChanges, updatedAt: string): Promise<CaseRecord | null> {
    const columns: Record<keyof CaseChanges, string> = {
      title: 'title', patientRef: 'patient_ref', problem: 'problem', resistance: 'resistance',
      requiredDisciplines: 'required_disciplines', status: 'status',
    };
    const sets: string[] = ['updated_at = @updatedAt'];
    const params: Record<string, unknown> = { id, updatedAt };
    for (const [key, value] of Object.entries(changes) as [keyof CaseChanges, unknown][]) {
      if (value === undefined) continue;
      sets.push(`${columns[key]} = @${key}`);
      params[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
    const row = this.db.prepare(`UPDATE cases SET ${sets.join(', ')} WHERE id = @id RETURNING *`).get(params) as CaseRow | undefined;
    return row ? toCase(row) : null;
  }

  async delete(id: string): Promise<void> {
    this.db.prepare('DELETE FROM cases WHERE id = ?').run(id);
  }
}

export class SqliteMembershipRepository implements MembershipRepository {
  constructor(private readonly db: Db) {}

  async add(m: MembershipRecord): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO memberships (case_id, user_id, role, discipline, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(m.caseId, m.userId, m.role, m.discipline, m.addedBy, m.addedAt);
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation('membership');
      throw err;
    }
  }

  async find(caseId: string, userId: string): Promise<MembershipRecord | null> {
    const row = this.db.prepare('SELECT * FROM memberships WHERE case_id = ? AND user_id = ?').get(caseId, userId) as MembershipRow | undefined;
    return row ? toMembership(row) : null;
  }

  async listByCase(caseId: string): Promise<MembershipRecord[]> {
    const rows = this.db.prepare('SELECT * FROM memberships WHERE case_id = ? ORDER BY added_at, user_id').all(caseId) as MembershipRow[];
    return rows.map(toMembership);
  }

  async update(caseId: string, userId: string, changes: { role?: MembershipRecord['role']; discipline?: MembershipRecord['discipline'] }): Promise<MembershipChangeResult> {
    return this.guarded(caseId, userId, changes.role !== undefined && changes.role !== 'owner', () => {
      const row = this.db
        .prepare(
          `UPDATE memberships SET role = COALESCE(@role, role), discipline = COALESCE(@discipline, discipline)
           WHERE case_id = @caseId AND user_id = @userId RETURNING *`,
        )
        .get({ caseId, userId, role: changes.role ?? null, discipline: changes.discipline ?? null }) as MembershipRow;
      return toMembership(row);
    });
  }

  async remove(caseId: string, userId: string): Promise<MembershipChangeResult> {
    return this.guarded(caseId, userId, true, () => {
      const row = this.db.prepare('DELETE FROM memberships WHERE case_id = ? AND user_id = ? RETURNING *').get(caseId, userId) as MembershipRow;
      return toMembership(row);
    });
  }

  /** Runs a change under sqlite's write lock, refusing it if it would leave the case with no owner. */
  private guarded(caseId: string, userId: string, losesOwnership: boolean, change: () => MembershipRecord): MembershipChangeResult {
    const run = this.db.transaction((): MembershipChangeResult => {
      const current = this.db.prepare('SELECT role FROM memberships WHERE case_id = ? AND user_id = ?').get(caseId, userId) as { role: string } | undefined;
      if (!current) return { ok: false, reason: 'not_found' };
      if (losesOwnership && current.role === 'owner') {
        const { n } = this.db.prepare(`SELECT COUNT(*) AS n FROM memberships WHERE case_id = ? AND role = 'owner'`).get(caseId) as { n: number };
        if (n <= 1) return { ok: false, reason: 'last_owner' };
      }
      return { ok: true, membership: change() };
    });
    return run.immediate();
  }
}

export class SqliteDocumentRepository implements DocumentRepository {
  // Prepared once: these run for every group commit of the open briefs (the hot path under load).
  private readonly insert;
  private readonly select;
  private readonly remove;
  private readonly insertMany;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT INTO doc_chunks (doc_name, data, level, created_at) VALUES (?, ?, ?, ?)');
    this.select = db.prepare('SELECT id, data, level FROM doc_chunks WHERE doc_name = ? ORDER BY id');
    this.remove = db.prepare('DELETE FROM doc_chunks WHERE doc_name = ? AND id = ?');
    this.insertMany = db.transaction((entries: { docName: string; update: Uint8Array }[], at: string) => {
      for (const e of entries) this.insert.run(e.docName, Buffer.from(e.update.buffer, e.update.byteOffset, e.update.byteLength), 0, at);
    });
  }

  async append(docName: string, update: Uint8Array): Promise<void> {
    this.insert.run(docName, Buffer.from(update), 0, new Date().toISOString());
  }

  async appendMany(entries: { docName: string; update: Uint8Array }[]): Promise<void> {
    if (entries.length > 0) this.insertMany.immediate(entries, new Date().toISOString());
  }

  async load(docName: string): Promise<DocumentChunk[]> {
    const rows = this.select.all(docName) as { id: number; data: Buffer; level: number }[];
    return rows.map((r) => ({ id: String(r.id), data: new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength), level: toLevel(r.level) }));
  }

  async compact(docName: string, snapshot: Uint8Array, replaces: string[], level: 1 | 2 = 2): Promise<void> {
    const run = this.db.transaction(() => {
      this.insert.run(docName, Buffer.from(snapshot), level, new Date().toISOString());
      for (const id of replaces) this.remove.run(docName, Number(id));
    });
    run.immediate();
  }
}

function toLevel(n: number): ChunkLevel {
  return n === 1 || n === 2 ? n : 0;
}

export class SqliteAuditRepository implements AuditRepository {
  constructor(private readonly db: Db) {}

  async append(a: AuditRecord): Promise<void> {
    this.db
      .prepare('INSERT INTO audit (id, case_id, conference_id, actor_id, action, target, fields, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(a.id, a.caseId, a.conferenceId, a.actorId, a.action, a.target, JSON.stringify(a.fields), a.at);
  }

  async listByCase(caseId: string, limit: number): Promise<AuditRecord[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE case_id = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(caseId, limit) as AuditRow[];
    return rows.map(toAudit);
  }

  async listByConference(conferenceId: string, limit: number): Promise<AuditRecord[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE conference_id = ? ORDER BY at DESC, rowid DESC LIMIT ?').all(conferenceId, limit) as AuditRow[];
    return rows.map(toAudit);
  }
}
