import type Database from 'better-sqlite3';
import { UniqueViolation } from '../errors.js';
import type { ConferenceRecord, ConferenceRepository } from '../port.js';
import { isUniqueError } from './rows.js';

interface ConferenceRow { id: string; doc: string; version: number }

const toRecord = (r: ConferenceRow): ConferenceRecord => ({ ...(JSON.parse(r.doc) as ConferenceRecord), version: r.version });

/**
 * Conferences stored whole as JSON with a version for optimistic updates, and two index tables
 * (people, cases) rewritten in the same transaction so the visibility queries stay exact.
 */
export class SqliteConferenceRepository implements ConferenceRepository {
  constructor(private readonly db: Database.Database) {}

  private writeIndexes(r: ConferenceRecord): void {
    this.db.prepare('DELETE FROM conference_people WHERE conference_id = ?').run(r.id);
    this.db.prepare('DELETE FROM conference_cases WHERE conference_id = ?').run(r.id);
    const person = this.db.prepare('INSERT INTO conference_people (conference_id, user_id) VALUES (?, ?)');
    for (const id of new Set(r.peopleIds)) person.run(r.id, id);
    const kase = this.db.prepare('INSERT INTO conference_cases (conference_id, case_id) VALUES (?, ?)');
    for (const id of new Set(r.caseIds)) kase.run(r.id, id);
  }

  async create(r: ConferenceRecord): Promise<void> {
    try {
      this.db.transaction(() => {
        this.db
          .prepare('INSERT INTO conferences (id, doc, version, status, span_start, span_end) VALUES (?, ?, ?, ?, ?, ?)')
          .run(r.id, JSON.stringify(r), r.version, r.status, r.spanStart, r.spanEnd);
        this.writeIndexes(r);
      }).immediate();
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async find(id: string): Promise<ConferenceRecord | null> {
    const row = this.db.prepare('SELECT id, doc, version FROM conferences WHERE id = ?').get(id) as ConferenceRow | undefined;
    return row ? toRecord(row) : null;
  }

  async update(r: ConferenceRecord, expectedVersion: number): Promise<ConferenceRecord | 'conflict' | null> {
    const outcome = this.db.transaction((): 'ok' | 'conflict' | 'gone' => {
      const changed = this.db
        .prepare('UPDATE conferences SET doc = ?, version = ?, status = ?, span_start = ?, span_end = ? WHERE id = ? AND version = ?')
        .run(JSON.stringify(r), r.version, r.status, r.spanStart, r.spanEnd, r.id, expectedVersion).changes;
      if (changed === 0) return this.db.prepare('SELECT 1 FROM conferences WHERE id = ?').get(r.id) ? 'conflict' : 'gone';
      this.writeIndexes(r);
      return 'ok';
    }).immediate();
    if (outcome === 'gone') return null;
    if (outcome === 'conflict') return 'conflict';
    return this.find(r.id);
  }

  async listVisible(userId: string, caseIds: string[]): Promise<ConferenceRecord[]> {
    const rows = this.db
      .prepare(
        `SELECT id, doc, version FROM conferences WHERE id IN (
           SELECT conference_id FROM conference_people WHERE user_id = ?
           UNION SELECT conference_id FROM conference_cases WHERE case_id IN (SELECT value FROM json_each(?)))
         ORDER BY span_start, id`,
      )
      .all(userId, JSON.stringify(caseIds)) as ConferenceRow[];
    return rows.map(toRecord);
  }

  async listByCase(caseId: string): Promise<ConferenceRecord[]> {
    const rows = this.db
      .prepare('SELECT id, doc, version FROM conferences WHERE id IN (SELECT conference_id FROM conference_cases WHERE case_id = ?) ORDER BY span_start, id')
      .all(caseId) as ConferenceRow[];
    return rows.map(toRecord);
  }

  async listForPeople(userIds: string[], from: string, to: string): Promise<ConferenceRecord[]> {
    if (userIds.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT id, doc, version FROM conferences
         WHERE status = 'scheduled' AND span_start < ? AND span_end > ?
           AND id IN (SELECT conference_id FROM conference_people WHERE user_id IN (SELECT value FROM json_each(?)))
         ORDER BY span_start, id`,
      )
      .all(to, from, JSON.stringify(userIds)) as ConferenceRow[];
    return rows.map(toRecord);
  }

  async listScheduled(from: string, to: string): Promise<ConferenceRecord[]> {
    const rows = this.db
      .prepare(`SELECT id, doc, version FROM conferences WHERE status = 'scheduled' AND span_start < ? AND span_end > ? ORDER BY span_start, id`)
      .all(to, from) as ConferenceRow[];
    return rows.map(toRecord);
  }
}
