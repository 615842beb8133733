import type { Editor } from '@tiptap/react';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { EVIDENCE_KIND_LABELS } from '../../../shared/schemas/evidence.js';
import type { CitationIndex } from './citationIndex.js';
import { useCitations } from './citationHooks.js';

interface Props {
  editor: Editor;
  index: CitationIndex;
}

/**
 * The toolbar's "Cite evidence" button and its picker: type to filter, arrows to move, Enter
 * to insert the citation at the cursor, Escape to go back to the brief.
 */
export function CiteButton({ editor, index }: Props) {
  useCitations(index);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const id = useId();

  const q = query.trim().toLowerCase();
  const items = index.items().filter((e) => !q || `${e.title} ${e.citation} ${e.year ?? ''}`.toLowerCase().includes(q));
  const current = Math.min(active, Math.max(0, items.length - 1));

  useEffect(() => {
    if (open) inputRef.current?.focus();
  }, [open]);

  const close = (backTo: 'editor' | 'button') => {
    setOpen(false);
    setQuery('');
    setActive(0);
    if (backTo === 'editor') editor.commands.focus();
    else buttonRef.current?.focus();
  };

  const insert = (evidenceId: string) => {
    editor.chain().focus().insertCitation(evidenceId).run();
    close('editor');
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close('button');
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      if (n) setActive((current + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const item = items[current];
      if (item) insert(item.id);
    }
  };

  return (
    <div
      className="cite-wrap"
      ref={wrapRef}
      onBlur={(e) => {
        if (open && !wrapRef.current?.contains(e.relatedTarget as Node | null)) close('button');
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="tool cite-tool"
        aria-haspopup="dialog"
        aria-expanded={open}
        onMouseDown={(e) => e.preventDefault()}
        onClick={() => (open ? close('editor') : setOpen(true))}
      >
        Cite evidence
      </button>
      {open && (
        <div className="cite-picker" role="dialog" aria-label="Cite evidence">
          <label htmlFor={`${id}-q`} className="cite-label">
            Find an evidence item
          </label>
          <input
            ref={inputRef}
            id={`${id}-q`}
            type="text"
            role="combobox"
            aria-expanded="true"
            aria-controls={`${id}-list`}
            aria-autocomplete="list"
            aria-activedescendant={items[current] ? `${id}-opt-${current}` : undefined}
            autoComplete="off"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setActive(0);
            }}
            onKeyDown={onKeyDown}
          />
          {index.items().length === 0 ? (
            <p className="cite-empty">No evidence yet — add items in the Records tab, then cite them here.</p>
          ) : items.length === 0 ? (
            <p className="cite-empty">No item matches “{query}”.</p>
          ) : (
            <ul id={`${id}-list`} role="listbox" aria-label="Evidence items" className="cite-options">
              {items.map((e, i) => (
                <li
                  key={e.id}
                  id={`${id}-opt-${i}`}
                  role="option"
                  aria-selected={i === current}
                  className={i === current ? 'active' : ''}
                  onMouseDown={(ev) => ev.preventDefault()}
                  onMouseEnter={() => setActive(i)}
                  onClick={() => insert(e.id)}
                >
                  <span className="cite-opt-ref">{index.number(e.id) ? `[${index.number(e.id)}]` : 'new'}</span>
                  <span className="cite-opt-title">{e.title}</span>
                  <span className="cite-opt-meta">
                    {EVIDENCE_KIND_LABELS[e.kind]}
                    {e.year ? ` · ${e.year}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
          <p className="cite-help">↑ ↓ to choose · Enter to insert · Esc to close</p>
        </div>
      )}
    </div>
  );
}
