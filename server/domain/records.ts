import { createHash, randomUUID } from 'node:crypto';
import { CoverageRules, type UpdateCoverageBody } from '../../shared/schemas/coverage.js';
import { STANDARD_READINESS_ITEMS, type CreateReadinessItemBody, type UpdateReadinessItemBody } from '../../shared/schemas/readiness.js';
import type { UpdateStakeholderBody } from '../../shared/schemas/stakeholders.js';
import { fieldErrors, summarizeFieldErrors } from '../../shared/validation.js';
import { UniqueViolation } from '../store/errors.js';
import type { CaseItemRecord, CoverageData, ReadinessData, StakeholderData, Store, UserRecord } from '../store/port.js';
import { CaseItems, type CaseItemDeps } from './case-items.js';
import { forbidden, invalid } from './errors.js';

/** The stakeholder log: who must be convinced, what they said, and the next step. */
export class StakeholderService {
  readonly items: CaseItems<StakeholderData>;

  constructor(store: Store, deps: CaseItemDeps) {
    this.items = new CaseItems('stakeholder', 'That stakeholder entry', store.stakeholders, deps);
  }

  /** Applies a partial change; a due date always needs a next step. */
  update(user: UserRecord, caseId: string, id: string, changes: UpdateStakeholderBody): Promise<CaseItemRecord<StakeholderData>> {
    return this.items.update(user, caseId, id, (current) => {
      const next = { ...current, ...changes };
      if (next.nextStepDue !== null && next.nextStep === '') {
        throw invalid('A due date needs a next step.', { nextStep: 'needs a next step to go with its due date' });
      }
      return next;
    });
  }
}

/** Coverage requests to payers, their decisions, coded denial reasons and deadlines. */
export class CoverageService {
  readonly items: CaseItems<CoverageData>;

  constructor(store: Store, deps: CaseItemDeps) {
    this.items = new CaseItems('coverage', 'That coverage request', store.coverage, deps);
  }

  /** Applies a partial change, then checks the rules on the whole request. */
  update(user: UserRecord, caseId: string, id: string, changes: UpdateCoverageBody): Promise<CaseItemRecord<CoverageData>> {
    return this.items.update(user, caseId, id, (current) => {
      const next = { ...current, ...changes };
      // Approving a denied request clears its reason, unless the change names one.
      if (changes.decision && changes.denialReason === undefined && !['denied', 'partially_approved'].includes(changes.decision)) next.denialReason = null;
      const rule = CoverageRules.safeParse(next);
      if (!rule.success) {
        const fields = fieldErrors(rule.error);
        throw invalid(summarizeFieldErrors(fields), fields);
      }
      return next;
    });
  }
}

/** A stable id for a standard readiness item, so creating the defaults twice creates them once. */
function standardItemId(caseId: string, key: string): string {
  const h = createHash('sha256').update(`readiness:${caseId}:${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The readiness checklist: the minimum dataset a conference needs. */
export class ReadinessService {
  readonly items: CaseItems<ReadinessData>;

  constructor(
    private readonly store: Store,
    private readonly deps: CaseItemDeps,
    /** Today's date in the team's time zone. */
    private readonly today: () => string,
  ) {
    this.items = new CaseItems('readiness', 'That readiness item', store.readiness, deps);
  }

  /** Creates the standard items of a case if they are not there yet; safe to call concurrently. */
  async ensureStandardItems(caseId: string, createdBy: string): Promise<void> {
    const now = this.deps.clock.now().toISOString();
    for (const [order, item] of STANDARD_READINESS_ITEMS.entries()) {
      const record: CaseItemRecord<ReadinessData> = {
        id: standardItemId(caseId, item.key),
        caseId,
        data: { key: item.key, label: item.label, required: true, state: 'missing', note: '', recordedBy: '', metOn: null, confirmedBy: null, confirmedAt: null, order },
        version: 1,
        createdBy,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await this.store.readiness.create(record);
      } catch (err) {
        if (!(err instanceof UniqueViolation)) throw err;
      }
    }
  }

  /** The checklist in order, creating the standard items first if they are missing. */
  async list(user: UserRecord, caseId: string): Promise<CaseItemRecord<ReadinessData>[]> {
    await this.deps.access.require(caseId, user.id, 'read');
    const items = await this.store.readiness.list(caseId);
    if (items.filter((i) => i.data.key !== null).length < STANDARD_READINESS_ITEMS.length) {
      await this.ensureStandardItems(caseId, user.id);
      return sortChecklist(await this.store.readiness.list(caseId));
    }
    return sortChecklist(items);
  }

  /** Adds an item after the others (owners). */
  async add(user: UserRecord, caseId: string, input: Required<CreateReadinessItemBody>): Promise<CaseItemRecord<ReadinessData>> {
    await this.deps.access.require(caseId, user.id, 'manageChecklist');
    const existing = await this.store.readiness.list(caseId);
    const order = existing.reduce((max, i) => Math.max(max, i.data.order), STANDARD_READINESS_ITEMS.length - 1) + 1;
    return this.items.create(user, caseId, {
      key: null, label: input.label, required: input.required, state: 'missing', note: '', recordedBy: '', metOn: null, confirmedBy: null, confirmedAt: null, order,
    }, 'manageChecklist');
  }

  /**
   * A round closed deferred: what the team said was missing becomes required checklist items,
   * so the next conference starts from it.
   */
  async addFromDeferral(caseId: string, createdBy: string, information: string[]): Promise<void> {
    const existing = await this.store.readiness.list(caseId);
    let order = existing.reduce((max, i) => Math.max(max, i.data.order), STANDARD_READINESS_ITEMS.length - 1);
    const now = this.deps.clock.now().toISOString();
    for (const label of information) {
      const record: CaseItemRecord<ReadinessData> = {
        id: randomUUID(), caseId, version: 1, createdBy, createdAt: now, updatedAt: now,
        data: { key: null, label: label.slice(0, 200), required: true, state: 'missing', note: 'Asked for when a vote was deferred.', recordedBy: '', metOn: null, confirmedBy: null, confirmedAt: null, order: ++order },
      };
      await this.store.readiness.create(record);
      this.deps.events.emit('caseItemChanged', { caseId, kind: 'readiness', id: record.id, removed: false });
    }
  }

  /** Sets an item's state (confirmed by the user) and notes; owners also change required and labels. */
  update(user: UserRecord, caseId: string, id: string, changes: UpdateReadinessItemBody): Promise<CaseItemRecord<ReadinessData>> {
    return this.items.update(user, caseId, id, (current, membership) => {
      if ((changes.required !== undefined || changes.label !== undefined) && membership.role !== 'owner') {
        throw forbidden('Only an owner of this case can change which items are required or rename them.');
      }
      if (changes.label !== undefined && current.key !== null) {
        throw invalid('Standard items keep their names.', { label: 'cannot be changed on a standard item' });
      }
      const next: ReadinessData = { ...current, ...changes };
      if (changes.state !== undefined && changes.state !== current.state) {
        next.confirmedBy = user.id;
        next.confirmedAt = this.deps.clock.now().toISOString();
      }
      // The patient's views count only when someone who met the patient recorded them.
      if (next.key === 'patient_views' && next.state !== 'missing') {
        const fields: Record<string, string> = {};
        if (!next.recordedBy.trim()) fields.recordedBy = "is required: who recorded the patient's views, having met them";
        if (!next.metOn) fields.metOn = 'is required: when they met the patient';
        else if (next.metOn > this.today()) fields.metOn = 'cannot be in the future';
        if (Object.keys(fields).length > 0) throw invalid(summarizeFieldErrors(fields), fields);
      }
      return next;
    });
  }

  /** Removes an item an owner added; standard items stay. */
  async remove(user: UserRecord, caseId: string, id: string): Promise<void> {
    const item = await this.items.find(user, caseId, id, 'manageChecklist');
    if (item.data.key !== null) throw forbidden('Standard readiness items cannot be removed; mark them not required instead.');
    await this.items.remove(user, caseId, id, 'manageChecklist');
  }
}

/** Standard items in their order, then added ones in the order they were added. */
function sortChecklist(items: CaseItemRecord<ReadinessData>[]): CaseItemRecord<ReadinessData>[] {
  return [...items].sort((a, b) => a.data.order - b.data.order || a.createdAt.localeCompare(b.createdAt));
}
