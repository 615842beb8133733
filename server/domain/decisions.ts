import { randomUUID } from 'node:crypto';
import { toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { decide, type Ballot } from '../../shared/decision.js';
import type { BallotBody, OpenRoundBody } from '../../shared/schemas/rounds.js';
import type { BallotRecord, CaseItemRecord, DecisionRecord, EvidenceData, MessageRecord, RoundRecord, Store, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { conflict, invalid, notFound } from './errors.js';
import type { DomainEvents } from './events.js';
import type { BriefDocuments } from './brief-access.js';
import { briefPlainText } from './brief.js';
import type { ReadinessService } from './records.js';

/** A round with its ballots. */
export interface RoundBundle {
  round: RoundRecord;
  ballots: BallotRecord[];
}

type ParsedOpen = Required<Omit<OpenRoundBody, 'quorum'>> & { quorum: RoundRecord['quorum'] };
type ParsedBallot = { stances: Record<string, { stance: BallotRecord['stances'][string]['stance']; rationale: string }>; defer: string | null };

/** The pure outcome function's view of stored ballots. */
export function ballotsForDecision(ballots: BallotRecord[]): Ballot[] {
  return ballots.map((b) => ({
    voterId: b.voterId,
    discipline: b.discipline,
    defer: b.defer,
    stances: Object.fromEntries(Object.entries(b.stances).map(([option, s]) => [option, s.stance])),
  }));
}

/**
 * Decision rounds: open a vote over two or more of the case's options with a rule and a quorum,
 * cast and change ballots until it closes, close it by hand or at its closing time, exactly once.
 * The outcome comes from the pure `decide` in shared/.
 */
export class DecisionService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly readiness: ReadinessService,
    private readonly briefs: BriefDocuments,
  ) {}

  /** The case's rounds, oldest first, with their ballots. */
  async list(user: UserRecord, caseId: string): Promise<RoundBundle[]> {
    await this.access.require(caseId, user.id, 'read');
    const rounds = await this.store.rounds.listByCase(caseId);
    return Promise.all(rounds.map(async (round) => ({ round, ballots: await this.store.ballots.listByRound(round.id) })));
  }

  /** One round with its ballots, for a member. */
  async get(user: UserRecord, caseId: string, roundId: string): Promise<RoundBundle> {
    await this.access.require(caseId, user.id, 'read');
    return this.bundle(caseId, roundId);
  }

  /** A round with its ballots, or not-found. */
  async bundle(caseId: string, roundId: string): Promise<RoundBundle> {
    const round = await this.store.rounds.find(caseId, roundId);
    if (!round) throw notFound('That vote');
    return { round, ballots: await this.store.ballots.listByRound(roundId) };
  }

  /** Opens a round (owners and editors) over options of this case, closing in the future if timed. */
  async open(user: UserRecord, caseId: string, input: ParsedOpen): Promise<RoundBundle> {
    await this.access.require(caseId, user.id, 'openVote');
    const options = new Set((await this.store.options.list(caseId)).map((o) => o.id));
    if (input.optionIds.some((id) => !options.has(id))) {
      throw invalid('A vote is over options of this case.', { optionIds: 'names an option that is not in this case' });
    }
    const now = this.clock.now();
    if (input.closesAt !== null && Date.parse(input.closesAt) <= now.getTime()) {
      throw invalid('The closing time has already passed.', { closesAt: 'must be in the future' });
    }
    const round: RoundRecord = {
      id: randomUUID(), caseId, question: input.question, optionIds: input.optionIds, rule: input.rule, threshold: input.threshold,
      quorum: input.quorum, closesAt: input.closesAt, visibility: input.visibility, status: 'open', openedBy: user.id,
      openedAt: now.toISOString(), closedAt: null, closedBy: null, result: null, counted: null,
      briefText: null, briefState: null, recommendation: null, remindersSent: [], record: null,
    };
    await this.store.rounds.create(round);
    await this.audit.record(caseId, user.id, 'round.opened', { target: round.id, fields: [input.rule, input.visibility] });
    this.events.emit('roundChanged', { caseId, roundId: round.id });
    return { round, ballots: [] };
  }

  /**
   * Casts or changes the user's ballot. Once a close has taken its count, a ballot that arrives
   * is either in that count or refused and undone: never accepted and left out.
   */
  async cast(user: UserRecord, caseId: string, roundId: string, input: ParsedBallot): Promise<RoundBundle> {
    const { membership } = await this.access.require(caseId, user.id, 'vote');
    const round = await this.store.rounds.find(caseId, roundId);
    if (!round) throw notFound('That vote');
    if (round.status !== 'open') throw closedAlready();
    const strangers = Object.keys(input.stances).filter((id) => !round.optionIds.includes(id));
    if (strangers.length > 0) {
      throw invalid('A stance is for an option of this vote.', Object.fromEntries(strangers.map((id) => [`stances.${id}`, 'is not an option of this vote'])));
    }
    const { ballot, previous } = await this.store.ballots.put({
      roundId, caseId, voterId: user.id, discipline: membership.discipline, defer: input.defer, stances: input.stances,
      updatedAt: this.clock.now().toISOString(), at: this.clock.now().toISOString(),
    });
    // Still open after the write: any close begins later and counts this ballot. Otherwise wait
    // for the close to finish and see whether it counted this very version.
    const after = await this.settled(caseId, roundId);
    const countedVersion = after?.counted?.[user.id] ?? 0;
    // Refused only when the count holds an older version (or none): a newer one of the same
    // member's ballots having been counted means this one was superseded, not left out.
    if (after && after.status !== 'open' && countedVersion < ballot.version) {
      await this.store.ballots.restore(roundId, user.id, previous, ballot.version);
      throw closedAlready();
    }
    await this.audit.record(caseId, user.id, previous ? 'ballot.changed' : 'ballot.cast', { target: roundId });
    this.events.emit('roundChanged', { caseId, roundId });
    return this.bundle(caseId, roundId);
  }

  /** Closes a round by hand (owners). */
  async close(user: UserRecord, caseId: string, roundId: string): Promise<RoundBundle> {
    await this.access.require(caseId, user.id, 'closeVote');
    const closed = await this.closeRound(caseId, roundId, user.id);
    if (!closed) throw closedAlready();
    return closed;
  }

  /**
   * The unified recommendation (owners): written once for a round that closed with a decision;
   * the case is then decided. A different view needs a new round.
   */
  async recommend(user: UserRecord, caseId: string, roundId: string, text: string): Promise<RoundBundle> {
    await this.access.require(caseId, user.id, 'closeVote');
    const { round } = await this.bundle(caseId, roundId);
    if (round.status !== 'closed' || round.result?.outcome.kind !== 'decided') {
      throw conflict('A recommendation follows a vote that closed with a decision.', { round: 'has no decision to recommend' });
    }
    const option = await this.store.options.find(caseId, round.result.outcome.optionId);
    const written = await this.store.rounds.recommend(caseId, roundId, {
      optionId: round.result.outcome.optionId, optionTitle: option?.data.title ?? 'A removed option', text, writtenBy: user.id,
      writtenAt: this.clock.now().toISOString(),
    });
    if (!written) throw conflict('This round already has its recommendation. Open a new round to revisit.', { round: 'already has a recommendation' });
    const decided = await this.store.cases.update(caseId, { status: 'decided' }, this.clock.now().toISOString());
    await this.audit.record(caseId, user.id, 'round.recommended', { target: roundId });
    if (decided) this.events.emit('caseChanged', { caseId, status: decided.status });
    this.events.emit('roundChanged', { caseId, roundId });
    return this.bundle(caseId, roundId);
  }

  /** Closes every round whose closing time has come; called by the server's clock. Answers how many it closed. */
  async closeDue(): Promise<number> {
    const now = this.clock.now().getTime();
    let closed = 0;
    for (const round of await this.store.rounds.listOpenWithClosingTime()) {
      const due = round.status === 'closing' || (round.closesAt !== null && Date.parse(round.closesAt) <= now);
      if (due && (await this.closeRound(round.caseId, round.id, null))) closed++;
    }
    return closed;
  }

  private recordOf(caseId: string, ballots: BallotRecord[], closedAt: string): Promise<DecisionRecord> {
    return decisionRecord(this.store, caseId, ballots, closedAt);
  }

  /** The round once no close is in progress (a close that is counting finishes in moments). */
  private async settled(caseId: string, roundId: string): Promise<RoundRecord | null> {
    for (let i = 0; i < 100; i++) {
      const round = await this.store.rounds.find(caseId, roundId);
      if (!round || round.status !== 'closing') return round;
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.store.rounds.find(caseId, roundId);
  }

  /**
   * Closes in two steps: open → closing (only one caller wins), then count the ballots and store
   * the result (closing → closed). A ballot written after the first step is never counted, and
   * its writer, seeing the round no longer open, is refused. A close left half-done (a crash)
   * is finished by the server's clock.
   */
  private async closeRound(caseId: string, roundId: string, closedBy: string | null): Promise<RoundBundle | null> {
    const round = await this.store.rounds.find(caseId, roundId);
    if (!round) throw notFound('That vote');
    const resuming = round.status === 'closing' && closedBy === null;
    if (!resuming && !(await this.store.rounds.beginClose(caseId, roundId))) return null;
    const ballots = await this.store.ballots.listByRound(roundId);
    const result = decide(round, round.optionIds, ballotsForDecision(ballots));
    const counted = Object.fromEntries(ballots.map((b) => [b.voterId, b.version]));
    // The brief as it stood at the decision, kept with the round (never recomputed later).
    const brief = await this.briefs.inspect(caseId, (doc) => ({ text: briefPlainText(doc), state: toBase64(Y.encodeStateAsUpdate(doc)) }));
    const closedAt = this.clock.now().toISOString();
    const closed = await this.store.rounds.close(caseId, roundId, {
      closedAt, closedBy, result, counted, briefText: brief?.text ?? null, briefState: brief?.state ?? null,
      record: await this.recordOf(caseId, ballots, closedAt),
    });
    if (!closed) {
      // Finished meanwhile by the server's clock resuming this close: it counted the same way.
      const finished = await this.store.rounds.find(caseId, roundId);
      return !resuming && finished?.status === 'closed' ? { round: finished, ballots } : null;
    }
    await this.audit.record(caseId, closedBy, 'round.closed', { target: roundId, fields: [result.outcome.kind] });
    if (result.outcome.kind === 'deferred') await this.readiness.addFromDeferral(caseId, closedBy ?? round.openedBy, result.outcome.information);
    this.events.emit('roundChanged', { caseId, roundId });
    return { round: closed, ballots };
  }
}

/** Per person: comments (not deleted), evidence added and ballots cast, up to `until` if given. */
export function contributionsOf(
  messages: MessageRecord[], evidence: CaseItemRecord<EvidenceData>[], ballots: BallotRecord[], until: string | null,
): DecisionRecord['contributions'] {
  const out: DecisionRecord['contributions'] = {};
  const by = (at: string) => until === null || at <= until;
  const bump = (id: string, what: 'comments' | 'evidence' | 'ballots') => {
    (out[id] ??= { comments: 0, evidence: 0, ballots: 0 })[what]++;
  };
  for (const m of messages) if (!m.deletedAt && by(m.createdAt)) bump(m.authorId, 'comments');
  for (const e of evidence) if (by(e.createdAt)) bump(e.createdBy, 'evidence');
  for (const b of ballots) if (by(b.castAt)) bump(b.voterId, 'ballots');
  return out;
}

/**
 * What a decision rests on, as it stands at the close: the options, the evidence library, the
 * team and what each member contributed. Exports read this, so later edits never rewrite the record.
 */
async function decisionRecord(store: Store, caseId: string, ballots: BallotRecord[], closedAt: string): Promise<DecisionRecord> {
  const [options, evidence, members, messages, rounds] = await Promise.all([
    store.options.list(caseId), store.evidence.list(caseId), store.memberships.listByCase(caseId), store.messages.listByCase(caseId), store.rounds.listByCase(caseId),
  ]);
  const people = new Map((await store.users.findManyByIds([...members.map((m) => m.userId), ...ballots.map((b) => b.voterId)])).map((u) => [u.id, u.name]));
  const allBallots = (await Promise.all(rounds.map((r) => store.ballots.listByRound(r.id)))).flat();
  const contributions = contributionsOf(messages, evidence, allBallots, closedAt);
  return {
    options: options.map((o) => ({ id: o.id, ...o.data })),
    evidence: evidence.map((e) => ({ id: e.id, ...e.data })),
    team: members.map((m) => ({ id: m.userId, name: people.get(m.userId) ?? 'Former user', discipline: m.discipline, role: m.role })),
    contributions,
    voters: Object.fromEntries(ballots.map((b) => [b.voterId, people.get(b.voterId) ?? 'Former user'])),
  };
}

function closedAlready() {
  return conflict('This vote has closed; its count is final. Open a new round to revisit.', { round: 'is closed' });
}
