import type Database from 'better-sqlite3';
import { UniqueViolation } from '../errors.js';
import type { CaseItemRecord, CaseItemRepository } from '../port.js';
import { isUniqueError } from './rows.js';

interface ItemRow { id: string; kind: string; case_id: string; data: string; version: number; created_by: string; created_at: string; updated_at: string }

/** One kind of case item (evidence, stakeholder entry, readiness item, coverage request) in the shared `case_items` table. */
export class SqliteCaseItemRepository<D> implements CaseItemRepository<D> {
  constructor(
    private readonly db: Database.Database,
    private readonly kind: string,
  ) {}

  private toRecord(r: ItemRow): CaseItemRecord<D> {
    return { id: r.id, caseId: r.case_id, data: JSON.parse(r.data) as D, version: r.version, createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at };
  }

  async create(r: CaseItemRecord<D>): Promise<void> {
    try {
      this.db
        .prepare('INSERT INTO case_items (id, kind, case_id, data, version, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(r.id, this.kind, r.caseId, JSON.stringify(r.data), r.version, r.createdBy, r.createdAt, r.updatedAt);
    } catch (err) {
      if (isUniqueError(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async find(caseId: string, id: string): Promise<CaseItemRecord<D> | null> {
    const row = this.db.prepare('SELECT * FROM case_items WHERE id = ? AND case_id = ? AND kind = ?').get(id, caseId, this.kind) as ItemRow | undefined;
    return row ? this.toRecord(row) : null;
  }

  async list(caseId: string): Promise<CaseItemRecord<D>[]> {
    const rows = this.db.prepare('SELECT * FROM case_items WHERE case_id = ? AND kind = ? ORDER BY created_at, id').all(caseId, this.kind) as ItemRow[];
    return rows.map((r) => this.toRecord(r));
  }

  async listForCases(caseIds: string[]): Promise<CaseItemRecord<D>[]> {
    if (caseIds.length === 0) return [];
    const rows = this.db
      .prepare('SELECT * FROM case_items WHERE kind = ? AND case_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id')
      .all(this.kind, JSON.stringify(caseIds)) as ItemRow[];
    return rows.map((r) => this.toRecord(r));
  }

  async update(caseId: string, id: string, data: D, expectedVersion: number, updatedAt: string): Promise<CaseItemRecord<D> | 'conflict' | null> {
    const row = this.db
      .prepare(
        `UPDATE case_items SET data = ?, version = version + 1, updated_at = ?
         WHERE id = ? AND case_id = ? AND kind = ? AND version = ? RETURNING *`,
      )
      .get(JSON.stringify(data), updatedAt, id, caseId, this.kind, expectedVersion) as ItemRow | undefined;
    if (row) return this.toRecord(row);
    return (await this.find(caseId, id)) ? 'conflict' : null;
  }

  async delete(caseId: string, id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM case_items WHERE id = ? AND case_id = ? AND kind = ?').run(id, caseId, this.kind).changes > 0;
  }
}
