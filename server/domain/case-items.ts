import { randomUUID } from 'node:crypto';
import type { CaseAbilities } from '../../shared/roles.js';
import type { CaseItemRecord, CaseItemRepository, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { Clock } from './clock.js';
import { conflict, notFound } from './errors.js';
import type { CaseItemKind, DomainEvents } from './events.js';

export interface CaseItemDeps {
  access: CaseAccess;
  audit: AuditLog;
  events: DomainEvents;
  clock: Clock;
}

/** How many times a change is re-applied when someone else changed the item in between. */
const RETRIES = 5;

/**
 * The shared life of a case's small records (evidence, stakeholder entries, readiness items,
 * coverage requests): role checks, audit entries with field names only, change events, and
 * partial updates re-applied on a fresh copy when two people edit the same item at once.
 */
export class CaseItems<D extends object> {
  constructor(
    private readonly kind: CaseItemKind,
    private readonly label: string,
    private readonly repo: CaseItemRepository<D>,
    private readonly deps: CaseItemDeps,
  ) {}

  /** The case's items, oldest first, for a member. */
  async list(user: UserRecord, caseId: string): Promise<CaseItemRecord<D>[]> {
    await this.deps.access.require(caseId, user.id, 'read');
    return this.repo.list(caseId);
  }

  /** Adds an item; audited and announced. */
  async create(user: UserRecord, caseId: string, data: D, ability: keyof CaseAbilities = 'editRecords'): Promise<CaseItemRecord<D>> {
    await this.deps.access.require(caseId, user.id, ability);
    const now = this.deps.clock.now().toISOString();
    const record: CaseItemRecord<D> = { id: randomUUID(), caseId, data, version: 1, createdBy: user.id, createdAt: now, updatedAt: now };
    await this.repo.create(record);
    await this.deps.audit.record(caseId, user.id, `${this.kind}.added`, { target: record.id });
    this.deps.events.emit('caseItemChanged', { caseId, kind: this.kind, id: record.id, removed: false });
    return record;
  }

  /**
   * Applies `change` to the current item and stores it. `change` may throw to refuse (it sees
   * the current data), and is run again on a fresh copy if the item changed meanwhile.
   */
  async update(
    user: UserRecord,
    caseId: string,
    id: string,
    change: (current: D, membership: { role: string }) => D | Promise<D>,
    ability: keyof CaseAbilities = 'editRecords',
  ): Promise<CaseItemRecord<D>> {
    const { membership } = await this.deps.access.require(caseId, user.id, ability);
    for (let attempt = 0; attempt < RETRIES; attempt++) {
      const current = await this.repo.find(caseId, id);
      if (!current) throw notFound(this.label);
      const next = await change(current.data, membership);
      const changed = Object.keys(next).filter((k) => JSON.stringify((next as Record<string, unknown>)[k]) !== JSON.stringify((current.data as Record<string, unknown>)[k]));
      if (changed.length === 0) return current;
      const saved = await this.repo.update(caseId, id, next, current.version, this.deps.clock.now().toISOString());
      if (saved === null) throw notFound(this.label);
      if (saved === 'conflict') continue;
      await this.deps.audit.record(caseId, user.id, `${this.kind}.updated`, { target: id, fields: changed });
      this.deps.events.emit('caseItemChanged', { caseId, kind: this.kind, id, removed: false });
      return saved;
    }
    throw conflict(`${this.label} is being changed by someone else right now. Please try again.`);
  }

  /** Deletes an item; audited and announced. */
  async remove(user: UserRecord, caseId: string, id: string, ability: keyof CaseAbilities = 'editRecords'): Promise<void> {
    await this.deps.access.require(caseId, user.id, ability);
    if (!(await this.repo.delete(caseId, id))) throw notFound(this.label);
    await this.deps.audit.record(caseId, user.id, `${this.kind}.removed`, { target: id });
    this.deps.events.emit('caseItemChanged', { caseId, kind: this.kind, id, removed: true });
  }

  /** The item, for callers that check something before acting; the user's right comes first, so strangers learn nothing. */
  async find(user: UserRecord, caseId: string, id: string, ability: keyof CaseAbilities = 'read'): Promise<CaseItemRecord<D>> {
    await this.deps.access.require(caseId, user.id, ability);
    const item = await this.repo.find(caseId, id);
    if (!item) throw notFound(this.label);
    return item;
  }
}
