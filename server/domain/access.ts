import type { CaseAbilities } from '../../shared/roles.js';
import { can } from '../../shared/roles.js';
import type { CaseRecord, MembershipRecord, Store } from '../store/port.js';
import { forbidden, notFound } from './errors.js';

const FORBIDDEN_MESSAGES: Record<keyof CaseAbilities, string> = {
  read: 'You cannot read this case.',
  editDetails: 'Your role on this case does not allow changing its details.',
  editBrief: 'Your role on this case does not allow editing the brief.',
  comment: 'Your role on this case does not allow commenting.',
  manageTeam: 'Only an owner of this case can manage its team.',
  archive: 'Only an owner of this case can archive or restore it.',
  editRecords: "Your role on this case does not allow changing its records (evidence, stakeholder log, readiness, coverage).",
  manageChecklist: 'Only an owner of this case can add or remove readiness items.',
  openVote: 'Only owners and editors of this case can open a vote.',
  vote: 'Viewers follow the vote but do not cast ballots.',
  closeVote: 'Only an owner of this case can close a vote.',
  viewAudit: "Only an owner of this case can see its audit log.",
};

/**
 * The one gate to a case, used by HTTP routes, Socket.io events and the Yjs upgrade alike.
 * Someone who is not on the team gets the same not-found as for a case that does not exist.
 */
export class CaseAccess {
  constructor(private readonly store: Store) {}

  /** The user's membership, or null when they are not on the case (or it does not exist). */
  async membership(caseId: string, userId: string): Promise<MembershipRecord | null> {
    return this.store.memberships.find(caseId, userId);
  }

  /** The case and the user's membership; throws not-found for non-members and, if asked, forbidden without the ability. */
  async require(caseId: string, userId: string, ability: keyof CaseAbilities = 'read'): Promise<{ record: CaseRecord; membership: MembershipRecord }> {
    const membership = await this.store.memberships.find(caseId, userId);
    if (!membership) throw notFound();
    const record = await this.store.cases.findById(caseId);
    if (!record) throw notFound();
    if (!can(membership.role, ability, record.status)) {
      throw forbidden(can(membership.role, ability) ? 'This case is archived. Restore it before changing it.' : FORBIDDEN_MESSAGES[ability]);
    }
    return { record, membership };
  }
}
