import { useEffect, useRef, useState } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import { useCitations } from '../../editor/citationHooks.js';
import type { CitationIndex } from '../../editor/citationIndex.js';
import type { ItemDiscussion } from '../discussion/itemThreads.js';
import { EvidenceCard } from './EvidenceCard.js';
import { EvidenceForm } from './EvidenceForm.js';
import { EvidenceTable } from './EvidenceTable.js';

interface Props {
  caseId: string;
  items: EvidenceView[] | null;
  index: CitationIndex;
  canEdit: boolean;
  discussion: ItemDiscussion;
  onSaved(item: EvidenceView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/**
 * The case's evidence library: each item with its certainty, link and where the brief cites
 * it (live from the brief) and the open comment threads on it; a compact table for comparing;
 * add, edit and delete for editors; "Discuss" for everyone who may comment.
 */
export function EvidencePanel({ caseId, items, index, canEdit, discussion, onSaved, onDeleted, onError }: Props) {
  useCitations(index);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [compact, setCompact] = useState(false);
  const [selected, setSelected] = useState<string | null>(index.selected);
  const [scrollSeq, setScrollSeq] = useState(0);
  const cards = useRef(new Map<string, HTMLElement>());
  // Whether the next scroll to the selected card should also move keyboard focus to it.
  const focusNext = useRef(false);

  // A citation activated in the brief selects its item here (again on every activation).
  const openSeq = index.openSeq;
  useEffect(() => {
    if (!index.selected) return;
    setSelected(index.selected);
    focusNext.current = index.moveFocus;
    setCompact(false);
    setScrollSeq((n) => n + 1);
  }, [openSeq, index]);

  useEffect(() => {
    const el = selected ? cards.current.get(selected) : undefined;
    if (el) {
      el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
      // A click in the brief leaves focus there; Enter on a citation, or a row of the
      // comparison table (which goes away), brings the keyboard here.
      if (focusNext.current) el.focus({ preventScroll: true });
    }
    focusNext.current = false;
  }, [selected, compact, scrollSeq]);

  if (!items) return <p className="muted">Loading the evidence library…</p>;
  const removedCitations = index.removedCount();

  return (
    <section className="records-section" aria-labelledby="evidence-heading">
      <div className="records-head">
        <h3 id="evidence-heading">Evidence library ({items.length})</h3>
        {items.length > 1 && (
          <div className="segmented small-seg" role="group" aria-label="Layout">
            <button type="button" aria-pressed={!compact} onClick={() => setCompact(false)}>Details</button>
            <button type="button" aria-pressed={compact} onClick={() => setCompact(true)}>Compare</button>
          </div>
        )}
      </div>
      {removedCitations > 0 && <p className="note">The brief still cites {removedCitations} removed item{removedCitations === 1 ? '' : 's'}: shown there as [removed].</p>}
      {canEdit && editing === 'new' && (
        <EvidenceForm caseId={caseId} onCancel={() => setEditing(null)} onError={onError} onSaved={(e) => { onSaved(e); setEditing(null); setSelected(e.id); }} />
      )}
      {canEdit && editing !== 'new' && (
        <button type="button" className="btn small primary add-button" onClick={() => setEditing('new')}>+ Add evidence</button>
      )}
      {items.length === 0 && editing !== 'new' && (
        <div className="records-empty">
          <p>No evidence yet — add the guideline or trial that supports the plan.</p>
          {!canEdit && <p className="muted small">Editors and owners can add evidence.</p>}
        </div>
      )}
      {compact ? (
        <EvidenceTable items={items} index={index} selected={selected} onSelect={(id) => { focusNext.current = true; setSelected(id); setCompact(false); setScrollSeq((n) => n + 1); }} />
      ) : (
        <div className="record-list">
          {items.map((e) =>
            editing === e.id ? (
              <EvidenceForm key={e.id} caseId={caseId} item={e} onCancel={() => setEditing(null)} onError={onError} onSaved={(x) => { onSaved(x); setEditing(null); }} />
            ) : (
              <EvidenceCard
                key={e.id}
                ref={(el) => { if (el) cards.current.set(e.id, el); else cards.current.delete(e.id); }}
                caseId={caseId}
                item={e}
                number={index.number(e.id)}
                use={index.usesOf(e.id)}
                selected={selected === e.id}
                canEdit={canEdit}
                canComment={discussion.canComment}
                threads={discussion.openThreads(e.id)}
                onDiscuss={() => discussion.discuss(e.id)}
                onShowThread={discussion.showThread}
                onEdit={() => setEditing(e.id)}
                onDeleted={onDeleted}
                onError={onError}
              />
            ),
          )}
        </div>
      )}
    </section>
  );
}
