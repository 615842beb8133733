import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_LENGTH } from '../../../../shared/schemas/threads.js';
import { insertMention, mentionQuery, suggestions, type Person } from './mentions.js';

interface Props {
  id: string;
  value: string;
  onChange(text: string): void;
  /** A person was picked from the list (their id goes into the post's mentions). */
  onPick(person: Person): void;
  /** Who may be mentioned: the case team. */
  people: Person[];
  /** Ctrl/Cmd+Enter. */
  onSubmit(): void;
  onEscape?(): void;
  describedBy?: string | undefined;
  invalid?: boolean;
  autoFocus?: boolean;
  placeholder?: string;
  rows?: number;
}

/**
 * A plain-text comment box. Typing @ opens a list of team members: arrow keys choose, Enter
 * or Tab inserts "@Name", Escape closes. The textarea keeps focus; the highlighted option is
 * announced through aria-activedescendant.
 */
export function MentionTextarea({ id, value, onChange, onPick, people, onSubmit, onEscape, describedBy, invalid, autoFocus, placeholder, rows = 3 }: Props) {
  const ref = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(0);
  const [index, setIndex] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const pendingCaret = useRef<number | null>(null);

  const query = mentionQuery(value, caret);
  const options = query && query.at !== dismissedAt ? suggestions(people, query.query) : [];
  const open = options.length > 0;
  const active = Math.min(index, options.length - 1);
  const listId = `${id}-people`;

  useLayoutEffect(() => {
    if (pendingCaret.current === null || !ref.current) return;
    ref.current.setSelectionRange(pendingCaret.current, pendingCaret.current);
    setCaret(pendingCaret.current);
    pendingCaret.current = null;
  }, [value]);

  const pick = (person: Person) => {
    if (!query) return;
    const next = insertMention(value, query.at, caret, person);
    pendingCaret.current = next.caret;
    onPick(person);
    onChange(next.text);
    setIndex(0);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const step = e.key === 'ArrowDown' ? 1 : -1;
        setIndex((active + step + options.length) % options.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        pick(options[active]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        setDismissedAt(query?.at ?? null);
        return;
      }
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onSubmit();
    } else if (e.key === 'Escape' && onEscape) {
      onEscape();
    }
  };

  const track = () => setCaret(ref.current?.selectionStart ?? 0);

  return (
    <div className="mention-box">
      <textarea
        ref={ref}
        id={id}
        value={value}
        rows={rows}
        maxLength={MAX_MESSAGE_LENGTH}
        placeholder={placeholder}
        autoFocus={autoFocus}
        aria-describedby={describedBy}
        aria-invalid={invalid || undefined}
        aria-autocomplete="list"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? `${listId}-${active}` : undefined}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
        onKeyUp={track}
        onClick={track}
        onSelect={track}
        onBlur={() => setDismissedAt(query?.at ?? null)}
        onFocus={() => setDismissedAt(null)}
      />
      {open && (
        <ul className="mention-list" role="listbox" id={listId} aria-label="Team members to mention">
          {options.map((p, i) => (
            <li
              key={p.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'is-active' : undefined}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(p)}
            >
              @{p.name}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
