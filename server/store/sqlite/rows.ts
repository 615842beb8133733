import type { AuditRecord, CaseRecord, MembershipRecord, SessionRecord, UserRecord } from '../port.js';

/** Row shapes as sqlite returns them, and their conversion to port records. */
export interface UserRow {
  id: string; email: string; name: string; discipline: string; password_hash: string; created_at: string;
  reminder_minutes: number; calendar_token_hash: string | null;
}
export interface SessionRow { id: string; user_id: string; created_at: string; expires_at: string }
export interface CaseRow {
  id: string; title: string; patient_ref: string; problem: string; resistance: string;
  required_disciplines: string; status: string; created_by: string; created_at: string; updated_at: string;
}
export interface MembershipRow { case_id: string; user_id: string; role: string; discipline: string; added_by: string; added_at: string }
export interface AuditRow { id: string; case_id: string | null; conference_id: string | null; actor_id: string | null; action: string; target: string | null; fields: string; at: string }

export const toUser = (r: UserRow): UserRecord => ({
  id: r.id, email: r.email, name: r.name, discipline: r.discipline as UserRecord['discipline'],
  passwordHash: r.password_hash, createdAt: r.created_at,
  reminderMinutes: r.reminder_minutes, calendarTokenHash: r.calendar_token_hash,
});

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at,
});

export const toCase = (r: CaseRow): CaseRecord => ({
  id: r.id, title: r.title, patientRef: r.patient_ref, problem: r.problem,
  resistance: JSON.parse(r.resistance) as CaseRecord['resistance'],
  requiredDisciplines: JSON.parse(r.required_disciplines) as CaseRecord['requiredDisciplines'],
  status: r.status as CaseRecord['status'], createdBy: r.created_by, createdAt: r.created_at, updatedAt: r.updated_at,
});

export const toMembership = (r: MembershipRow): MembershipRecord => ({
  caseId: r.case_id, userId: r.user_id, role: r.role as MembershipRecord['role'],
  discipline: r.discipline as MembershipRecord['discipline'], addedBy: r.added_by, addedAt: r.added_at,
});

export const toAudit = (r: AuditRow): AuditRecord => ({
  id: r.id, caseId: r.case_id, conferenceId: r.conference_id, actorId: r.actor_id, action: r.action, target: r.target,
  fields: JSON.parse(r.fields) as string[], at: r.at,
});

/** Whether better-sqlite3 threw for a broken UNIQUE or PRIMARY KEY rule. */
export function isUniqueError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
