/**
 * Presenters: the only way stored records leave the server. Each names the fields that may
 * be sent; nothing else (password hashes, internal ids) can slip out.
 */
import { abilitiesFor } from '../shared/roles.js';
import type { UserView } from '../shared/schemas/auth.js';
import type { AuditEntryView, CaseHealth, CaseView, MemberView } from '../shared/schemas/cases.js';
import type { TeamMember } from './domain/team.js';
import type { AuditRecord, CaseRecord, MembershipRecord, UserRecord } from './store/port.js';

export function presentUser(u: UserRecord): UserView {
  return { id: u.id, email: u.email, name: u.name, discipline: u.discipline };
}

/** A case as one member sees it: their role, their abilities, and the case's flags for them. */
export function presentCase(c: CaseRecord, membership: MembershipRecord, health: CaseHealth): CaseView {
  return {
    id: c.id,
    title: c.title,
    patientRef: c.patientRef,
    problem: c.problem,
    resistance: c.resistance.map((r) => ({ source: r.source, description: r.description })),
    requiredDisciplines: [...c.requiredDisciplines],
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    myRole: membership.role,
    abilities: abilitiesFor(membership.role, c.status),
    health,
  };
}

export function presentMember({ membership, user }: TeamMember): MemberView {
  return {
    userId: user.id,
    name: user.name,
    email: user.email,
    role: membership.role,
    discipline: membership.discipline,
    addedAt: membership.addedAt,
  };
}

export function presentAudit(a: AuditRecord, users: Map<string, UserRecord>): AuditEntryView {
  const actor = a.actorId ? users.get(a.actorId) : undefined;
  return {
    id: a.id,
    at: a.at,
    actor: actor ? { id: actor.id, name: actor.name } : null,
    action: a.action,
    target: a.target,
    fields: [...a.fields],
  };
}
