import type Database from 'better-sqlite3';
import type { BallotRecord, BallotRepository, RoundRecord, RoundRepository } from '../port.js';

type Db = Database.Database;

interface RoundRow {
  id: string; case_id: string; question: string; option_ids: string; rule: string; threshold: number | null; quorum: string;
  closes_at: string | null; visibility: string; status: string; opened_by: string; opened_at: string; closed_at: string | null;
  closed_by: string | null; result: string | null; counted: string | null; brief_text: string | null; brief_state: string | null;
  recommendation: string | null; reminders_sent: string; record: string | null;
}
interface BallotRow {
  round_id: string; case_id: string; voter_id: string; discipline: string; defer: string | null; stances: string; version: number;
  cast_at: string; updated_at: string;
}

const toRound = (r: RoundRow): RoundRecord => ({
  id: r.id, caseId: r.case_id, question: r.question, optionIds: JSON.parse(r.option_ids) as string[], rule: r.rule as RoundRecord['rule'],
  threshold: r.threshold, quorum: JSON.parse(r.quorum) as RoundRecord['quorum'], closesAt: r.closes_at,
  visibility: r.visibility as RoundRecord['visibility'], status: r.status as RoundRecord['status'], openedBy: r.opened_by,
  openedAt: r.opened_at, closedAt: r.closed_at, closedBy: r.closed_by,
  result: r.result ? (JSON.parse(r.result) as RoundRecord['result']) : null,
  counted: r.counted ? (JSON.parse(r.counted) as RoundRecord['counted']) : null,
  briefText: r.brief_text, briefState: r.brief_state,
  recommendation: r.recommendation ? (JSON.parse(r.recommendation) as RoundRecord['recommendation']) : null,
  remindersSent: JSON.parse(r.reminders_sent) as number[],
  record: r.record ? (JSON.parse(r.record) as RoundRecord['record']) : null,
});

const toBallot = (r: BallotRow): BallotRecord => ({
  roundId: r.round_id, caseId: r.case_id, voterId: r.voter_id, discipline: r.discipline as BallotRecord['discipline'], defer: r.defer,
  stances: JSON.parse(r.stances) as BallotRecord['stances'], version: r.version, castAt: r.cast_at, updatedAt: r.updated_at,
});

/** Decision rounds; closing is one conditional update, so a round closes exactly once. */
export class SqliteRoundRepository implements RoundRepository {
  constructor(private readonly db: Db) {}

  async create(r: RoundRecord): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO rounds (id, case_id, question, option_ids, rule, threshold, quorum, closes_at, visibility, status, opened_by, opened_at, closed_at, closed_by, result, counted, brief_text, brief_state, recommendation, reminders_sent, record)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.id, r.caseId, r.question, JSON.stringify(r.optionIds), r.rule, r.threshold, JSON.stringify(r.quorum), r.closesAt, r.visibility, r.status,
        r.openedBy, r.openedAt, r.closedAt, r.closedBy, r.result && JSON.stringify(r.result), r.counted && JSON.stringify(r.counted),
        r.briefText, r.briefState, r.recommendation && JSON.stringify(r.recommendation), JSON.stringify(r.remindersSent), r.record && JSON.stringify(r.record));
  }

  async find(caseId: string, id: string): Promise<RoundRecord | null> {
    const row = this.db.prepare('SELECT * FROM rounds WHERE id = ? AND case_id = ?').get(id, caseId) as RoundRow | undefined;
    return row ? toRound(row) : null;
  }

  async listByCase(caseId: string): Promise<RoundRecord[]> {
    return (this.db.prepare('SELECT * FROM rounds WHERE case_id = ? ORDER BY opened_at, id').all(caseId) as RoundRow[]).map(toRound);
  }

  async listOpenWithClosingTime(): Promise<RoundRecord[]> {
    return (this.db.prepare(`SELECT * FROM rounds WHERE (status = 'open' AND closes_at IS NOT NULL) OR status = 'closing' ORDER BY closes_at`).all() as RoundRow[]).map(toRound);
  }

  async beginClose(caseId: string, id: string): Promise<boolean> {
    return this.db.prepare(`UPDATE rounds SET status = 'closing' WHERE id = ? AND case_id = ? AND status = 'open'`).run(id, caseId).changes === 1;
  }

  async close(caseId: string, id: string, c: Pick<RoundRecord, 'closedAt' | 'closedBy' | 'result' | 'counted' | 'briefText' | 'briefState' | 'record'>): Promise<RoundRecord | null> {
    const row = this.db
      .prepare(
        `UPDATE rounds SET status = 'closed', closed_at = ?, closed_by = ?, result = ?, counted = ?, brief_text = ?, brief_state = ?, record = ?
         WHERE id = ? AND case_id = ? AND status = 'closing' RETURNING *`,
      )
      .get(c.closedAt, c.closedBy, c.result && JSON.stringify(c.result), c.counted && JSON.stringify(c.counted), c.briefText, c.briefState,
        c.record && JSON.stringify(c.record), id, caseId) as RoundRow | undefined;
    return row ? toRound(row) : null;
  }

  async listDecided(): Promise<RoundRecord[]> {
    return (this.db.prepare(`SELECT * FROM rounds WHERE status = 'closed' AND json_extract(result, '$.outcome.kind') = 'decided'`).all() as RoundRow[]).map(toRound);
  }

  async markReminder(caseId: string, id: string, days: number): Promise<boolean> {
    const run = this.db.transaction(() => {
      const row = this.db.prepare('SELECT reminders_sent FROM rounds WHERE id = ? AND case_id = ?').get(id, caseId) as { reminders_sent: string } | undefined;
      if (!row) return false;
      const sent = JSON.parse(row.reminders_sent) as number[];
      if (sent.includes(days)) return false;
      this.db.prepare('UPDATE rounds SET reminders_sent = ? WHERE id = ?').run(JSON.stringify([...sent, days]), id);
      return true;
    });
    return run.immediate();
  }

  async recommend(caseId: string, id: string, rec: NonNullable<RoundRecord['recommendation']>): Promise<RoundRecord | null> {
    const row = this.db
      .prepare(`UPDATE rounds SET recommendation = ? WHERE id = ? AND case_id = ? AND status = 'closed' AND recommendation IS NULL RETURNING *`)
      .get(JSON.stringify(rec), id, caseId) as RoundRow | undefined;
    return row ? toRound(row) : null;
  }
}

/** Ballots, one per member per round by the primary key; each change bumps the version. */
export class SqliteBallotRepository implements BallotRepository {
  constructor(private readonly db: Db) {}

  async put(b: Omit<BallotRecord, 'version' | 'castAt'> & { at: string }): Promise<{ ballot: BallotRecord; previous: BallotRecord | null }> {
    // One transaction: the row read is the very row the upsert replaces.
    return this.db.transaction(() => {
      const before = this.db.prepare('SELECT * FROM ballots WHERE round_id = ? AND voter_id = ?').get(b.roundId, b.voterId) as BallotRow | undefined;
      const row = this.db
        .prepare(
          `INSERT INTO ballots (round_id, case_id, voter_id, discipline, defer, stances, version, cast_at, updated_at)
           VALUES (@roundId, @caseId, @voterId, @discipline, @defer, @stances, 1, @at, @at)
           ON CONFLICT (round_id, voter_id) DO UPDATE SET discipline = @discipline, defer = @defer, stances = @stances,
             version = version + 1, updated_at = @at
           RETURNING *`,
        )
        .get({ roundId: b.roundId, caseId: b.caseId, voterId: b.voterId, discipline: b.discipline, defer: b.defer, stances: JSON.stringify(b.stances), at: b.at }) as BallotRow;
      return { ballot: toBallot(row), previous: before ? toBallot(before) : null };
    }).immediate();
  }

  async restore(roundId: string, voterId: string, previous: BallotRecord | null, current: number): Promise<boolean> {
    if (!previous) {
      return this.db.prepare('DELETE FROM ballots WHERE round_id = ? AND voter_id = ? AND version = ?').run(roundId, voterId, current).changes === 1;
    }
    return (
      this.db
        .prepare('UPDATE ballots SET discipline = ?, defer = ?, stances = ?, version = ?, cast_at = ?, updated_at = ? WHERE round_id = ? AND voter_id = ? AND version = ?')
        .run(previous.discipline, previous.defer, JSON.stringify(previous.stances), previous.version, previous.castAt, previous.updatedAt, roundId, voterId, current).changes === 1
    );
  }

  async find(roundId: string, voterId: string): Promise<BallotRecord | null> {
    const row = this.db.prepare('SELECT * FROM ballots WHERE round_id = ? AND voter_id = ?').get(roundId, voterId) as BallotRow | undefined;
    return row ? toBallot(row) : null;
  }

  async listByRound(roundId: string): Promise<BallotRecord[]> {
    return (this.db.prepare('SELECT * FROM ballots WHERE round_id = ? ORDER BY cast_at, voter_id').all(roundId) as BallotRow[]).map(toBallot);
  }
}
