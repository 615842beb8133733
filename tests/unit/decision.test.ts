import { describe, expect, it } from 'vitest';
import { decide, type Ballot, type RoundRules, type Stance } from '../../shared/decision.js';
import type { Discipline } from '../../shared/disciplines.js';

const A = 'option-a';
const B = 'option-b';

/** A ballot: "S" support, "R" with reservations, "O" object, "-" abstain, "." blank, per option A then B. */
function ballot(voter: string, discipline: Discipline, marks: string, defer: string | null = null): Ballot {
  const codes: Record<string, Stance | undefined> = { S: 'support', R: 'support_with_reservations', O: 'object', '-': 'abstain', '.': undefined };
  const stances: Record<string, Stance> = {};
  [A, B].forEach((option, i) => {
    const s = codes[marks[i] ?? '.'];
    if (s) stances[option] = s;
  });
  return { voterId: voter, discipline, defer, stances };
}

const rules = (over: Partial<RoundRules> & { minVoters?: number; required?: Discipline[] } = {}): RoundRules => ({
  rule: over.rule ?? 'simple_majority',
  threshold: over.threshold ?? null,
  quorum: { minVoters: over.minVoters ?? 1, requiredDisciplines: over.required ?? [] },
});

const team = (marks: string[]): Ballot[] => {
  const disciplines: Discipline[] = ['oncology', 'nursing', 'pharmacy', 'social_work', 'palliative_care', 'radiology', 'pathology'];
  return marks.map((m, i) => ballot(`voter-${i}`, disciplines[i % disciplines.length]!, m));
};

describe('the outcome of a decision round', () => {
  it.each([
    // rule, extra, ballots (A then B per voter), expected outcome
    ['simple majority: A has most support', rules(), ['SO', 'SO', 'OS'], { kind: 'decided', optionId: A }],
    ['simple majority: reservations count as support', rules(), ['RO', 'RO', 'OS'], { kind: 'decided', optionId: A }],
    ['simple majority: exactly half is not a majority', rules(), ['SO', 'OS'], { kind: 'no_decision', reason: 'threshold_not_reached' }],
    ['simple majority: abstentions do not count against', rules(), ['S-', '-O', '-O', 'O-'], { kind: 'no_decision', reason: 'threshold_not_reached' }],
    ['simple majority: abstentions leave a majority of those who voted', rules(), ['S.', 'S.', 'O.', '-.', '-.'], { kind: 'decided', optionId: A }],
    ['simple majority: both pass, more support wins', rules(), ['SS', 'SS', 'SO', 'S-'], { kind: 'decided', optionId: A }],
    ['simple majority: both pass level, more plain support breaks it', rules(), ['SR', 'SR', 'RS'], { kind: 'decided', optionId: A }],
    ['simple majority: level on support with and without reservations is a tie', rules(), ['SR', 'SS', 'RS'], { kind: 'no_decision', reason: 'tie' }],
    ['simple majority: level on support and plain support is a tie', rules(), ['SS', 'SS', 'OO'], { kind: 'no_decision', reason: 'tie' }],
    ['supermajority 2/3: two thirds pass', rules({ rule: 'supermajority', threshold: 2 / 3 }), ['SO', 'SO', 'OS'], { kind: 'decided', optionId: A }],
    ['supermajority 3/4: two thirds fall short', rules({ rule: 'supermajority', threshold: 0.75 }), ['SO', 'SO', 'OS'], { kind: 'no_decision', reason: 'threshold_not_reached' }],
    ['supermajority 1: unanimity of those positioned', rules({ rule: 'supermajority', threshold: 1 }), ['S.', 'R.', '-.'], { kind: 'decided', optionId: A }],
    ['consensus: support and no objection passes', rules({ rule: 'consensus' }), ['S.', 'R.', '-.'], { kind: 'decided', optionId: A }],
    ['consensus: one objection blocks', rules({ rule: 'consensus' }), ['SO', 'SO', 'OO', 'S-'], { kind: 'no_decision', reason: 'objection' }],
    ['consensus: the unobjected option wins', rules({ rule: 'consensus' }), ['SS', 'OS', 'SR'], { kind: 'decided', optionId: B }],
    ['consensus: abstaining by all is no support', rules({ rule: 'consensus' }), ['--', '--'], { kind: 'no_decision', reason: 'threshold_not_reached' }],
    ['quorum: too few voters', rules({ minVoters: 4 }), ['SO', 'SO', 'SO'], { kind: 'no_decision', reason: 'quorum_not_met' }],
    ['quorum: a required discipline has not voted', rules({ required: ['oncology', 'surgery'] }), ['SO', 'SO', 'SO'], { kind: 'no_decision', reason: 'quorum_not_met' }],
    ['quorum: met exactly', rules({ minVoters: 3, required: ['oncology', 'nursing'] }), ['SO', 'SO', 'SO'], { kind: 'decided', optionId: A }],
  ] as const)('%s', (_name, r, marks, expected) => {
    expect(decide(r, [A, B], team([...marks])).outcome).toMatchObject(expected);
  });

  it('explains a missed quorum: how many voters and which disciplines are missing', () => {
    const result = decide(rules({ minVoters: 5, required: ['surgery', 'oncology'] }), [A, B], team(['SO', 'SO']));
    expect(result.quorum).toEqual({ met: false, voters: 2, votersMissing: 3, disciplinesMissing: ['surgery'] });
    expect(result.outcome).toEqual({ kind: 'no_decision', reason: 'quorum_not_met', detail: '3 more voters needed; no vote yet from surgery' });
  });

  it('defers when at least half of the voters ask for information, naming it', () => {
    const ballots = [
      ballot('v1', 'oncology', '..', 'PET-CT after cycle 2'),
      ballot('v2', 'nursing', '..', 'Patient preference after family meeting'),
      ballot('v3', 'pharmacy', 'SO'),
      ballot('v4', 'social_work', 'SO'),
    ];
    expect(decide(rules(), [A, B], ballots).outcome).toEqual({ kind: 'deferred', information: ['PET-CT after cycle 2', 'Patient preference after family meeting'] });
    // One deferral among four is outvoted, and the deferring member counts as silent on each option.
    const fewer = [ballots[0]!, ballots[2]!, ballots[3]!, ballot('v5', 'surgery', 'SO')];
    const result = decide(rules(), [A, B], fewer);
    expect(result.outcome).toEqual({ kind: 'decided', optionId: A });
    expect(result.tallies[0]).toEqual({ optionId: A, support: 3, reservations: 0, object: 0, abstain: 0, silent: 1 });
  });

  it('tallies every stance per option', () => {
    const { tallies } = decide(rules(), [A, B], team(['SO', 'RO', 'O-', '-S', '..']));
    expect(tallies).toEqual([
      { optionId: A, support: 1, reservations: 1, object: 1, abstain: 1, silent: 1 },
      { optionId: B, support: 1, reservations: 0, object: 2, abstain: 1, silent: 1 },
    ]);
  });

  it('ignores stances on options that are not in the round', () => {
    const stray = { ...ballot('v1', 'oncology', 'SO'), stances: { [A]: 'support' as const, 'option-z': 'object' as const } };
    expect(decide(rules(), [A, B], [stray]).tallies.map((t) => t.optionId)).toEqual([A, B]);
  });
});
