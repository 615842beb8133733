import { z } from 'zod';
import { DisciplineSchema } from './auth.js';
import { Id, IsoDate, IsoDateTime } from './common.js';
import { IMPLEMENTATION_STATUSES, NON_IMPLEMENTATION_REASONS } from './rounds.js';

export const QualityQuery = z
  .strictObject({ from: IsoDate, to: IsoDate })
  .superRefine((q, ctx) => {
    if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' });
    if (Date.parse(q.to) - Date.parse(q.from) > 5 * 366 * 86_400_000) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be within five years of from' });
  });
export type QualityQuery = z.infer<typeof QualityQuery>;

const Share = z.object({ count: z.number().int(), of: z.number().int(), share: z.number().nullable() });
const Implementation = z.object({
  /** Decisions whose 30 (or 90) days have passed. */
  due: z.number().int(),
  byStatus: z.record(z.enum([...IMPLEMENTATION_STATUSES, 'unknown']), z.number().int()),
  reasons: z.record(z.enum(NON_IMPLEMENTATION_REASONS), z.number().int()),
});

/** The team's quality report over a period: the measures MDT-quality research uses. */
export const QualityReportView = z.object({
  from: IsoDate,
  to: IsoDate,
  timeZone: z.string(),
  generatedAt: IsoDateTime,
  /** Cases on the agenda of a meeting held in the period. */
  casesDiscussed: z.number().int(),
  /** Of those, ready for conference (every required checklist item complete) before their first meeting in the period. */
  readyBeforeConference: Share,
  /** Of those, with the patient's own views recorded (by someone who met them) before that meeting. */
  patientViewsRecorded: Share,
  /** Votes closed in the period, by outcome. */
  decisions: z.object({ decided: z.number().int(), deferred: z.number().int(), notReached: z.number().int() }),
  /** Median days from a case's creation to its first decision, for decisions in the period. */
  medianDaysToDecision: z.number().nullable(),
  /** Minutes per case in meetings held in the period. */
  minutes: z.object({
    items: z.number().int(),
    plannedMedian: z.number().nullable(),
    actualMedian: z.number().nullable(),
    /** Items whose actual time ran over the plan. */
    overPlan: z.number().int(),
  }),
  /** Whether the decisions of the period were carried out, 30 and 90 days on. */
  implementation: z.object({ at30: Implementation, at90: Implementation }),
  /** Per case discussed or decided in the period: who contributed, by discipline. */
  cases: z.array(z.object({
    id: Id,
    title: z.string(),
    patientRef: z.string(),
    meetings: z.number().int(),
    readyBeforeConference: z.boolean().nullable(),
    patientViewsRecorded: z.boolean().nullable(),
    commentDisciplines: z.array(DisciplineSchema),
    evidenceDisciplines: z.array(DisciplineSchema),
    ballotDisciplines: z.array(DisciplineSchema),
    plannedMinutes: z.number().int(),
    actualMinutes: z.number().nullable(),
    decision: z.enum(['decided', 'deferred', 'no_decision']).nullable(),
    daysToDecision: z.number().nullable(),
  })),
});
export type QualityReportView = z.infer<typeof QualityReportView>;
