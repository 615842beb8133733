import { useEffect, useRef, useState } from 'react';
import { RESISTANCE_SOURCE_LABELS, RESISTANCE_SOURCES, type ResistanceEntry, type ResistanceSource } from '../../../shared/schemas/cases.js';
import { Field, sentence } from './Field.js';

interface Props {
  idPrefix: string;
  value: ResistanceEntry[];
  onChange(next: ResistanceEntry[]): void;
  /** The form's field errors, keyed like "resistance.0.description". */
  errors: Record<string, string>;
  disabled?: boolean;
}

/** The list of resistance the plan meets: who resists, and what they said. Entries can be added and removed. */
export function ResistanceEditor({ idPrefix, value, onChange, errors, disabled = false }: Props) {
  const [focusIndex, setFocusIndex] = useState<number | null>(null);
  const addRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (focusIndex === null) return;
    if (focusIndex < 0) addRef.current?.focus();
    else document.getElementById(`${idPrefix}-${focusIndex}-source`)?.focus();
    setFocusIndex(null);
  }, [focusIndex, idPrefix]);

  const update = (i: number, patch: Partial<ResistanceEntry>) => onChange(value.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const remove = (i: number) => {
    onChange(value.filter((_, j) => j !== i));
    setFocusIndex(-1);
  };
  const add = () => {
    onChange([...value, { source: 'insurer', description: '' }]);
    setFocusIndex(value.length);
  };

  return (
    <fieldset className="fieldset">
      <legend>Resistance the plan meets</legend>
      <p className="hint">Who is pushing back (an insurer, a colleague, the patient or family) and what they said.</p>
      {value.length === 0 && <p className="muted small">No resistance recorded yet.</p>}
      <ol className="resistance-list">
        {value.map((entry, i) => (
          <li key={i} className="resistance-item">
            <Field id={`${idPrefix}-${i}-source`} label={`Source ${i + 1}`} name="Source" error={errors[`resistance.${i}.source`]} className="resistance-source">
              {(p) => (
                <select {...p} value={entry.source} onChange={(e) => update(i, { source: e.target.value as ResistanceSource })} disabled={disabled}>
                  {RESISTANCE_SOURCES.map((s) => (
                    <option key={s} value={s}>
                      {RESISTANCE_SOURCE_LABELS[s]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field id={`${idPrefix}-${i}-description`} label={`What was said (${i + 1})`} name="What was said" error={errors[`resistance.${i}.description`]} className="resistance-description">
              {(p) => <textarea {...p} rows={2} value={entry.description} onChange={(e) => update(i, { description: e.target.value })} disabled={disabled} />}
            </Field>
            {!disabled && (
              <button type="button" className="btn ghost danger small resistance-remove" onClick={() => remove(i)} aria-label={`Remove resistance ${i + 1}`}>
                Remove
              </button>
            )}
          </li>
        ))}
      </ol>
      {errors.resistance && <p className="field-error">{sentence('The list', errors.resistance)}</p>}
      {!disabled && (
        <button type="button" className="btn small" ref={addRef} onClick={add}>
          + Add resistance
        </button>
      )}
    </fieldset>
  );
}
