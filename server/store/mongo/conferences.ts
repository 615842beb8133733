/**
 * Conferences in the `conferences` collection: one document each, replaced whole on a version
 * match (a single-document conditional write), with indexed `peopleIds` and `caseIds` arrays for
 * the visibility queries.
 */
import { UniqueViolation } from '../errors.js';
import type { ConferenceRecord, ConferenceRepository } from '../port.js';
import type { ConferenceDoc, Models } from './models.js';
import { isDuplicateKey } from './records.js';

const toRecord = ({ _id, ...rest }: ConferenceDoc): ConferenceRecord => ({ id: _id, ...rest });
const toDoc = ({ id, ...rest }: ConferenceRecord): ConferenceDoc => ({ _id: id, ...rest });
const bySpan = { spanStart: 1, _id: 1 } as const;

export class MongoConferenceRepository implements ConferenceRepository {
  constructor(private readonly m: Models) {}

  async create(r: ConferenceRecord): Promise<void> {
    try {
      await this.m.Conference.create(toDoc(r));
    } catch (err) {
      if (isDuplicateKey(err)) throw new UniqueViolation('id');
      throw err;
    }
  }

  async find(id: string): Promise<ConferenceRecord | null> {
    const d = await this.m.Conference.findById(id).lean<ConferenceDoc>();
    return d ? toRecord(d) : null;
  }

  async update(r: ConferenceRecord, expectedVersion: number): Promise<ConferenceRecord | 'conflict' | null> {
    const { _id, ...fields } = toDoc(r);
    const d = await this.m.Conference.findOneAndReplace({ _id, version: expectedVersion }, fields, { new: true }).lean<ConferenceDoc>();
    if (d) return toRecord(d);
    return (await this.m.Conference.exists({ _id })) ? 'conflict' : null;
  }

  async listVisible(userId: string, caseIds: string[]): Promise<ConferenceRecord[]> {
    const docs = await this.m.Conference.find({ $or: [{ peopleIds: userId }, { caseIds: { $in: caseIds } }] }).sort(bySpan).lean<ConferenceDoc[]>();
    return docs.map(toRecord);
  }

  async listByCase(caseId: string): Promise<ConferenceRecord[]> {
    const docs = await this.m.Conference.find({ caseIds: caseId }).sort(bySpan).lean<ConferenceDoc[]>();
    return docs.map(toRecord);
  }

  async listForPeople(userIds: string[], from: string, to: string): Promise<ConferenceRecord[]> {
    if (userIds.length === 0) return [];
    const docs = await this.m.Conference
      .find({ status: 'scheduled', spanStart: { $lt: to }, spanEnd: { $gt: from }, peopleIds: { $in: userIds } })
      .sort(bySpan).lean<ConferenceDoc[]>();
    return docs.map(toRecord);
  }

  async listScheduled(from: string, to: string): Promise<ConferenceRecord[]> {
    const docs = await this.m.Conference.find({ status: 'scheduled', spanStart: { $lt: to }, spanEnd: { $gt: from } }).sort(bySpan).lean<ConferenceDoc[]>();
    return docs.map(toRecord);
  }
}
