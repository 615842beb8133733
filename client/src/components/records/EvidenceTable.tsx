import { useState } from 'react';
import { EVIDENCE_KIND_LABELS, EVIDENCE_STRENGTH_LABELS, EVIDENCE_STRENGTHS, type EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { CitationIndex } from '../../editor/citationIndex.js';

const SORTS = {
  reference: 'Reference number',
  strength: 'Strength (highest first)',
  year: 'Year (newest first)',
  kind: 'Kind',
} as const;
type Sort = keyof typeof SORTS;

function sorted(items: EvidenceView[], index: CitationIndex, sort: Sort): EvidenceView[] {
  const ref = (e: EvidenceView) => index.number(e.id) ?? Number.MAX_SAFE_INTEGER;
  const by: Record<Sort, (a: EvidenceView, b: EvidenceView) => number> = {
    reference: (a, b) => ref(a) - ref(b),
    strength: (a, b) => EVIDENCE_STRENGTHS.indexOf(a.strength) - EVIDENCE_STRENGTHS.indexOf(b.strength),
    year: (a, b) => (b.year ?? 0) - (a.year ?? 0),
    kind: (a, b) => EVIDENCE_KIND_LABELS[a.kind].localeCompare(EVIDENCE_KIND_LABELS[b.kind]),
  };
  return [...items].sort((a, b) => by[sort](a, b) || ref(a) - ref(b));
}

interface Props {
  items: EvidenceView[];
  index: CitationIndex;
  selected: string | null;
  onSelect(id: string): void;
}

/** The library as one compact table, to weigh items side by side; a row opens the item in detail. */
export function EvidenceTable({ items, index, selected, onSelect }: Props) {
  const [sort, setSort] = useState<Sort>('reference');
  return (
    <div className="evidence-compact">
      <label className="inline-label">
        Sort by{' '}
        <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
          {(Object.keys(SORTS) as Sort[]).map((s) => <option key={s} value={s}>{SORTS[s]}</option>)}
        </select>
      </label>
      <table className="records-table">
        <caption className="visually-hidden">Evidence items, sorted by {SORTS[sort].toLowerCase()}</caption>
        <thead>
          <tr>
            <th scope="col">Ref</th>
            <th scope="col">Evidence</th>
            <th scope="col">Certainty</th>
            <th scope="col">Cited</th>
          </tr>
        </thead>
        <tbody>
          {sorted(items, index, sort).map((e) => {
            const n = index.number(e.id);
            const use = index.usesOf(e.id);
            return (
              <tr key={e.id} className={selected === e.id ? 'selected' : ''}>
                <td className="ref-number">{n === null ? '—' : `[${n}]`}</td>
                <th scope="row">
                  <button type="button" className="link-button" onClick={() => onSelect(e.id)}>
                    {e.title}
                  </button>
                  <span className="muted small block">
                    {EVIDENCE_KIND_LABELS[e.kind]}
                    {e.year !== null ? ` · ${e.year}` : ''}
                  </span>
                </th>
                <td>
                  <span className={`pill strength-${e.strength}`}>{EVIDENCE_STRENGTH_LABELS[e.strength]}</span>
                </td>
                <td title={use.sections.join(', ')}>{use.count ? `${use.count}×` : 'No'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
