import { useRef, type KeyboardEvent, type ReactNode } from 'react';

/** One tab: its id, what its button shows, and its panel. */
export interface TabDef {
  id: string;
  label: ReactNode;
  panel: ReactNode;
}

interface Props {
  /** Names the tab list for screen readers. */
  label: string;
  tabs: TabDef[];
  selected: string;
  onSelect(id: string): void;
}

/** WAI-ARIA tabs: arrow keys, Home and End move between tabs; only the selected panel is shown. */
export function Tabs({ label, tabs, selected, onSelect }: Props) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const index = Math.max(0, tabs.findIndex((t) => t.id === selected));

  const onKeyDown = (e: KeyboardEvent) => {
    const last = tabs.length - 1;
    const next = e.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : e.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : null;
    if (next === null) return;
    e.preventDefault();
    const id = tabs[next]!.id;
    onSelect(id);
    refs.current[id]?.focus();
  };

  return (
    <div className="tabs">
      <div role="tablist" aria-label={label} className="tablist" onKeyDown={onKeyDown}>
        {tabs.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={i === index}
            aria-controls={`panel-${t.id}`}
            tabIndex={i === index ? 0 : -1}
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t, i) => (
        <div key={t.id} role="tabpanel" id={`panel-${t.id}`} aria-labelledby={`tab-${t.id}`} hidden={i !== index} tabIndex={0} className="tabpanel">
          {i === index && t.panel}
        </div>
      ))}
    </div>
  );
}
