import { z } from 'zod';
import { Id, IsoDateTime, optionalText, text } from './common.js';

export const EVIDENCE_KINDS = ['guideline', 'trial', 'outcome_data', 'clinical_note', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = {
  guideline: 'Guideline',
  trial: 'Trial',
  outcome_data: 'Outcome data',
  clinical_note: 'Clinical note',
  other: 'Other',
};

/** GRADE-style certainty of the evidence. */
export const EVIDENCE_STRENGTHS = ['high', 'moderate', 'low', 'very_low'] as const;
export type EvidenceStrength = (typeof EVIDENCE_STRENGTHS)[number];
export const EVIDENCE_STRENGTH_LABELS: Record<EvidenceStrength, string> = {
  high: 'High',
  moderate: 'Moderate',
  low: 'Low',
  very_low: 'Very low',
};

/** Only web links: a javascript: or data: URL would run in a teammate's browser. */
const WebUrl = z
  .string({ error: 'must be a web address' })
  .trim()
  .max(2000, { error: 'must be at most 2000 characters' })
  .refine((u) => u === '' || /^https?:\/\/[^\s]+$/i.test(u), { error: 'must start with http:// or https://' });

const evidenceFields = {
  kind: z.enum(EVIDENCE_KINDS, { error: `must be one of: ${EVIDENCE_KINDS.join(', ')}` }),
  title: text(1, 300),
  /** A formatted reference, e.g. "Reck M, et al. N Engl J Med 2016;375:1823-33." */
  citation: optionalText(1000),
  url: WebUrl,
  year: z.number({ error: 'must be a year' }).int({ error: 'must be a whole year' }).min(1900, { error: 'must be 1900 or later' }).max(2100, { error: 'must be 2100 or earlier' }).nullable(),
  summary: optionalText(4000),
  strength: z.enum(EVIDENCE_STRENGTHS, { error: `must be one of: ${EVIDENCE_STRENGTHS.join(', ')}` }),
};

export const CreateEvidenceBody = z.strictObject({
  kind: evidenceFields.kind,
  title: evidenceFields.title,
  citation: evidenceFields.citation.default(''),
  url: evidenceFields.url.default(''),
  year: evidenceFields.year.default(null),
  summary: evidenceFields.summary.default(''),
  strength: evidenceFields.strength,
});
export type CreateEvidenceBody = z.input<typeof CreateEvidenceBody>;

export const UpdateEvidenceBody = z
  .strictObject({
    kind: evidenceFields.kind.optional(),
    title: evidenceFields.title.optional(),
    citation: evidenceFields.citation.optional(),
    url: evidenceFields.url.optional(),
    year: evidenceFields.year.optional(),
    summary: evidenceFields.summary.optional(),
    strength: evidenceFields.strength.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateEvidenceBody = z.infer<typeof UpdateEvidenceBody>;

export const EvidenceParams = z.strictObject({ caseId: Id, evidenceId: Id });
export const DeleteEvidenceQuery = z.strictObject({
  /** "true" to delete an item that the brief still cites. */
  confirm: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

export const EvidenceView = z.object({
  id: Id,
  caseId: Id,
  kind: evidenceFields.kind,
  title: z.string(),
  citation: z.string(),
  url: z.string(),
  year: z.number().int().nullable(),
  summary: z.string(),
  strength: evidenceFields.strength,
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type EvidenceView = z.infer<typeof EvidenceView>;
export const EvidenceResponse = z.object({ evidence: EvidenceView });
export const EvidenceListResponse = z.object({ evidence: z.array(EvidenceView) });
