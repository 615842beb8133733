import { sentence } from './Field.js';
import { DISCIPLINE_LABELS, DISCIPLINES, type Discipline } from '../../../shared/disciplines.js';

interface Props {
  idPrefix: string;
  value: Discipline[];
  onChange(next: Discipline[]): void;
  error?: string | undefined;
  disabled?: boolean;
}

/** One checkbox per discipline, for the disciplines whose view the recommendation needs. */
export function DisciplineCheckboxes({ idPrefix, value, onChange, error, disabled = false }: Props) {
  const toggle = (d: Discipline, on: boolean) =>
    // Keep the canonical order so that the same selection always compares equal.
    onChange(DISCIPLINES.filter((x) => (x === d ? on : value.includes(x))));
  const errorId = error ? `${idPrefix}-error` : undefined;
  return (
    <fieldset className="fieldset" aria-describedby={errorId}>
      <legend>Disciplines whose view is required</legend>
      <div className="checkbox-grid">
        {DISCIPLINES.map((d) => (
          <label key={d} className="checkbox" htmlFor={`${idPrefix}-${d}`}>
            <input id={`${idPrefix}-${d}`} type="checkbox" checked={value.includes(d)} onChange={(e) => toggle(d, e.target.checked)} disabled={disabled} />
            <span>{DISCIPLINE_LABELS[d]}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field-error" id={errorId}>
          {sentence('The selection', error)}
        </p>
      )}
    </fieldset>
  );
}
