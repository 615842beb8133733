import type { CreateOptionBody, UpdateOptionBody } from '../../shared/schemas/options.js';
import type { CaseItemRecord, OptionData, Store, UserRecord } from '../store/port.js';
import { CaseItems, type CaseItemDeps } from './case-items.js';
import { invalid } from './errors.js';

/** The tailored alternatives the team weighs: each with benefit, risks, burden and its evidence. */
export class OptionService {
  readonly items: CaseItems<OptionData>;

  constructor(
    private readonly store: Store,
    private readonly deps: CaseItemDeps,
  ) {
    this.items = new CaseItems('option', 'That option', store.options, deps);
  }

  /** Proposes an option; the proposer is recorded as its creator. */
  async create(user: UserRecord, caseId: string, input: Required<CreateOptionBody>): Promise<CaseItemRecord<OptionData>> {
    await this.deps.access.require(caseId, user.id, 'editRecords'); // rights first: strangers learn nothing
    await this.checkEvidence(caseId, input.evidenceIds);
    return this.items.create(user, caseId, input);
  }

  /** Applies a partial change; supporting evidence must be in this case's library. */
  update(user: UserRecord, caseId: string, id: string, changes: UpdateOptionBody): Promise<CaseItemRecord<OptionData>> {
    return this.items.update(user, caseId, id, async (current) => {
      if (changes.evidenceIds) await this.checkEvidence(caseId, changes.evidenceIds);
      return { ...current, ...changes };
    });
  }

  private async checkEvidence(caseId: string, ids: string[]): Promise<void> {
    const library = new Set((await this.store.evidence.list(caseId)).map((e) => e.id));
    const strangers = ids.filter((id) => !library.has(id));
    if (strangers.length > 0) {
      throw invalid("Supporting evidence must come from this case's library.", { evidenceIds: "names an item that is not in this case's evidence library" });
    }
  }
}
