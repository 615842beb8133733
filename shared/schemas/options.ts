import { z } from 'zod';
import { Id, IsoDateTime, optionalText, text } from './common.js';

const fields = {
  /** A short name, e.g. "Pembrolizumab monotherapy". */
  title: text(1, 200),
  description: optionalText(4000),
  /** What the patient can expect to gain. */
  expectedBenefit: optionalText(2000),
  risks: optionalText(2000),
  /** Burden for the patient: visits, side effects, cost or coverage. */
  burden: optionalText(2000),
  /** Evidence items of this case that support the option. */
  evidenceIds: z
    .array(Id, { error: 'must be a list of evidence item ids' })
    .max(50, { error: 'may list at most 50 items' })
    .refine((a) => new Set(a).size === a.length, { error: 'must not list an item twice' }),
};

export const CreateOptionBody = z.strictObject({
  title: fields.title,
  description: fields.description.default(''),
  expectedBenefit: fields.expectedBenefit.default(''),
  risks: fields.risks.default(''),
  burden: fields.burden.default(''),
  evidenceIds: fields.evidenceIds.default([]),
});
export type CreateOptionBody = z.input<typeof CreateOptionBody>;

export const UpdateOptionBody = z
  .strictObject({
    title: fields.title.optional(),
    description: fields.description.optional(),
    expectedBenefit: fields.expectedBenefit.optional(),
    risks: fields.risks.optional(),
    burden: fields.burden.optional(),
    evidenceIds: fields.evidenceIds.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateOptionBody = z.infer<typeof UpdateOptionBody>;

export const OptionParams = z.strictObject({ caseId: Id, optionId: Id });

export const OptionView = z.object({
  id: Id,
  caseId: Id,
  title: z.string(),
  description: z.string(),
  expectedBenefit: z.string(),
  risks: z.string(),
  burden: z.string(),
  /** Supporting evidence that still exists, in the order given. */
  evidenceIds: z.array(Id),
  /** Who proposed it. */
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type OptionView = z.infer<typeof OptionView>;
export const OptionResponse = z.object({ option: OptionView });
export const OptionListResponse = z.object({ options: z.array(OptionView) });
