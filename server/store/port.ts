/**
 * The Store port: repositories written for the domain, implemented by every storage engine
 * (sqlite, mongo). Records use plain values only: ids are strings, times are ISO 8601 UTC
 * strings, binary data is Uint8Array. Engines throw UniqueViolation for a broken unique rule.
 */
import type { Discipline } from '../../shared/disciplines.js';
import type { Role } from '../../shared/roles.js';
import type { CaseStatus, ResistanceEntry } from '../../shared/schemas/cases.js';

export type EngineName = 'sqlite' | 'mongo';

export interface UserRecord {
  id: string;
  /** Lower-cased; unique. */
  email: string;
  name: string;
  discipline: Discipline;
  passwordHash: string;
  createdAt: string;
}

export interface SessionRecord {
  /** A SHA-256 hash of the cookie's secret, never the secret itself. */
  id: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

export interface CaseRecord {
  id: string;
  title: string;
  patientRef: string;
  problem: string;
  resistance: ResistanceEntry[];
  requiredDisciplines: Discipline[];
  status: CaseStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export type CaseChanges = Partial<Pick<CaseRecord, 'title' | 'patientRef' | 'problem' | 'resistance' | 'requiredDisciplines' | 'status'>>;

export interface MembershipRecord {
  caseId: string;
  userId: string;
  role: Role;
  discipline: Discipline;
  addedBy: string;
  addedAt: string;
}

export interface DocumentChunk {
  id: string;
  /** An encoded Yjs update: either one batch of edits or a compacted snapshot of many. */
  data: Uint8Array;
}

export interface AuditRecord {
  id: string;
  caseId: string;
  actorId: string | null;
  action: string;
  target: string | null;
  /** Names of changed fields, never their values. */
  fields: string[];
  at: string;
}

export interface UserRepository {
  /** Throws UniqueViolation('email') when the email is taken. */
  create(user: UserRecord): Promise<void>;
  findById(id: string): Promise<UserRecord | null>;
  findByEmail(email: string): Promise<UserRecord | null>;
  findManyByIds(ids: string[]): Promise<UserRecord[]>;
}

export interface SessionRepository {
  create(session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findValid(id: string, now: string): Promise<SessionRecord | null>;
  /** Moves the expiry of a live session (sliding sessions). */
  extend(id: string, expiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  /** Removes expired sessions; returns how many. */
  deleteExpired(now: string): Promise<number>;
}

export interface CaseRepository {
  create(record: CaseRecord): Promise<void>;
  findById(id: string): Promise<CaseRecord | null>;
  /** The cases the user is a member of, newest change first; archived ones only when asked. */
  listForUser(userId: string, opts: { archived: boolean }): Promise<CaseRecord[]>;
  /** Applies the changes and returns the updated case, or null when there is no such case. */
  update(id: string, changes: CaseChanges, updatedAt: string): Promise<CaseRecord | null>;
  /** Removes a case that was never completed (used to undo a failed creation). */
  delete(id: string): Promise<void>;
}

export type MembershipChangeResult =
  | { ok: true; membership: MembershipRecord }
  | { ok: false; reason: 'not_found' | 'last_owner' };

export interface MembershipRepository {
  /** Throws UniqueViolation('membership') when the user is already on the case. */
  add(record: MembershipRecord): Promise<void>;
  find(caseId: string, userId: string): Promise<MembershipRecord | null>;
  listByCase(caseId: string): Promise<MembershipRecord[]>;
  /**
   * Changes a member's role or discipline. The engine guarantees, even under concurrent
   * calls, that a case never ends up without an owner: such a change answers 'last_owner'.
   */
  update(caseId: string, userId: string, changes: { role?: Role; discipline?: Discipline }): Promise<MembershipChangeResult>;
  /** Removes a member, with the same last-owner guarantee as update. */
  remove(caseId: string, userId: string): Promise<MembershipChangeResult>;
}

export interface DocumentRepository {
  /** Appends one encoded Yjs update to the document's log. */
  append(docName: string, update: Uint8Array): Promise<void>;
  /** Every stored chunk of the document (updates and snapshots), in no particular order. */
  load(docName: string): Promise<DocumentChunk[]>;
  /**
   * Stores `snapshot` (which must contain every chunk in `replaces`), then deletes exactly
   * those chunks. Chunks appended meanwhile are untouched, so a racing append or a racing
   * compaction never loses an update.
   */
  compact(docName: string, snapshot: Uint8Array, replaces: string[]): Promise<void>;
}

export interface AuditRepository {
  append(record: AuditRecord): Promise<void>;
  /** The newest entries first. */
  listByCase(caseId: string, limit: number): Promise<AuditRecord[]>;
}

export interface Store {
  readonly engine: EngineName;
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly cases: CaseRepository;
  readonly memberships: MembershipRepository;
  readonly documents: DocumentRepository;
  readonly audit: AuditRepository;
  /** Resolves once indexes / migrations are in place and the engine can answer. */
  ready(): Promise<void>;
  close(): Promise<void>;
}
