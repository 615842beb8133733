import { EVIDENCE_STRENGTHS, type EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';

/**
 * The library items an option cites, strongest certainty first (ties keep the proposer's
 * order). Items no longer in the library are left out: a live deletion reaches the library
 * before the server's next answer about the option.
 */
export function supportingEvidence(option: OptionView, library: EvidenceView[] | null): EvidenceView[] {
  if (!library) return [];
  const byId = new Map(library.map((e) => [e.id, e]));
  const items = option.evidenceIds.flatMap((id) => {
    const e = byId.get(id);
    return e ? [e] : [];
  });
  const rank = (e: EvidenceView) => EVIDENCE_STRENGTHS.indexOf(e.strength);
  return items.map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
}

/** Options in the order they were proposed. */
export function byProposal(a: OptionView, b: OptionView): number {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}
