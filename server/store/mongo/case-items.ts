/**
 * A case's small collections (evidence, stakeholder log, readiness, coverage), all in the one
 * `caseItems` collection and told apart by `kind`. Changes are whole-item replacements guarded
 * by an optimistic version check in a single conditional update.
 */
import { UniqueViolation } from '../errors.js';
import type { CaseItemRecord, CaseItemRepository } from '../port.js';
import type { CaseItemDoc, CaseItemKind, Models } from './models.js';
import { isDuplicateKey, toCaseItem } from './records.js';

/** One kind of case item in the shared `caseItems` collection; every query names the kind. */
export class MongoCaseItemRepository<D> implements CaseItemRepository<D> {
  constructor(
    private readonly m: Models,
    private readonly kind: CaseItemKind,
  ) {}

  async create(r: CaseItemRecord<D>): Promise<void> {
    try {
      await this.m.CaseItem.create({
        _id: r.id, kind: this.kind, caseId: r.caseId, data: r.data, version: r.version, createdBy: r.createdBy,
        createdAt: r.createdAt, updatedAt: r.updatedAt,
      });
    } catch (err) {
      if (isDuplicateKey(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async find(caseId: string, id: string): Promise<CaseItemRecord<D> | null> {
    const d = await this.m.CaseItem.findOne({ _id: id, caseId, kind: this.kind }).lean<CaseItemDoc>();
    return d ? toCaseItem<D>(d) : null;
  }

  async list(caseId: string): Promise<CaseItemRecord<D>[]> {
    const docs = await this.m.CaseItem.find({ caseId, kind: this.kind }).sort({ createdAt: 1, _id: 1 }).lean<CaseItemDoc[]>();
    return docs.map((d) => toCaseItem<D>(d));
  }

  async listForCases(caseIds: string[]): Promise<CaseItemRecord<D>[]> {
    if (caseIds.length === 0) return [];
    const docs = await this.m.CaseItem
      .find({ caseId: { $in: caseIds }, kind: this.kind })
      .sort({ createdAt: 1, _id: 1 })
      .lean<CaseItemDoc[]>();
    return docs.map((d) => toCaseItem<D>(d));
  }

  async update(caseId: string, id: string, data: D, expectedVersion: number, updatedAt: string): Promise<CaseItemRecord<D> | 'conflict' | null> {
    // The version check and the change are one atomic write: of two racing updates from the
    // same version, exactly one matches.
    const d = await this.m.CaseItem
      .findOneAndUpdate(
        { _id: id, caseId, kind: this.kind, version: expectedVersion },
        { $set: { data, updatedAt }, $inc: { version: 1 } },
        { returnDocument: 'after' },
      )
      .lean<CaseItemDoc>();
    if (d) return toCaseItem<D>(d);
    const exists = await this.m.CaseItem.exists({ _id: id, caseId, kind: this.kind });
    return exists ? 'conflict' : null;
  }

  async delete(caseId: string, id: string): Promise<boolean> {
    const r = await this.m.CaseItem.deleteOne({ _id: id, caseId, kind: this.kind });
    return r.deletedCount > 0;
  }
}
