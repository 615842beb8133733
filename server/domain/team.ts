import type { AddMemberBody, UpdateMemberBody } from '../../shared/schemas/cases.js';
import { UniqueViolation } from '../store/errors.js';
import type { MembershipChangeResult, MembershipRecord, Store, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { conflict, DomainError, notFound } from './errors.js';
import type { DomainEvents } from './events.js';
import type { NotificationService } from './notifications.js';

export interface TeamMember {
  membership: MembershipRecord;
  user: UserRecord;
}

type ParsedAdd = AddMemberBody & { email: string };

/** The team of a case: who is on it, with which role and discipline. */
export class TeamService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly notifications: NotificationService,
  ) {}

  async list(user: UserRecord, caseId: string): Promise<TeamMember[]> {
    await this.access.require(caseId, user.id, 'read');
    return this.members(caseId);
  }

  /** Every member with their account, in the order they joined. */
  async members(caseId: string): Promise<TeamMember[]> {
    const memberships = await this.store.memberships.listByCase(caseId);
    const users = new Map((await this.store.users.findManyByIds(memberships.map((m) => m.userId))).map((u) => [u.id, u]));
    return memberships.flatMap((membership) => {
      const u = users.get(membership.userId);
      return u ? [{ membership, user: u }] : [];
    });
  }

  async add(actor: UserRecord, caseId: string, input: ParsedAdd): Promise<TeamMember> {
    await this.access.require(caseId, actor.id, 'manageTeam');
    const invitee = await this.store.users.findByEmail(input.email);
    if (!invitee) throw notFound('An account with this email', { email: 'no Consilium account uses this email' });
    const membership: MembershipRecord = {
      caseId,
      userId: invitee.id,
      role: input.role,
      discipline: input.discipline ?? invitee.discipline,
      addedBy: actor.id,
      addedAt: this.clock.now().toISOString(),
    };
    try {
      await this.store.memberships.add(membership);
    } catch (err) {
      if (err instanceof UniqueViolation) throw conflict(`${invitee.name} is already on this case's team.`, { email: 'is already a member' });
      throw err;
    }
    await this.audit.record(caseId, actor.id, 'member.added', { target: invitee.id, fields: ['role', 'discipline'] });
    await this.notifications.notify({ kind: 'added_to_case', caseId, actorId: actor.id, recipients: [invitee.id] });
    this.events.emit('teamChanged', { caseId });
    return { membership, user: invitee };
  }

  async update(actor: UserRecord, caseId: string, userId: string, input: UpdateMemberBody): Promise<TeamMember> {
    await this.access.require(caseId, actor.id, 'manageTeam');
    const result = await this.store.memberships.update(caseId, userId, input);
    const membership = this.unwrap(result, 'change the role of');
    const user = await this.store.users.findById(userId);
    if (!user) throw notFound('That member');
    await this.audit.record(caseId, actor.id, 'member.updated', { target: userId, fields: Object.keys(input) });
    this.events.emit('teamChanged', { caseId });
    if (input.role) this.events.emit('memberRoleChanged', { caseId, userId, role: membership.role });
    return { membership, user };
  }

  /** Removes a member; members may also remove themselves (leave), unless they are the last owner. */
  async remove(actor: UserRecord, caseId: string, userId: string): Promise<void> {
    await this.access.require(caseId, actor.id, actor.id === userId ? 'read' : 'manageTeam');
    this.unwrap(await this.store.memberships.remove(caseId, userId), 'remove');
    await this.notifications.forgetCase(userId, caseId);
    await this.audit.record(caseId, actor.id, 'member.removed', { target: userId });
    this.events.emit('memberRemoved', { caseId, userId });
    this.events.emit('teamChanged', { caseId });
  }

  private unwrap(result: MembershipChangeResult, verb: string): MembershipRecord {
    if (result.ok) return result.membership;
    if (result.reason === 'not_found') throw notFound('That member');
    throw new DomainError('last_owner', `You cannot ${verb} the last owner of a case. Make someone else an owner first.`);
  }
}
