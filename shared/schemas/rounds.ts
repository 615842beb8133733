import { z } from 'zod';
import { DECISION_RULES, STANCES } from '../decision.js';
import { DisciplineSchema } from './auth.js';
import { Id, IsoDateTime, optionalText, text } from './common.js';

export const VISIBILITIES = ['open', 'blind'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const STANCE_LABELS: Record<(typeof STANCES)[number], string> = {
  support: 'Support',
  support_with_reservations: 'Support with reservations',
  object: 'Object',
  abstain: 'Abstain',
};

export const DECISION_RULE_LABELS: Record<(typeof DECISION_RULES)[number], string> = {
  simple_majority: 'Simple majority',
  supermajority: 'Supermajority',
  consensus: 'Consensus (no objection)',
};

const Quorum = z.strictObject({
  /** At least this many members must vote. */
  minVoters: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be at least 1' }).max(100, { error: 'must be at most 100' }),
  /** Each of these disciplines must be among the voters. */
  requiredDisciplines: z
    .array(DisciplineSchema, { error: 'must be a list' })
    .max(13, { error: 'must have at most 13 entries' })
    .refine((a) => new Set(a).size === a.length, { error: 'must not repeat a discipline' }),
});

export const OpenRoundBody = z
  .strictObject({
    /** What the team decides, e.g. "Which second-line treatment do we recommend?" */
    question: text(1, 500),
    /** The options voted on: two or more of the case's options. */
    optionIds: z
      .array(Id, { error: 'must be a list of option ids' })
      .min(2, { error: 'must offer at least two options' })
      .max(10, { error: 'may offer at most 10 options' })
      .refine((a) => new Set(a).size === a.length, { error: 'must not list an option twice' }),
    rule: z.enum(DECISION_RULES, { error: `must be one of: ${DECISION_RULES.join(', ')}` }),
    /** For a supermajority: the share of support needed, above one half and at most all. */
    threshold: z.number({ error: 'must be a number' }).gt(0.5, { error: 'must be more than 0.5' }).lte(1, { error: 'must be at most 1' }).nullable().default(null),
    quorum: Quorum,
    /** When the server closes the vote by itself; null to close by hand. */
    closesAt: IsoDateTime.nullable().default(null),
    /** open: stances visible as they come; blind: hidden until the vote closes. */
    visibility: z.enum(VISIBILITIES, { error: 'must be open or blind' }).default('open'),
  })
  .superRefine((b, ctx) => {
    if (b.rule === 'supermajority' && b.threshold === null) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'is required for a supermajority' });
    if (b.rule !== 'supermajority' && b.threshold !== null) ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'is only for a supermajority' });
  });
export type OpenRoundBody = z.input<typeof OpenRoundBody>;

const StanceEntry = z
  .strictObject({
    stance: z.enum(STANCES, { error: `must be one of: ${STANCES.join(', ')}` }),
    /** Why; required to object or to support with reservations. */
    rationale: optionalText(2000).default(''),
  })
  .superRefine((s, ctx) => {
    if ((s.stance === 'object' || s.stance === 'support_with_reservations') && s.rationale === '') {
      ctx.addIssue({ code: 'custom', path: ['rationale'], message: 'is required to object or to support with reservations' });
    }
  });

export const BallotBody = z
  .strictObject({
    /** A stance per option, keyed by option id. */
    stances: z.record(Id, StanceEntry, { error: 'must map option ids to stances' }).default({}),
    /** "Defer: information needed": what is missing. Null to vote on the options. */
    defer: text(1, 1000).nullable().default(null),
  })
  .superRefine((b, ctx) => {
    if (b.defer === null && Object.keys(b.stances).length === 0) ctx.addIssue({ code: 'custom', path: ['stances'], message: 'needs a stance on at least one option, or a deferral' });
    if (b.defer !== null && Object.keys(b.stances).length > 0) ctx.addIssue({ code: 'custom', path: ['defer'], message: 'cannot go with stances: defer, or take a stance' });
  });
export type BallotBody = z.input<typeof BallotBody>;

export const RoundParams = z.strictObject({ caseId: Id, roundId: Id });

/** The unified recommendation an owner writes after a decided round. */
export const RecommendationBody = z.strictObject({ text: text(1, 8000) });

const Person = z.object({ id: Id, name: z.string() });

export const BallotView = z.object({
  voter: Person,
  discipline: DisciplineSchema,
  defer: z.string().nullable(),
  stances: z.record(z.string(), z.object({ stance: z.enum(STANCES), rationale: z.string() })),
  castAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type BallotView = z.infer<typeof BallotView>;

export const OutcomeView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('decided'), optionId: Id }),
  z.object({ kind: z.literal('deferred'), information: z.array(z.string()) }),
  z.object({ kind: z.literal('no_decision'), reason: z.enum(['quorum_not_met', 'tie', 'objection', 'threshold_not_reached']), detail: z.string() }),
]);

export const ResultView = z.object({
  quorum: z.object({ met: z.boolean(), voters: z.number().int(), votersMissing: z.number().int(), disciplinesMissing: z.array(DisciplineSchema) }),
  tallies: z.array(z.object({ optionId: Id, support: z.number().int(), reservations: z.number().int(), object: z.number().int(), abstain: z.number().int(), silent: z.number().int() })),
  outcome: OutcomeView,
});
export type ResultView = z.infer<typeof ResultView>;

export const RoundView = z.object({
  id: Id,
  caseId: Id,
  question: z.string(),
  options: z.array(z.object({ id: Id, title: z.string() })),
  rule: z.enum(DECISION_RULES),
  threshold: z.number().nullable(),
  quorum: Quorum,
  closesAt: IsoDateTime.nullable(),
  visibility: z.enum(VISIBILITIES),
  status: z.enum(['open', 'closed']),
  openedBy: Person,
  openedAt: IsoDateTime,
  closedAt: IsoDateTime.nullable(),
  /** Who closed it; null when the server closed it at its closing time. */
  closedBy: Person.nullable(),
  /** Who has voted (always shown, for quorum progress), with their discipline. */
  voters: z.array(z.object({ id: Id, name: z.string(), discipline: DisciplineSchema })),
  /** The caller's own ballot, if any. */
  myBallot: BallotView.nullable(),
  /** Every ballot: in an open round, or once closed; empty while a blind round is open. */
  ballots: z.array(BallotView),
  /** The live tally and the outcome so far (final once closed); null while a blind round is open. */
  result: ResultView.nullable(),
  /** The brief as it stood when the round closed (plain text), kept with the round. */
  briefSnapshot: z.string().nullable(),
  /** Whether the recommendation was carried out, and why not; oldest first. */
  followUps: z.lazy(() => z.array(FollowUpView)),
  /** The unified recommendation, once an owner has written it. */
  recommendation: z
    .object({ option: z.object({ id: Id, title: z.string() }), text: z.string(), writtenBy: Person, writtenAt: IsoDateTime })
    .nullable(),
});
export type RoundView = z.infer<typeof RoundView>;
export const RoundResponse = z.object({ round: RoundView });
export const RoundListResponse = z.object({ rounds: z.array(RoundView) });

export const IMPLEMENTATION_STATUSES = ['implemented', 'partially_implemented', 'not_implemented'] as const;
export type ImplementationStatus = (typeof IMPLEMENTATION_STATUSES)[number];
export const IMPLEMENTATION_STATUS_LABELS: Record<ImplementationStatus, string> = {
  implemented: 'Implemented', partially_implemented: 'Partially implemented', not_implemented: 'Not implemented',
};

/** Why a recommendation was not (fully) carried out; published audits find a fifth carry no reason, here none may. */
export const NON_IMPLEMENTATION_REASONS = ['patient_preference', 'payer_denial', 'clinical_change', 'patient_unreachable', 'other'] as const;
export type NonImplementationReason = (typeof NON_IMPLEMENTATION_REASONS)[number];
export const NON_IMPLEMENTATION_REASON_LABELS: Record<NonImplementationReason, string> = {
  patient_preference: 'Patient preference', payer_denial: 'Payer denial', clinical_change: 'Clinical change',
  patient_unreachable: 'Patient unreachable', other: 'Other',
};

export const FollowUpBody = z
  .strictObject({
    status: z.enum(IMPLEMENTATION_STATUSES, { error: `must be one of: ${IMPLEMENTATION_STATUSES.join(', ')}` }),
    /** Required unless the recommendation was implemented. */
    reason: z.enum(NON_IMPLEMENTATION_REASONS, { error: `must be one of: ${NON_IMPLEMENTATION_REASONS.join(', ')}` }).nullable().default(null),
    note: optionalText(2000).default(''),
  })
  .superRefine((b, ctx) => {
    if (b.status !== 'implemented' && b.reason === null) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is required when the recommendation was not fully carried out' });
    if (b.status === 'implemented' && b.reason !== null) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only for a recommendation not fully carried out' });
  });
export type FollowUpBody = z.input<typeof FollowUpBody>;

export const FollowUpView = z.object({
  id: Id,
  roundId: Id,
  status: z.enum(IMPLEMENTATION_STATUSES),
  reason: z.enum(NON_IMPLEMENTATION_REASONS).nullable(),
  note: z.string(),
  recordedBy: Person,
  recordedAt: IsoDateTime,
});
export type FollowUpView = z.infer<typeof FollowUpView>;
export const FollowUpListResponse = z.object({ followUps: z.array(FollowUpView) });
export const FollowUpResponse = z.object({ followUp: FollowUpView });
