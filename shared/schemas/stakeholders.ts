import { z } from 'zod';
import { Id, IsoDate, IsoDateTime, OptionalDate, optionalText, text } from './common.js';

export const STAKEHOLDER_KINDS = ['insurer', 'family', 'patient', 'clinician', 'other'] as const;
export type StakeholderKind = (typeof STAKEHOLDER_KINDS)[number];
export const STAKEHOLDER_KIND_LABELS: Record<StakeholderKind, string> = {
  insurer: 'Insurer',
  family: 'Family',
  patient: 'Patient',
  clinician: 'Clinician',
  other: 'Other',
};

export const CHANNELS = ['phone', 'email', 'letter', 'portal', 'meeting', 'video', 'fax', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  phone: 'Phone', email: 'Email', letter: 'Letter', portal: 'Portal', meeting: 'In person', video: 'Video call', fax: 'Fax', other: 'Other',
};

export const STAKEHOLDER_STATUSES = ['open', 'awaiting_reply', 'resolved'] as const;
export type StakeholderStatus = (typeof STAKEHOLDER_STATUSES)[number];
export const STAKEHOLDER_STATUS_LABELS: Record<StakeholderStatus, string> = {
  open: 'Open',
  awaiting_reply: 'Awaiting reply',
  resolved: 'Resolved',
};

const fields = {
  stakeholder: z.enum(STAKEHOLDER_KINDS, { error: `must be one of: ${STAKEHOLDER_KINDS.join(', ')}` }),
  /** Who, by name or role: "Medical director, Acme Health", "Patient's son". */
  who: text(1, 200),
  channel: z.enum(CHANNELS, { error: `must be one of: ${CHANNELS.join(', ')}` }),
  /** When the contact happened. */
  date: IsoDate,
  concerns: optionalText(4000),
  response: optionalText(4000),
  nextStep: optionalText(1000),
  nextStepDue: OptionalDate,
  status: z.enum(STAKEHOLDER_STATUSES, { error: `must be one of: ${STAKEHOLDER_STATUSES.join(', ')}` }),
};

export const CreateStakeholderBody = z
  .strictObject({
    stakeholder: fields.stakeholder,
    who: fields.who,
    channel: fields.channel,
    date: fields.date,
    concerns: fields.concerns.default(''),
    response: fields.response.default(''),
    nextStep: fields.nextStep.default(''),
    nextStepDue: fields.nextStepDue.default(null),
    status: fields.status.default('open'),
  })
  .refine((b) => b.nextStepDue === null || b.nextStep !== '', { error: 'needs a next step to go with its due date', path: ['nextStep'] });
export type CreateStakeholderBody = z.input<typeof CreateStakeholderBody>;

export const UpdateStakeholderBody = z
  .strictObject({
    stakeholder: fields.stakeholder.optional(),
    who: fields.who.optional(),
    channel: fields.channel.optional(),
    date: fields.date.optional(),
    concerns: fields.concerns.optional(),
    response: fields.response.optional(),
    nextStep: fields.nextStep.optional(),
    nextStepDue: fields.nextStepDue.optional(),
    status: fields.status.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateStakeholderBody = z.infer<typeof UpdateStakeholderBody>;

export const StakeholderParams = z.strictObject({ caseId: Id, entryId: Id });

export const StakeholderView = z.object({
  id: Id,
  caseId: Id,
  stakeholder: fields.stakeholder,
  who: z.string(),
  channel: fields.channel,
  date: z.string(),
  concerns: z.string(),
  response: z.string(),
  nextStep: z.string(),
  nextStepDue: z.string().nullable(),
  status: fields.status,
  /** The next step is not resolved and its due date has passed. */
  overdue: z.boolean(),
  /** Days from today (in the team's time zone) to the next step's due date; negative when past. */
  nextStepDaysLeft: z.number().int().nullable(),
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type StakeholderView = z.infer<typeof StakeholderView>;
export const StakeholderResponse = z.object({ entry: StakeholderView });
export const StakeholderListResponse = z.object({ entries: z.array(StakeholderView) });
