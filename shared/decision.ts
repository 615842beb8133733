/**
 * How a decision round turns ballots into an outcome: one pure function, used by the server
 * when a round closes and by the client to show the live tally. Nothing here reads a clock, a
 * store or a socket, so every rule can be tested with a table.
 */
import type { Discipline } from './disciplines.js';

export const STANCES = ['support', 'support_with_reservations', 'object', 'abstain'] as const;
export type Stance = (typeof STANCES)[number];

export const DECISION_RULES = ['simple_majority', 'supermajority', 'consensus'] as const;
export type DecisionRule = (typeof DECISION_RULES)[number];

export interface RoundRules {
  rule: DecisionRule;
  /** For a supermajority: the share of support needed among those who took a position, in (0.5, 1]. */
  threshold: number | null;
  quorum: {
    /** At least this many members must have cast a ballot. */
    minVoters: number;
    /** Each of these disciplines must be among the voters. */
    requiredDisciplines: Discipline[];
  };
}

/** One member's ballot: a stance on each option, or a request to defer for missing information. */
export interface Ballot {
  voterId: string;
  discipline: Discipline;
  /** What information is missing, when the member answers "defer"; null otherwise. */
  defer: string | null;
  stances: Record<string, Stance>;
}

export interface OptionTally {
  optionId: string;
  support: number;
  reservations: number;
  object: number;
  abstain: number;
  /** Members who did not state a stance on this option (deferred, or left it blank). */
  silent: number;
}

export type NoDecisionReason = 'quorum_not_met' | 'tie' | 'objection' | 'threshold_not_reached';

export type Outcome =
  | { kind: 'decided'; optionId: string }
  | { kind: 'deferred'; information: string[] }
  | { kind: 'no_decision'; reason: NoDecisionReason; detail: string };

export interface Quorum {
  met: boolean;
  voters: number;
  /** How many more ballots the quorum needs. */
  votersMissing: number;
  /** Required disciplines nobody has voted for yet. */
  disciplinesMissing: Discipline[];
}

export interface Result {
  quorum: Quorum;
  tallies: OptionTally[];
  outcome: Outcome;
}

/** Whether a quorum is met by these ballots, and what it still lacks. */
export function quorumOf(rules: RoundRules, ballots: Ballot[]): Quorum {
  const voted = new Set(ballots.map((b) => b.discipline));
  const disciplinesMissing = rules.quorum.requiredDisciplines.filter((d) => !voted.has(d));
  const votersMissing = Math.max(0, rules.quorum.minVoters - ballots.length);
  return { met: votersMissing === 0 && disciplinesMissing.length === 0, voters: ballots.length, votersMissing, disciplinesMissing };
}

/** Counts each option's stances. */
export function tallyOf(optionIds: string[], ballots: Ballot[]): OptionTally[] {
  return optionIds.map((optionId) => {
    const t: OptionTally = { optionId, support: 0, reservations: 0, object: 0, abstain: 0, silent: 0 };
    for (const b of ballots) {
      const stance = b.defer === null ? b.stances[optionId] : undefined;
      if (stance === 'support') t.support++;
      else if (stance === 'support_with_reservations') t.reservations++;
      else if (stance === 'object') t.object++;
      else if (stance === 'abstain') t.abstain++;
      else t.silent++;
    }
    return t;
  });
}

/** Support (with or without reservations) among those who took a position on the option. */
function supportShare(t: OptionTally): number {
  const positioned = t.support + t.reservations + t.object;
  return positioned === 0 ? 0 : (t.support + t.reservations) / positioned;
}

function passes(rules: RoundRules, t: OptionTally): boolean {
  const supporters = t.support + t.reservations;
  switch (rules.rule) {
    case 'simple_majority':
      return supportShare(t) > 0.5;
    case 'supermajority':
      return supporters > 0 && supportShare(t) >= (rules.threshold ?? 2 / 3);
    case 'consensus':
      return supporters > 0 && t.object === 0;
  }
}

/**
 * The outcome of a round from its rules, its options and the ballots cast:
 * - no decision when the quorum is not met;
 * - deferred when at least half of the voters asked to defer, with the information they named;
 * - otherwise the option that passes the rule with the most support (then the most support
 *   without reservations); two options level on both are a tie; none passing is no decision,
 *   because of an objection (consensus) or a threshold not reached (majorities).
 */
export function decide(rules: RoundRules, optionIds: string[], ballots: Ballot[]): Result {
  const quorum = quorumOf(rules, ballots);
  const tallies = tallyOf(optionIds, ballots);
  const result = (outcome: Outcome): Result => ({ quorum, tallies, outcome });

  if (!quorum.met) {
    const parts = [
      ...(quorum.votersMissing > 0 ? [`${quorum.votersMissing} more voter${quorum.votersMissing === 1 ? '' : 's'} needed`] : []),
      ...(quorum.disciplinesMissing.length > 0 ? [`no vote yet from ${quorum.disciplinesMissing.join(', ')}`] : []),
    ];
    return result({ kind: 'no_decision', reason: 'quorum_not_met', detail: parts.join('; ') });
  }

  const deferrals = ballots.filter((b) => b.defer !== null);
  if (deferrals.length > 0 && deferrals.length * 2 >= ballots.length) {
    return result({ kind: 'deferred', information: deferrals.map((b) => b.defer!.trim()).filter(Boolean) });
  }

  const passing = tallies
    .filter((t) => passes(rules, t))
    .sort((a, b) => b.support + b.reservations - (a.support + a.reservations) || b.support - a.support);
  const [first, second] = passing;
  if (first) {
    const level = second && second.support + second.reservations === first.support + first.reservations && second.support === first.support;
    if (level) return result({ kind: 'no_decision', reason: 'tie', detail: 'two options have the same support' });
    return result({ kind: 'decided', optionId: first.optionId });
  }
  if (rules.rule === 'consensus' && tallies.some((t) => t.object > 0)) {
    return result({ kind: 'no_decision', reason: 'objection', detail: 'every option with support also has an objection' });
  }
  const needed = rules.rule === 'supermajority' ? `${Math.round((rules.threshold ?? 2 / 3) * 100)}%` : 'more than half';
  return result({ kind: 'no_decision', reason: 'threshold_not_reached', detail: `no option has the support of ${needed} of those who took a position` });
}
