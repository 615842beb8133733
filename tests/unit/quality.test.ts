import { describe, expect, it } from 'vitest';
import { computeQuality, median, qualityCsv, type QualityCase } from '../../server/reports/quality.js';

/** A case with nothing in it; each test case adds what it needs. */
const base = (id: string, over: Partial<QualityCase>): QualityCase => ({
  id, title: `Case ${id}`, patientRef: `PT-${id}`, createdAt: '2026-01-01T00:00:00.000Z',
  readiness: [], comments: [], evidence: [], ballots: [], rounds: [], followUps: [], meetings: [], ...over,
});

const complete = (at: string, key: string | null = null) => ({ key, required: true, complete: true, changedAt: at, createdAt: '2026-01-01T00:00:00.000Z' });

// The seeded team: March 2026 in Berlin, reported at the end of June.
const CASES: QualityCase[] = [
  base('A', {
    createdAt: '2026-02-20T00:00:00.000Z',
    readiness: [
      complete('2026-03-01T10:00:00.000Z', 'history'), complete('2026-03-02T10:00:00.000Z', 'patient_views'),
      // Asked for by the vote deferred after the meeting: it does not make the case unready before it.
      { key: null, required: true, complete: false, changedAt: null, createdAt: '2026-03-06T00:00:00.000Z' },
    ],
    comments: [{ discipline: 'oncology', at: '2026-03-03T00:00:00.000Z' }, { discipline: 'nursing', at: '2026-03-04T00:00:00.000Z' }],
    evidence: [{ discipline: 'pharmacy', at: '2026-03-03T00:00:00.000Z' }],
    ballots: [{ discipline: 'oncology', at: '2026-03-09T00:00:00.000Z' }, { discipline: 'nursing', at: '2026-03-09T00:00:00.000Z' }],
    meetings: [{ start: '2026-03-05T08:00:00.000Z', plannedMinutes: 15, actualMinutes: 20 }],
    rounds: [{ id: 'rA', closedAt: '2026-03-10T00:00:00.000Z', outcome: 'decided' }],
    followUps: [{ roundId: 'rA', at: '2026-03-20T00:00:00.000Z', status: 'implemented', reason: null }],
  }),
  base('B', {
    createdAt: '2026-03-01T00:00:00.000Z',
    // Completed only after its meeting: not ready before it. The patient's views were never recorded.
    readiness: [complete('2026-03-08T00:00:00.000Z', 'history'), { key: 'patient_views', required: true, complete: false, changedAt: null, createdAt: '2026-01-01T00:00:00.000Z' }],
    comments: [{ discipline: 'social_work', at: '2026-04-15T00:00:00.000Z' }], // after the period: not counted
    meetings: [{ start: '2026-03-05T09:00:00.000Z', plannedMinutes: 10, actualMinutes: 8 }],
    rounds: [
      { id: 'rB1', closedAt: '2026-03-05T09:30:00.000Z', outcome: 'deferred' },
      { id: 'rB2', closedAt: '2026-03-20T00:00:00.000Z', outcome: 'decided' },
    ],
    followUps: [
      { roundId: 'rB2', at: '2026-04-01T00:00:00.000Z', status: 'not_implemented', reason: 'payer_denial' },
      { roundId: 'rB2', at: '2026-05-01T00:00:00.000Z', status: 'partially_implemented', reason: 'patient_preference' },
    ],
  }),
  // Discussed in February; its vote failed in March.
  base('C', { meetings: [{ start: '2026-02-10T08:00:00.000Z', plannedMinutes: 10, actualMinutes: 10 }], rounds: [{ id: 'rC', closedAt: '2026-03-15T00:00:00.000Z', outcome: 'no_decision' }] }),
  // In April only: not in the report.
  base('D', { meetings: [{ start: '2026-04-02T08:00:00.000Z', plannedMinutes: 10, actualMinutes: 10 }] }),
  // 00:30 on 1 March in Berlin (23:30 UTC the day before): in the period.
  base('E', { meetings: [{ start: '2026-02-28T23:30:00.000Z', plannedMinutes: 10, actualMinutes: null }] }),
  // 00:30 on 1 April in Berlin: after the period.
  base('F', { meetings: [{ start: '2026-03-31T22:30:00.000Z', plannedMinutes: 10, actualMinutes: 10 }] }),
];

describe('the quality report', () => {
  const report = computeQuality(CASES, { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Berlin' }, '2026-06-30T00:00:00.000Z');

  it('counts cases discussed in the period, in the team\'s time zone, and how many were ready and had the patient\'s views', () => {
    expect(report.casesDiscussed).toBe(3); // A, B and E
    expect(report.readyBeforeConference).toEqual({ count: 1, of: 3, share: 0.333 });
    expect(report.patientViewsRecorded).toEqual({ count: 1, of: 3, share: 0.333 });
    expect(report.cases.map((c) => [c.patientRef, c.meetings, c.readyBeforeConference, c.patientViewsRecorded])).toEqual([
      ['PT-A', 1, true, true], ['PT-B', 1, false, false], ['PT-C', 0, null, null], ['PT-E', 1, false, false],
    ]);
  });

  it('counts decisions made, deferred and not reached, and the median days from creation to decision', () => {
    expect(report.decisions).toEqual({ decided: 2, deferred: 1, notReached: 1 });
    expect(report.medianDaysToDecision).toBe(18.5); // A: 18 days, B: 19 days
    expect(report.cases.find((c) => c.id === 'B')).toMatchObject({ decision: 'decided', daysToDecision: 19 });
  });

  it('reports minutes per case against the plan', () => {
    expect(report.minutes).toEqual({ items: 3, plannedMedian: 10, actualMedian: 14, overPlan: 1 });
  });

  it('shows which disciplines contributed to each case, up to the end of the period', () => {
    const a = report.cases.find((c) => c.id === 'A')!;
    expect([a.commentDisciplines, a.evidenceDisciplines, a.ballotDisciplines]).toEqual([['nursing', 'oncology'], ['pharmacy'], ['nursing', 'oncology']]);
    expect(report.cases.find((c) => c.id === 'B')!.commentDisciplines).toEqual([]);
  });

  it('tells where each decision stood 30 and 90 days on, with the reasons', () => {
    expect(report.implementation.at30).toMatchObject({ due: 2, byStatus: { implemented: 1, not_implemented: 1, partially_implemented: 0, unknown: 0 } });
    expect(report.implementation.at30.reasons.payer_denial).toBe(1);
    expect(report.implementation.at90).toMatchObject({ due: 2, byStatus: { implemented: 1, partially_implemented: 1, not_implemented: 0 } });
    expect(report.implementation.at90.reasons).toMatchObject({ patient_preference: 1, payer_denial: 0 });
    // Asked on 15 April, no decision has reached its 90 days yet, and B's 30 days are still to come.
    const early = computeQuality(CASES, { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Berlin' }, '2026-04-15T00:00:00.000Z');
    expect(early.implementation.at30.due).toBe(1);
    expect(early.implementation.at90.due).toBe(0);
  });

  it('downloads as CSV with the same figures, safe to open in a spreadsheet', () => {
    const csv = qualityCsv({ ...report, cases: [...report.cases, { ...report.cases[0]!, title: '=HYPERLINK("http://x")' }] });
    expect(csv).toContain('"cases discussed","3","",""');
    expect(csv).toContain('"ready before conference","1","3","0.333"');
    expect(csv).toContain('"median days from case creation to decision","18.5","",""');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.split('\r\n').filter((l) => l.startsWith('"Case ')).length).toBe(4);
  });

  it('counts only meetings already held: one still to come discusses nothing yet', () => {
    const early = computeQuality(CASES, { from: '2026-03-01', to: '2026-03-31', timeZone: 'Europe/Berlin' }, '2026-03-05T08:30:00.000Z');
    expect(early.casesDiscussed).toBe(2); // E (1 March) and A (5 March, 08:00); B's meeting at 09:00 is still to come
    expect(early.minutes.items).toBe(2);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
