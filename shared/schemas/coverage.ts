import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, OptionalDate, optionalText, text } from './common.js';

export const COVERAGE_DECISIONS = ['pending', 'approved', 'partially_approved', 'denied'] as const;
export type CoverageDecision = (typeof COVERAGE_DECISIONS)[number];
export const COVERAGE_DECISION_LABELS: Record<CoverageDecision, string> = {
  pending: 'Pending', approved: 'Approved', partially_approved: 'Partially approved', denied: 'Denied',
};

/** Coded denial reasons, so denials can be counted and answered by type. */
export const DENIAL_REASONS = [
  'not_medically_necessary',
  'insufficient_evidence',
  'standard_therapy_not_exhausted',
  'experimental_or_investigational',
  'out_of_network',
  'administrative',
  'other',
] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];
export const DENIAL_REASON_LABELS: Record<DenialReason, string> = {
  not_medically_necessary: 'Not medically necessary',
  insufficient_evidence: 'Insufficient evidence',
  standard_therapy_not_exhausted: 'Standard therapy not exhausted',
  experimental_or_investigational: 'Experimental or investigational',
  out_of_network: 'Out of network',
  administrative: 'Administrative or missing information',
  other: 'Other',
};

export const APPEAL_OUTCOMES = ['none', 'pending', 'overturned', 'partially_overturned', 'upheld', 'withdrawn'] as const;
export type AppealOutcome = (typeof APPEAL_OUTCOMES)[number];
export const APPEAL_OUTCOME_LABELS: Record<AppealOutcome, string> = {
  none: 'Not appealed', pending: 'Appeal pending', overturned: 'Overturned', partially_overturned: 'Partially overturned', upheld: 'Denial upheld', withdrawn: 'Withdrawn',
};

const fields = {
  payer: text(1, 200),
  /** What was requested: the drug, procedure or service. */
  requested: text(1, 1000),
  submittedOn: IsoDate,
  referenceNumber: optionalText(100),
  decision: z.enum(COVERAGE_DECISIONS, { error: `must be one of: ${COVERAGE_DECISIONS.join(', ')}` }),
  denialReason: z.enum(DENIAL_REASONS, { error: `must be one of: ${DENIAL_REASONS.join(', ')}` }).nullable(),
  /** The payer's own words, quoted from the letter. */
  payerWording: optionalText(4000),
  decidedOn: OptionalDate,
  appealDeadline: OptionalDate,
  peerToPeerDeadline: OptionalDate,
  appealOutcome: z.enum(APPEAL_OUTCOMES, { error: `must be one of: ${APPEAL_OUTCOMES.join(', ')}` }),
};

interface RuleFields {
  decision?: CoverageDecision;
  denialReason?: DenialReason | null;
  submittedOn?: string;
  decidedOn?: string | null;
  appealDeadline?: string | null;
  peerToPeerDeadline?: string | null;
}

/**
 * A denial needs its coded reason and only a denial may have one; a decision and the deadlines
 * that follow it cannot come before the request was submitted (ISO dates compare as strings).
 */
function coverageRules(b: RuleFields, ctx: z.RefinementCtx): void {
  if (b.decision !== undefined) {
    const denied = b.decision === 'denied' || b.decision === 'partially_approved';
    if (denied && !b.denialReason) ctx.addIssue({ code: 'custom', path: ['denialReason'], message: 'is required when the request is denied or partially approved' });
    if (!denied && b.denialReason) ctx.addIssue({ code: 'custom', path: ['denialReason'], message: 'is only for denied or partially approved requests' });
  }
  if (!b.submittedOn) return;
  for (const key of ['decidedOn', 'appealDeadline', 'peerToPeerDeadline'] as const) {
    const date = b[key];
    if (date && date < b.submittedOn) ctx.addIssue({ code: 'custom', path: [key], message: 'cannot be before the request was submitted' });
  }
}

export const CreateCoverageBody = z
  .strictObject({
    payer: fields.payer,
    requested: fields.requested,
    submittedOn: fields.submittedOn,
    referenceNumber: fields.referenceNumber.default(''),
    decision: fields.decision.default('pending'),
    denialReason: fields.denialReason.default(null),
    payerWording: fields.payerWording.default(''),
    decidedOn: fields.decidedOn.default(null),
    appealDeadline: fields.appealDeadline.default(null),
    peerToPeerDeadline: fields.peerToPeerDeadline.default(null),
    appealOutcome: fields.appealOutcome.default('none'),
  })
  .superRefine(coverageRules);
export type CreateCoverageBody = z.input<typeof CreateCoverageBody>;

/** Partial changes; the denial rule is checked again by the server on the merged request. */
export const UpdateCoverageBody = z
  .strictObject({
    payer: fields.payer.optional(),
    requested: fields.requested.optional(),
    submittedOn: fields.submittedOn.optional(),
    referenceNumber: fields.referenceNumber.optional(),
    decision: fields.decision.optional(),
    denialReason: fields.denialReason.optional(),
    payerWording: fields.payerWording.optional(),
    decidedOn: fields.decidedOn.optional(),
    appealDeadline: fields.appealDeadline.optional(),
    peerToPeerDeadline: fields.peerToPeerDeadline.optional(),
    appealOutcome: fields.appealOutcome.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateCoverageBody = z.infer<typeof UpdateCoverageBody>;

/** Checks the rules on a whole request (used after merging a partial change). */
export const CoverageRules = z
  .object({
    decision: fields.decision,
    denialReason: fields.denialReason,
    submittedOn: fields.submittedOn,
    decidedOn: fields.decidedOn,
    appealDeadline: fields.appealDeadline,
    peerToPeerDeadline: fields.peerToPeerDeadline,
  })
  .superRefine(coverageRules);

export const CoverageParams = z.strictObject({ caseId: Id, requestId: Id });

export const DEADLINE_STATES = ['none', 'upcoming', 'due_soon', 'overdue', 'closed'] as const;
export type DeadlineState = (typeof DEADLINE_STATES)[number];

export const DeadlineView = z.object({
  date: IsoDate,
  /** due_soon: within seven days; overdue: passed while still open; closed: no longer matters. */
  state: z.enum(DEADLINE_STATES),
  daysLeft: z.number().int(),
});
export type DeadlineView = z.infer<typeof DeadlineView>;

export const CoverageView = z.object({
  id: Id,
  caseId: Id,
  payer: z.string(),
  requested: z.string(),
  submittedOn: IsoDate,
  referenceNumber: z.string(),
  decision: fields.decision,
  denialReason: fields.denialReason,
  payerWording: z.string(),
  decidedOn: IsoDate.nullable(),
  appealDeadline: DeadlineView.nullable(),
  peerToPeerDeadline: DeadlineView.nullable(),
  appealOutcome: fields.appealOutcome,
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type CoverageView = z.infer<typeof CoverageView>;
export const CoverageResponse = z.object({ request: CoverageView });
export const CoverageListResponse = z.object({ requests: z.array(CoverageView) });
