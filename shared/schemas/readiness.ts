import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, OptionalDate, optionalText, text } from './common.js';

/** The minimum dataset a conference needs, created with every case. */
export const STANDARD_READINESS_ITEMS = [
  { key: 'history', label: 'History' },
  { key: 'imaging', label: 'Imaging' },
  { key: 'pathology', label: 'Pathology' },
  { key: 'comorbidities', label: 'Comorbidities' },
  { key: 'psychosocial', label: 'Psychosocial context' },
  { key: 'patient_views', label: "Patient's views and preferences" },
  { key: 'coverage', label: 'Coverage status' },
] as const;
export type StandardReadinessKey = (typeof STANDARD_READINESS_ITEMS)[number]['key'];

export const READINESS_STATES = ['missing', 'partial', 'complete'] as const;
export type ReadinessState = (typeof READINESS_STATES)[number];
export const READINESS_STATE_LABELS: Record<ReadinessState, string> = { missing: 'Missing', partial: 'Partial', complete: 'Complete' };

const State = z.enum(READINESS_STATES, { error: 'must be missing, partial or complete' });

/** Owners add items beyond the standard ones. */
export const CreateReadinessItemBody = z.strictObject({
  label: text(1, 200),
  required: z.boolean({ error: 'must be true or false' }).default(true),
});
export type CreateReadinessItemBody = z.input<typeof CreateReadinessItemBody>;

export const UpdateReadinessItemBody = z
  .strictObject({
    state: State.optional(),
    note: optionalText(2000).optional(),
    /** For the patient's views: who recorded them, having met the patient. */
    recordedBy: optionalText(200).optional(),
    /** For the patient's views: when they met the patient. */
    metOn: OptionalDate.optional(),
    /** Owners only. */
    required: z.boolean({ error: 'must be true or false' }).optional(),
    /** Owners only, and only for items they added. */
    label: text(1, 200).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateReadinessItemBody = z.infer<typeof UpdateReadinessItemBody>;

export const ReadinessParams = z.strictObject({ caseId: Id, itemId: Id });

export const ReadinessItemView = z.object({
  id: Id,
  caseId: Id,
  /** The standard item's key, or null for an item an owner added. */
  key: z.string().nullable(),
  label: z.string(),
  required: z.boolean(),
  state: State,
  note: z.string(),
  recordedBy: z.string(),
  metOn: IsoDate.nullable(),
  /** Who last set the state, and when. */
  confirmedBy: z.object({ id: Id, name: z.string() }).nullable(),
  confirmedAt: IsoDateTime.nullable(),
});
export type ReadinessItemView = z.infer<typeof ReadinessItemView>;

export const ReadinessSummary = z.object({
  complete: z.number().int(),
  required: z.number().int(),
  /** Every required item is complete. */
  ready: z.boolean(),
});
export type ReadinessSummary = z.infer<typeof ReadinessSummary>;

export const ReadinessResponse = z.object({ items: z.array(ReadinessItemView), summary: ReadinessSummary });
export const ReadinessItemResponse = z.object({ item: ReadinessItemView, summary: ReadinessSummary });
