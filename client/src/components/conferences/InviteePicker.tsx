import { useState } from 'react';
import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import { sentence } from '../Field.js';
import type { Invitable } from './draft.js';

interface Props {
  idPrefix: string;
  people: Invitable[];
  value: string[];
  onChange(ids: string[]): void;
  /** `attendeeIds` or `attendeeIds.N` messages. */
  errors: Record<string, string>;
}

/**
 * Who to invite: everyone on a case with the organizer, with a filter when the list is long.
 * (There is no directory of every user: someone on none of my cases cannot be found here.)
 */
export function InviteePicker({ idPrefix, people, value, onChange, errors }: Props) {
  const [filter, setFilter] = useState('');
  const error = Object.entries(errors).find(([k]) => k === 'attendeeIds' || k.startsWith('attendeeIds.'));
  const errorText = error ? sentence(error[0] === 'attendeeIds' ? 'The invitee list' : `Invitee ${Number(error[0].split('.')[1]) + 1}`, error[1]) : null;
  const shown = filter.trim() === '' ? people : people.filter((p) => p.name.toLowerCase().includes(filter.trim().toLowerCase()) || value.includes(p.id));
  const toggle = (id: string, on: boolean) => onChange(on ? [...value, id] : value.filter((x) => x !== id));
  return (
    <fieldset className="fieldset" aria-describedby={`${idPrefix}-hint${errorText ? ` ${idPrefix}-error` : ''}`}>
      <legend>Invitees</legend>
      <p className="hint" id={`${idPrefix}-hint`}>
        People on your cases. You attend anyway{value.length > 0 ? `; ${value.length} invited` : ''}.
      </p>
      {people.length > 8 && (
        <div className="field compact">
          <label htmlFor={`${idPrefix}-filter`}>Find by name</label>
          <input id={`${idPrefix}-filter`} type="text" value={filter} onChange={(e) => setFilter(e.target.value)} autoComplete="off" />
        </div>
      )}
      {people.length === 0 ? (
        <p className="muted small">Nobody to invite yet: invitees come from the teams of your cases.</p>
      ) : (
        <div className="checkbox-grid invitee-grid">
          {shown.map((p) => (
            <label key={p.id} className="checkbox" htmlFor={`${idPrefix}-${p.id}`}>
              <input id={`${idPrefix}-${p.id}`} type="checkbox" checked={value.includes(p.id)} onChange={(e) => toggle(p.id, e.target.checked)}
                {...(errorText ? { 'aria-invalid': true as const } : {})} />
              <span>
                {p.name} <span className="muted small">({DISCIPLINE_LABELS[p.discipline]})</span>
              </span>
            </label>
          ))}
        </div>
      )}
      {errorText && (
        <p className="field-error" id={`${idPrefix}-error`}>
          {errorText}
        </p>
      )}
    </fieldset>
  );
}
