/**
 * Decision rounds and ballots. Closing is one conditional single-document update (status open →
 * closed), so a round closes exactly once; a ballot is one upsert on the unique (roundId,
 * voterId) index, so a member has one ballot per round.
 */
import type { BallotRecord, BallotRepository, RoundRecord, RoundRepository } from '../port.js';
import type { BallotDoc, Models, RoundDoc } from './models.js';
import { isDuplicateKey } from './records.js';

const toRound = (d: RoundDoc): RoundRecord => ({
  id: d._id, caseId: d.caseId, question: d.question ?? '', optionIds: [...d.optionIds], rule: d.rule, threshold: d.threshold ?? null,
  quorum: { minVoters: d.quorum.minVoters, requiredDisciplines: [...d.quorum.requiredDisciplines] }, closesAt: d.closesAt ?? null,
  visibility: d.visibility, status: d.status, openedBy: d.openedBy, openedAt: d.openedAt, closedAt: d.closedAt ?? null,
  closedBy: d.closedBy ?? null, result: d.result ?? null, counted: d.counted ?? null,
  briefText: d.briefText ?? null, briefState: d.briefState ?? null, recommendation: d.recommendation ?? null,
  remindersSent: [...(d.remindersSent ?? [])],
  record: d.record ?? null,
});

const toBallot = (d: BallotDoc): BallotRecord => ({
  roundId: d.roundId, caseId: d.caseId, voterId: d.voterId, discipline: d.discipline, defer: d.defer ?? null,
  stances: { ...d.stances }, version: d.version, castAt: d.castAt, updatedAt: d.updatedAt,
});

/** Decision rounds in the `rounds` collection. */
export class MongoRoundRepository implements RoundRepository {
  constructor(private readonly m: Models) {}

  async create(r: RoundRecord): Promise<void> {
    const { id, ...rest } = r;
    await this.m.Round.create({ _id: id, ...rest });
  }

  async find(caseId: string, id: string): Promise<RoundRecord | null> {
    const d = await this.m.Round.findOne({ _id: id, caseId }).lean<RoundDoc>();
    return d ? toRound(d) : null;
  }

  async listByCase(caseId: string): Promise<RoundRecord[]> {
    return (await this.m.Round.find({ caseId }).sort({ openedAt: 1, _id: 1 }).lean<RoundDoc[]>()).map(toRound);
  }

  async listOpenWithClosingTime(): Promise<RoundRecord[]> {
    return (await this.m.Round.find({ $or: [{ status: 'open', closesAt: { $ne: null } }, { status: 'closing' }] }).sort({ closesAt: 1 }).lean<RoundDoc[]>()).map(toRound);
  }

  async beginClose(caseId: string, id: string): Promise<boolean> {
    const r = await this.m.Round.updateOne({ _id: id, caseId, status: 'open' }, { $set: { status: 'closing' } });
    return r.modifiedCount === 1;
  }

  async close(caseId: string, id: string, c: Pick<RoundRecord, 'closedAt' | 'closedBy' | 'result' | 'counted' | 'briefText' | 'briefState' | 'record'>): Promise<RoundRecord | null> {
    const d = await this.m.Round
      .findOneAndUpdate({ _id: id, caseId, status: 'closing' }, { $set: { status: 'closed', ...c } }, { returnDocument: 'after' })
      .lean<RoundDoc>();
    return d ? toRound(d) : null;
  }

  async listDecided(): Promise<RoundRecord[]> {
    return (await this.m.Round.find({ status: 'closed', 'result.outcome.kind': 'decided' }).lean<RoundDoc[]>()).map(toRound);
  }

  async markReminder(caseId: string, id: string, days: number): Promise<boolean> {
    // One conditional update: only the first caller finds the day missing from the list.
    const r = await this.m.Round.updateOne({ _id: id, caseId, remindersSent: { $ne: days } }, { $push: { remindersSent: days } });
    return r.modifiedCount === 1;
  }

  async recommend(caseId: string, id: string, rec: NonNullable<RoundRecord['recommendation']>): Promise<RoundRecord | null> {
    const d = await this.m.Round
      .findOneAndUpdate({ _id: id, caseId, status: 'closed', recommendation: null }, { $set: { recommendation: rec } }, { returnDocument: 'after' })
      .lean<RoundDoc>();
    return d ? toRound(d) : null;
  }
}

/** Ballots in the `ballots` collection, one per (roundId, voterId). */
export class MongoBallotRepository implements BallotRepository {
  constructor(private readonly m: Models) {}

  async put(b: Omit<BallotRecord, 'version' | 'castAt'> & { at: string }): Promise<{ ballot: BallotRecord; previous: BallotRecord | null }> {
    // The document as this single atomic write found it; the new one follows from it.
    const write = () =>
      this.m.Ballot.findOneAndUpdate(
        { roundId: b.roundId, voterId: b.voterId },
        {
          $set: { discipline: b.discipline, defer: b.defer, stances: b.stances, updatedAt: b.at },
          $inc: { version: 1 },
          $setOnInsert: { caseId: b.caseId, castAt: b.at },
        },
        { upsert: true, returnDocument: 'before' },
      ).lean<BallotDoc>();
    let before: BallotDoc | null;
    try {
      before = await write();
    } catch (err) {
      // Two first ballots racing on the unique index: the loser's retry finds the document.
      if (!isDuplicateKey(err)) throw err;
      before = await write();
    }
    const previous = before ? toBallot(before) : null;
    const ballot: BallotRecord = {
      roundId: b.roundId, caseId: previous?.caseId ?? b.caseId, voterId: b.voterId, discipline: b.discipline, defer: b.defer, stances: b.stances,
      version: (previous?.version ?? 0) + 1, castAt: previous?.castAt ?? b.at, updatedAt: b.at,
    };
    return { ballot, previous };
  }

  async restore(roundId: string, voterId: string, previous: BallotRecord | null, current: number): Promise<boolean> {
    if (!previous) return (await this.m.Ballot.deleteOne({ roundId, voterId, version: current })).deletedCount === 1;
    return (await this.m.Ballot.updateOne({ roundId, voterId, version: current }, { $set: { ...previous } })).modifiedCount === 1;
  }

  async find(roundId: string, voterId: string): Promise<BallotRecord | null> {
    const d = await this.m.Ballot.findOne({ roundId, voterId }).lean<BallotDoc>();
    return d ? toBallot(d) : null;
  }

  async listByRound(roundId: string): Promise<BallotRecord[]> {
    return (await this.m.Ballot.find({ roundId }).sort({ castAt: 1, voterId: 1 }).lean<BallotDoc[]>()).map(toBallot);
  }
}
