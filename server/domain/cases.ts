import { randomUUID } from 'node:crypto';
import { briefDocName } from '../../shared/brief.js';
import type { CaseHealth, CreateCaseBody, UpdateCaseBody } from '../../shared/schemas/cases.js';
import type { CaseChanges, CaseRecord, MembershipRecord, Store, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import { briefTemplateUpdate } from './brief.js';
import type { Clock } from './clock.js';
import type { DomainEvents } from './events.js';
import type { CaseHealthService } from './health.js';
import type { ReadinessService } from './records.js';

export interface CaseWithRole {
  record: CaseRecord;
  membership: MembershipRecord;
  health: CaseHealth;
}

type ParsedCreate = Required<CreateCaseBody>;

/** Creating, reading, changing and archiving cases. */
export class CaseService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly health: CaseHealthService,
    private readonly readiness: ReadinessService,
  ) {}

  /**
   * Creates a case with its creator as owner and its brief seeded with the template. The
   * template goes in first and the case last-but-one, so a failure part-way leaves at most an
   * unreachable brief, never a case without an owner or a brief.
   */
  async create(user: UserRecord, input: ParsedCreate): Promise<CaseWithRole> {
    const now = this.clock.now().toISOString();
    const record: CaseRecord = {
      id: randomUUID(),
      title: input.title,
      patientRef: input.patientRef,
      problem: input.problem,
      resistance: input.resistance,
      requiredDisciplines: input.requiredDisciplines,
      status: 'draft',
      createdBy: user.id,
      createdAt: now,
      updatedAt: now,
    };
    const membership: MembershipRecord = {
      caseId: record.id,
      userId: user.id,
      role: 'owner',
      discipline: user.discipline,
      addedBy: user.id,
      addedAt: now,
    };
    await this.store.documents.append(briefDocName(record.id), briefTemplateUpdate());
    await this.store.cases.create(record);
    try {
      await this.store.memberships.add(membership);
    } catch (err) {
      await this.store.cases.delete(record.id);
      throw err;
    }
    await this.readiness.ensureStandardItems(record.id, user.id);
    await this.audit.record(record.id, user.id, 'case.created');
    return { record, membership, health: await this.healthOf(user.id, record.id) };
  }

  /** The user's cases, active or archived. */
  async list(user: UserRecord, archived: boolean): Promise<CaseWithRole[]> {
    const records = await this.store.cases.listForUser(user.id, { archived });
    const health = await this.health.forCases(user.id, records.map((r) => r.id));
    const result: CaseWithRole[] = [];
    for (const record of records) {
      const membership = await this.store.memberships.find(record.id, user.id);
      if (membership) result.push({ record, membership, health: health.get(record.id)! });
    }
    return result;
  }

  async get(user: UserRecord, caseId: string): Promise<CaseWithRole> {
    return this.withHealth(user.id, await this.access.require(caseId, user.id, 'read'));
  }

  /** The case as a member sees it, for pushes to that member. */
  async viewFor(userId: string, caseId: string): Promise<CaseWithRole | null> {
    const [record, membership] = await Promise.all([this.store.cases.findById(caseId), this.store.memberships.find(caseId, userId)]);
    if (!record || !membership) return null;
    return { record, membership, health: await this.healthOf(userId, caseId) };
  }

  private async healthOf(userId: string, caseId: string): Promise<CaseHealth> {
    return (await this.health.forCases(userId, [caseId])).get(caseId)!;
  }

  private async withHealth(userId: string, c: { record: CaseRecord; membership: MembershipRecord }): Promise<CaseWithRole> {
    return { ...c, health: await this.healthOf(userId, c.record.id) };
  }

  /** Applies a partial change. Archiving and restoring need the archive ability; the rest editDetails. */
  async update(user: UserRecord, caseId: string, input: UpdateCaseBody): Promise<CaseWithRole> {
    const { record, membership } = await this.access.require(caseId, user.id, 'read');
    const changes: CaseChanges = {};
    for (const key of ['title', 'patientRef', 'problem', 'resistance', 'requiredDisciplines', 'status'] as const) {
      if (input[key] !== undefined && JSON.stringify(input[key]) !== JSON.stringify(record[key])) {
        (changes as Record<string, unknown>)[key] = input[key];
      }
    }
    // Rights are checked against what was sent, even where it changes nothing.
    const touchesArchive = input.status !== undefined && (input.status === 'archived' || record.status === 'archived');
    if (touchesArchive) await this.access.require(caseId, user.id, 'archive');
    const others = Object.keys(input).filter((k) => (input as Record<string, unknown>)[k] !== undefined && (k !== 'status' || !touchesArchive));
    if (others.length > 0) await this.access.require(caseId, user.id, 'editDetails');
    if (Object.keys(changes).length === 0) return this.withHealth(user.id, { record, membership });

    const updated = await this.store.cases.update(caseId, changes, this.clock.now().toISOString());
    if (!updated) return this.get(user, caseId); // deleted meanwhile: answers not-found
    const action = touchesArchive ? (changes.status === 'archived' ? 'case.archived' : 'case.restored') : 'case.updated';
    await this.audit.record(caseId, user.id, action, { fields: Object.keys(changes) });
    this.events.emit('caseChanged', { caseId, status: updated.status });
    return this.withHealth(user.id, { record: updated, membership });
  }
}
