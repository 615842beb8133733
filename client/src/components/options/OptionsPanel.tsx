import { useEffect, useRef, useState } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import type { ItemDiscussion } from '../discussion/itemThreads.js';
import { OptionCard } from './OptionCard.js';
import { OptionForm } from './OptionForm.js';
import { NO_OPTIONS, OptionsCompare } from './OptionsCompare.js';
import { byProposal, supportingEvidence } from './supportingEvidence.js';
import './options.css';

/** A request from elsewhere (a thread) to show one option; `seq` repeats it. */
export interface OptionReveal {
  id: string;
  seq: number;
}

interface Props {
  caseId: string;
  options: OptionView[] | null;
  library: EvidenceView[] | null;
  canEdit: boolean;
  discussion: ItemDiscussion;
  reveal: OptionReveal | null;
  /** Called once a reveal was shown, so that it is not shown again when the panel returns. */
  onRevealed(): void;
  onShowEvidence(evidenceId: string): void;
  onSaved(option: OptionView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/**
 * The case's options: the tailored alternatives the team weighs, each with its benefit, risks,
 * burden and supporting evidence; propose, edit and delete for editors, "Discuss" for everyone
 * who may comment, and the side-by-side comparison in a wide dialog.
 */
export function OptionsPanel({ caseId, options, library, canEdit, discussion, reveal, onRevealed, onShowEvidence, onSaved, onDeleted, onError }: Props) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [comparing, setComparing] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const cards = useRef(new Map<string, HTMLElement>());

  // "Show the option" from a thread: select its card, bring it into view and focus it (once the cards are there).
  const loaded = options !== null && library !== null;
  useEffect(() => {
    if (!reveal || !loaded) return;
    setSelected(reveal.id);
    const el = cards.current.get(reveal.id);
    el?.scrollIntoView({ block: 'nearest' });
    el?.focus({ preventScroll: true });
    onRevealed();
  }, [reveal, loaded, onRevealed]);

  if (!options || !library) return <p className="muted">Loading the options…</p>;
  const list = [...options].sort(byProposal);

  return (
    <section className="records-section" aria-labelledby="options-heading">
      <div className="records-head">
        <h3 id="options-heading">Options ({list.length})</h3>
        <button type="button" className="btn small" onClick={() => setComparing(true)} aria-haspopup="dialog">
          Compare side by side
        </button>
      </div>
      {comparing && <OptionsCompare options={list} library={library} onClose={() => setComparing(false)} />}
      {canEdit && editing === 'new' && (
        <OptionForm caseId={caseId} library={library} onCancel={() => setEditing(null)} onError={onError} onSaved={(o) => { onSaved(o); setEditing(null); setSelected(o.id); }} />
      )}
      {canEdit && editing !== 'new' && (
        <button type="button" className="btn small primary add-button" onClick={() => setEditing('new')}>+ Propose an option</button>
      )}
      {list.length === 0 && editing !== 'new' && (
        <div className="records-empty">
          <p>{NO_OPTIONS}.</p>
          {!canEdit && <p className="muted small">Editors and owners can propose options.</p>}
        </div>
      )}
      <div className="record-list">
        {list.map((o) =>
          editing === o.id ? (
            <OptionForm key={o.id} caseId={caseId} option={o} library={library} onCancel={() => setEditing(null)} onError={onError} onSaved={(x) => { onSaved(x); setEditing(null); }} />
          ) : (
            <OptionCard
              key={o.id}
              ref={(el) => { if (el) cards.current.set(o.id, el); else cards.current.delete(o.id); }}
              caseId={caseId}
              option={o}
              evidence={supportingEvidence(o, library)}
              selected={selected === o.id}
              canEdit={canEdit}
              canComment={discussion.canComment}
              threads={discussion.openThreads(o.id)}
              onDiscuss={() => discussion.discuss(o.id)}
              onShowThread={discussion.showThread}
              onShowEvidence={onShowEvidence}
              onEdit={() => setEditing(o.id)}
              onDeleted={onDeleted}
              onError={onError}
            />
          ),
        )}
      </div>
    </section>
  );
}
