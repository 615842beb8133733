import { quorumOf } from '../../../../shared/decision.js';
import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import { DECISION_RULE_LABELS, type ResultView, type RoundView } from '../../../../shared/schemas/rounds.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** An ISO time for people, in this browser's time zone. */
export function formatDateTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : dateTime.format(t);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Supermajority (at least 67% support)", "Consensus (no objection)". */
export function ruleText(r: Pick<RoundView, 'rule' | 'threshold'>): string {
  if (r.rule === 'supermajority' && r.threshold !== null) return `${DECISION_RULE_LABELS[r.rule]} (at least ${Math.round(r.threshold * 100)}% support)`;
  return DECISION_RULE_LABELS[r.rule];
}

/** "At least 3 voters, including Pharmacy and Oncology". */
export function quorumText(q: RoundView['quorum']): string {
  const d = q.requiredDisciplines.map((x) => DISCIPLINE_LABELS[x]);
  return `At least ${plural(q.minVoters, 'voter')}${d.length ? `, including ${d.join(', ')}` : ''}`;
}

/**
 * Quorum progress: "3 of 4 voters; still needed: Pharmacy". Uses the server's result when the
 * round shows one; a blind round still names its voters, so the same shared rule (quorumOf,
 * which the server decides with) works it out from them.
 */
export function quorumProgress(round: RoundView): string {
  const q: ResultView['quorum'] =
    round.result?.quorum ??
    quorumOf(round, round.voters.map((v) => ({ voterId: v.id, discipline: v.discipline, defer: null, stances: {} })));
  const count = `${q.voters} of ${plural(round.quorum.minVoters, 'voter')}`;
  const missing = [...(q.votersMissing > 0 ? [`${plural(q.votersMissing, 'more voter')}`] : []), ...q.disciplinesMissing.map((d) => DISCIPLINE_LABELS[d])];
  return missing.length === 0 ? `Quorum met: ${count}` : `${count}; still needed: ${missing.join(', ')}`;
}

const NO_DECISION: Record<string, string> = {
  quorum_not_met: 'the quorum was not met',
  tie: 'a tie',
  objection: 'an objection',
  threshold_not_reached: 'the threshold was not reached',
};

/** The outcome in words: "Decided: Pembrolizumab", "Deferred: information needed", "No decision: a tie". */
export function outcomeHeadline(round: RoundView, outcome: ResultView['outcome']): string {
  switch (outcome.kind) {
    case 'decided':
      return `Decided: ${round.options.find((o) => o.id === outcome.optionId)?.title ?? 'an option no longer listed'}`;
    case 'deferred':
      return 'Deferred: information needed';
    case 'no_decision':
      return `No decision: ${NO_DECISION[outcome.reason] ?? outcome.reason}`;
  }
}
