import { z } from 'zod';
import { ROLES } from '../roles.js';
import { DisciplineSchema, Email } from './auth.js';
import { Id, IsoDateTime, optionalText, text } from './common.js';

export const RESISTANCE_SOURCES = ['insurer', 'clinician', 'patient', 'family', 'other'] as const;
export type ResistanceSource = (typeof RESISTANCE_SOURCES)[number];
export const RESISTANCE_SOURCE_LABELS: Record<ResistanceSource, string> = {
  insurer: 'Insurer',
  clinician: 'Clinician',
  patient: 'Patient',
  family: 'Family',
  other: 'Other',
};

export const CASE_STATUSES = ['draft', 'in_review', 'decided', 'archived'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  decided: 'Decided',
  archived: 'Archived',
};

/**
 * A pseudonymous patient reference such as "PT-4821". It must hold a digit so that a name
 * typed by habit ("Jane Doe") is refused: Consilium never needs the patient's name.
 */
export const PatientRef = z
  .string({ error: 'must be text' })
  .trim()
  .min(2, { error: 'is required' })
  .max(40, { error: 'must be at most 40 characters' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._#/-]*$/, { error: 'may use letters, digits, spaces and . _ # / - only' })
  .regex(/\d/, { error: "must contain a digit: use a pseudonymous code such as PT-4821, not the patient's name" });

export const ResistanceEntry = z.strictObject({
  /** Who is resisting the plan. */
  source: z.enum(RESISTANCE_SOURCES, { error: `must be one of: ${RESISTANCE_SOURCES.join(', ')}` }),
  /** What was said, in brief. */
  description: text(1, 2000),
});
export type ResistanceEntry = z.infer<typeof ResistanceEntry>;

const caseFields = {
  /** A short title for the team, e.g. "Second-line immunotherapy denial". */
  title: text(1, 200),
  patientRef: PatientRef,
  /** The clinical problem in a few sentences. */
  problem: optionalText(4000),
  /** The resistance the plan meets. */
  resistance: z.array(ResistanceEntry, { error: 'must be a list' }).max(20, { error: 'must have at most 20 entries' }),
  /** The disciplines whose view the recommendation needs. */
  requiredDisciplines: z
    .array(DisciplineSchema, { error: 'must be a list' })
    .max(13, { error: 'must have at most 13 entries' })
    .refine((a) => new Set(a).size === a.length, { error: 'must not repeat a discipline' }),
};

export const CreateCaseBody = z.strictObject({
  title: caseFields.title,
  patientRef: caseFields.patientRef,
  problem: caseFields.problem.default(''),
  resistance: caseFields.resistance.default([]),
  requiredDisciplines: caseFields.requiredDisciplines.default([]),
});
export type CreateCaseBody = z.input<typeof CreateCaseBody>;

export const CaseStatusSchema = z.enum(CASE_STATUSES, { error: `must be one of: ${CASE_STATUSES.join(', ')}` });

export const UpdateCaseBody = z
  .strictObject({
    title: caseFields.title.optional(),
    patientRef: caseFields.patientRef.optional(),
    problem: caseFields.problem.optional(),
    resistance: caseFields.resistance.optional(),
    requiredDisciplines: caseFields.requiredDisciplines.optional(),
    status: CaseStatusSchema.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { error: 'must change at least one field' });
export type UpdateCaseBody = z.infer<typeof UpdateCaseBody>;

export const CaseParams = z.strictObject({ caseId: Id });
export const MemberParams = z.strictObject({ caseId: Id, userId: Id });

export const ListCasesQuery = z.strictObject({
  /** "true" to list archived cases instead of active ones. */
  archived: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
});

export const RoleSchema = z.enum(ROLES, { error: `must be one of: ${ROLES.join(', ')}` });

export const AddMemberBody = z.strictObject({
  /** The email of an existing Consilium account. */
  email: Email,
  role: RoleSchema,
  /** The discipline this person represents on this case; defaults to their own. */
  discipline: DisciplineSchema.optional(),
});
export type AddMemberBody = z.input<typeof AddMemberBody>;

export const UpdateMemberBody = z
  .strictObject({ role: RoleSchema.optional(), discipline: DisciplineSchema.optional() })
  .refine((b) => b.role !== undefined || b.discipline !== undefined, { error: 'must change role or discipline' });
export type UpdateMemberBody = z.infer<typeof UpdateMemberBody>;

export const AbilitiesView = z.object({
  read: z.boolean(),
  editDetails: z.boolean(),
  editBrief: z.boolean(),
  comment: z.boolean(),
  manageTeam: z.boolean(),
  archive: z.boolean(),
  editRecords: z.boolean(),
  manageChecklist: z.boolean(),
  openVote: z.boolean(),
  vote: z.boolean(),
  closeVote: z.boolean(),
  viewAudit: z.boolean(),
});

export const CaseHealth = z.object({
  readiness: z.object({ complete: z.number().int(), required: z.number().int(), ready: z.boolean() }),
  /** Stakeholder next steps past their due date. */
  overdueNextSteps: z.number().int(),
  /** Appeal and peer-to-peer deadlines within seven days. */
  deadlinesDueSoon: z.number().int(),
  deadlinesOverdue: z.number().int(),
  /** Comments the caller has not read. */
  unread: z.number().int(),
});
export type CaseHealth = z.infer<typeof CaseHealth>;

export const CaseView = z.object({
  id: Id,
  title: z.string(),
  patientRef: z.string(),
  problem: z.string(),
  resistance: z.array(ResistanceEntry),
  requiredDisciplines: z.array(DisciplineSchema),
  status: CaseStatusSchema,
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** The caller's role on this case and what it lets them do. */
  myRole: RoleSchema,
  abilities: AbilitiesView,
  health: CaseHealth,
});
export type CaseView = z.infer<typeof CaseView>;

export const CaseResponse = z.object({ case: CaseView });
export const CaseListResponse = z.object({ cases: z.array(CaseView) });

export const MemberView = z.object({
  userId: Id,
  name: z.string(),
  email: z.string(),
  role: RoleSchema,
  discipline: DisciplineSchema,
  addedAt: IsoDateTime,
});
export type MemberView = z.infer<typeof MemberView>;

export const MemberResponse = z.object({ member: MemberView });
export const MemberListResponse = z.object({ members: z.array(MemberView) });

export const AuditEntryView = z.object({
  id: z.string(),
  at: IsoDateTime,
  actor: z.object({ id: Id, name: z.string() }).nullable(),
  action: z.string(),
  /** The id of what changed (a member's user id, for example). */
  target: z.string().nullable(),
  /** Names of the fields that changed; never their clinical content. */
  fields: z.array(z.string()),
});
export type AuditEntryView = z.infer<typeof AuditEntryView>;
export const AuditListResponse = z.object({ entries: z.array(AuditEntryView) });
