import { DISCIPLINE_LABELS, DISCIPLINES, type Discipline } from '../../../shared/disciplines.js';
import type { ControlProps } from './Field.js';

interface Props extends ControlProps {
  value: Discipline | '';
  onChange(value: Discipline | ''): void;
  /** The text of the empty first option; without it the select has no empty option. */
  placeholder?: string;
  disabled?: boolean;
}

/** A select of the disciplines, labelled for people. */
export function DisciplineSelect({ value, onChange, placeholder, ...rest }: Props) {
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value as Discipline | '')}>
      {placeholder !== undefined && <option value="">{placeholder}</option>}
      {DISCIPLINES.map((d) => (
        <option key={d} value={d}>
          {DISCIPLINE_LABELS[d]}
        </option>
      ))}
    </select>
  );
}
