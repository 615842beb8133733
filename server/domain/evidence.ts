import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import type { UpdateEvidenceBody } from '../../shared/schemas/evidence.js';
import type { CaseItemRecord, EvidenceData, Store, UserRecord } from '../store/port.js';
import type { BriefDocuments } from './brief-access.js';
import { CaseItems, type CaseItemDeps } from './case-items.js';
import { DomainError } from './errors.js';

/** The brief's inline citation node, as the editor stores it in Yjs. */
export const CITATION_NODE = 'citation';

/** How many times the brief cites each evidence item. */
export function countCitations(doc: Y.Doc): Map<string, number> {
  const counts = new Map<string, number>();
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      if (child.nodeName === CITATION_NODE) {
        const id = child.getAttribute('evidenceId');
        if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      walk(child);
    }
  };
  walk(doc.getXmlFragment(BRIEF_FRAGMENT));
  return counts;
}

/** The case's evidence library; deleting an item the brief still cites needs a confirmation. */
export class EvidenceService {
  readonly items: CaseItems<EvidenceData>;

  constructor(
    private readonly store: Store,
    deps: CaseItemDeps,
    private readonly briefs: BriefDocuments,
  ) {
    this.items = new CaseItems('evidence', 'That evidence item', store.evidence, deps);
  }

  /** The library, oldest first. */
  list(user: UserRecord, caseId: string) {
    return this.items.list(user, caseId);
  }

  /** Adds an item (owners and editors). */
  create(user: UserRecord, caseId: string, data: EvidenceData) {
    return this.items.create(user, caseId, data);
  }

  /** Applies a partial change. */
  update(user: UserRecord, caseId: string, id: string, changes: UpdateEvidenceBody): Promise<CaseItemRecord<EvidenceData>> {
    return this.items.update(user, caseId, id, (current) => ({ ...current, ...changes }));
  }

  /** Deletes an item; one the brief still cites needs `confirmed`. */
  async remove(user: UserRecord, caseId: string, id: string, confirmed: boolean): Promise<void> {
    await this.items.find(user, caseId, id, 'editRecords');
    if (!confirmed) {
      const cited = (await this.briefs.inspect(caseId, (doc) => countCitations(doc).get(id) ?? 0)) ?? 0;
      const options = (await this.store.options.list(caseId)).filter((o) => o.data.evidenceIds.includes(id)).map((o) => o.data.title);
      if (cited > 0 || options.length > 0) {
        const uses = [
          ...(cited > 0 ? [`the brief cites it ${cited === 1 ? 'once' : `${cited} times`}`] : []),
          ...(options.length > 0 ? [`${options.length === 1 ? 'an option rests' : `${options.length} options rest`} on it (${options.join(', ')})`] : []),
        ];
        throw new DomainError(
          'confirmation_required',
          `This item is in use: ${uses.join('; ')}. Delete it anyway? Citations will show as removed and options will no longer list it.`,
          { confirm: 'must be true to delete an item that is still cited or supports an option' },
        );
      }
    }
    await this.items.remove(user, caseId, id);
  }
}
