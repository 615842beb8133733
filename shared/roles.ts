/**
 * Roles on a case and what each may do. This is the single authorization table: the HTTP
 * routes, the Socket.io handlers and the Yjs upgrade all ask it, and the client receives the
 * resulting abilities instead of re-deriving the rules.
 */
import type { CaseStatus } from './schemas/cases.js';

export const ROLES = ['owner', 'editor', 'commenter', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  editor: 'Editor',
  commenter: 'Commenter',
  viewer: 'Viewer',
};

export interface CaseAbilities {
  /** Read the case, its team and its brief. Every member can. */
  read: boolean;
  /** Change the case details (title, problem, resistance, required disciplines, status). */
  editDetails: boolean;
  /** Type in the case brief; others receive a read-only sync. */
  editBrief: boolean;
  /** Take part in discussion. */
  comment: boolean;
  /** Invite members, change roles, remove members. */
  manageTeam: boolean;
  /** Archive or restore the case. */
  archive: boolean;
  /** Keep the case's records: evidence, stakeholder log, readiness states, coverage requests. */
  editRecords: boolean;
  /** Add items to the readiness checklist, or remove those added. */
  manageChecklist: boolean;
  /** Open a decision round. */
  openVote: boolean;
  /** Cast a ballot (viewers watch). */
  vote: boolean;
  /** Close a round by hand and write the recommendation. */
  closeVote: boolean;
  /** Read and export the case's audit log. */
  viewAudit: boolean;
}

const TABLE: Record<Role, CaseAbilities> = {
  owner: { read: true, editDetails: true, editBrief: true, comment: true, manageTeam: true, archive: true, editRecords: true, manageChecklist: true, openVote: true, vote: true, closeVote: true, viewAudit: true },
  editor: { read: true, editDetails: true, editBrief: true, comment: true, manageTeam: false, archive: false, editRecords: true, manageChecklist: false, openVote: true, vote: true, closeVote: false, viewAudit: false },
  commenter: { read: true, editDetails: false, editBrief: false, comment: true, manageTeam: false, archive: false, editRecords: false, manageChecklist: false, openVote: false, vote: true, closeVote: false, viewAudit: false },
  viewer: { read: true, editDetails: false, editBrief: false, comment: false, manageTeam: false, archive: false, editRecords: false, manageChecklist: false, openVote: false, vote: false, closeVote: false, viewAudit: false },
};

const FROZEN: CaseAbilities = {
  read: true, editDetails: false, editBrief: false, comment: false, manageTeam: false, archive: false, editRecords: false, manageChecklist: false,
  openVote: false, vote: false, closeVote: false, viewAudit: false,
};

/**
 * What a member with this role may do on a case in this status. An archived case is frozen:
 * everyone may still read it, and those who may archive may restore it.
 */
export function abilitiesFor(role: Role, status?: CaseStatus): CaseAbilities {
  const base = TABLE[role];
  if (status !== 'archived') return { ...base };
  return { ...FROZEN, archive: base.archive, viewAudit: base.viewAudit };
}

/** Whether a member with this role may do the named thing (on a case in this status, if given). */
export function can(role: Role, ability: keyof CaseAbilities, status?: CaseStatus): boolean {
  return abilitiesFor(role, status)[ability];
}
