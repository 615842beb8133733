import { useState } from 'react';
import { agendaWarnings, suggestOrder, type AgendaWarning } from '../../../../shared/agenda.js';
import type { Discipline } from '../../../../shared/disciplines.js';
import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import { durationText, viewerTimeZone } from '../../lib/conferenceTime.js';
import { sentence } from '../Field.js';
import { agendaItemFor, type AgendaCase, type AgendaDraftItem } from './draft.js';
import { agendaWarningText } from './words.js';

interface Props {
  idPrefix: string;
  /** Cases the organizer (or chair) may put on the agenda. */
  cases: AgendaCase[];
  items: AgendaDraftItem[];
  onChange(items: AgendaDraftItem[]): void;
  /** Server or schema messages, keyed as the body names them (`agenda.0.override`). */
  errors: Record<string, string>;
  /** `agenda` when creating a conference, `items` when changing one meeting's agenda. */
  fieldPrefix: 'agenda' | 'items';
  /** The meeting's length, when known. */
  lengthMinutes: number | null;
  /** The disciplines among the attendees for a case. */
  present(caseId: string): Set<Discipline>;
}

const readinessText = (c: AgendaCase) =>
  c.ready ? 'Ready for conference' : c.readiness ? `Not ready: ${c.readiness.complete} of ${c.readiness.required} required items complete` : 'Not ready for conference';

/**
 * The agenda builder: the cases on the agenda in order (minutes, presenter, move up and down,
 * remove, "Suggest order" putting complex cases first), the planned total against the meeting's
 * length, each case's warnings, and the other cases that can be added; a case that is not ready
 * only with the chair's override ticked, its reason shown.
 */
export function AgendaBuilder({ idPrefix, cases, items, onChange, errors, fieldPrefix, lengthMinutes, present }: Props) {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const caseOf = (i: AgendaDraftItem) => (i.caseId ? byId.get(i.caseId) : undefined);
  const HIDDEN = 'A case you are not on';
  const titleOf = (key: string) => {
    const at = items.findIndex((i) => i.key === key);
    const caseId = items[at]?.caseId;
    return caseId ? (byId.get(caseId)?.title ?? 'A case') : `${HIDDEN} (no. ${at + 1})`;
  };
  const planned = items.reduce((sum, i) => sum + (Number(i.minutes) > 0 ? Number(i.minutes) : 0), 0);
  const checks = items.map((i) => {
    const c = caseOf(i);
    return { id: i.key, minutes: Number(i.minutes) || 0, complex: c?.complex ?? i.complex ?? false, ready: c?.ready ?? true, override: i.override, requiredDisciplines: c?.requiredDisciplines ?? [] };
  });
  const warnings = agendaWarnings(checks, lengthMinutes ?? Number.POSITIVE_INFINITY, (check) => present(items.find((i) => i.key === check.id)?.caseId ?? ''));
  const ctx = { caseTitle: titleOf, viewerZone: viewerTimeZone() };
  const itemWarnings = (key: string) => warnings.filter((w): w is Exclude<AgendaWarning, { kind: 'over_time' }> => w.kind !== 'over_time' && w.itemId === key && w.kind !== 'not_ready');
  const overTime = warnings.find((w) => w.kind === 'over_time');
  const others = cases.filter((c) => !items.some((i) => i.caseId === c.id));
  const listError = errors[fieldPrefix];

  const update = (index: number, patch: Partial<AgendaDraftItem>) => onChange(items.map((it, n) => (n === index ? { ...it, ...patch } : it)));
  const move = (index: number, by: number) => {
    const next = [...items];
    const [it] = next.splice(index, 1);
    next.splice(index + by, 0, it!);
    onChange(next);
  };
  const suggested = suggestOrder(items.map((item) => ({ item, complex: caseOf(item)?.complex ?? item.complex ?? false }))).map((x) => x.item);
  const alreadySuggested = suggested.every((i, n) => i.key === items[n]?.key);

  return (
    <div className="agenda-builder">
      <div className="agenda-total" role="status">
        <span className={overTime ? 'is-over' : ''}>
          Planned {durationText(planned)}
          {lengthMinutes !== null && ` of a ${durationText(lengthMinutes)} meeting`}
          {overTime && `: ${durationText(planned - (lengthMinutes ?? 0))} too long`}
        </span>
        <button type="button" className="btn small" disabled={items.length < 2 || alreadySuggested} onClick={() => onChange(suggested)}
          aria-describedby={`${idPrefix}-suggest-hint`}>
          Suggest order
        </button>
        <span id={`${idPrefix}-suggest-hint`} className="muted small">
          Complex cases first, while the team is fresh.
        </span>
      </div>
      {listError && <p className="field-error">{sentence('The agenda', listError)}</p>}
      {items.length === 0 ? (
        <p className="records-empty">No case on the agenda yet. Add cases from the list below, or leave it empty and build it later.</p>
      ) : (
        <ol className="agenda-items" aria-label="Cases on the agenda, in order">
          {items.map((item, n) => {
            const c = caseOf(item);
            const title = titleOf(item.key);
            const complex = c?.complex ?? item.complex ?? false;
            const f = (k: string) => errors[`${fieldPrefix}.${n}.${k}`];
            const id = `${idPrefix}-${n}`;
            return (
              <li key={item.key} className={`agenda-item${complex ? ' is-complex' : ''}`}>
                <div className="agenda-item-head">
                  <span className="agenda-pos" aria-hidden="true">{n + 1}</span>
                  <div className="agenda-item-title">
                    {c ? <strong>{title}</strong> : <span className="muted">{title}</span>} {c && <span className="mono muted small">{c.patientRef}</span>}
                    <div className="agenda-item-flags">
                      {complex && <span className="pill flag-warn" title={c?.complexReasons.join('; ')}>Complex</span>}
                      {c && !c.ready && <span className="pill flag-neutral">Not ready</span>}
                    </div>
                    {c?.complex && c.complexReasons.length > 0 && <p className="muted small agenda-why">Complex: {c.complexReasons.join('; ')}.</p>}
                  </div>
                  <div className="agenda-item-move">
                    <button type="button" className="btn small ghost" disabled={n === 0} onClick={() => move(n, -1)} aria-label={`Move ${title} up`}>
                      ↑
                    </button>
                    <button type="button" className="btn small ghost" disabled={n === items.length - 1} onClick={() => move(n, 1)} aria-label={`Move ${title} down`}>
                      ↓
                    </button>
                    <button type="button" className="btn small ghost" onClick={() => onChange(items.filter((_, k) => k !== n))} aria-label={`Remove ${title} from the agenda`}>
                      Remove
                    </button>
                  </div>
                </div>
                <div className="agenda-item-fields">
                  <div className={`field compact${f('minutes') ? ' has-error' : ''}`}>
                    <label htmlFor={`${id}-minutes`}>Minutes</label>
                    <input id={`${id}-minutes`} type="number" min={1} max={480} step={1} inputMode="numeric" className="input-short" value={item.minutes}
                      aria-label={`Minutes for ${title}`} aria-invalid={f('minutes') ? true : undefined} aria-describedby={f('minutes') ? `${id}-minutes-error` : undefined}
                      onChange={(e) => update(n, { minutes: e.target.value })} />
                    {f('minutes') && <p className="field-error" id={`${id}-minutes-error`}>{sentence('Minutes', f('minutes')!)}</p>}
                  </div>
                  {c ? (
                    <PresenterField id={`${id}-presenter`} c={c} title={title} value={item.presenterId} error={f('presenterId')} onChange={(presenterId) => update(n, { presenterId })} />
                  ) : (
                    <p className="muted small agenda-hidden-note">Only its team sees which case this is; its presenter stays as set.</p>
                  )}
                </div>
                {item.itemId && c?.ready === false && !f('override') && <p className="muted small agenda-saved-override">Not ready; on the agenda by the chair&apos;s override.</p>}
                {((c?.ready === false && !item.itemId) || f('override')) && (
                  <div className={`agenda-override${f('override') ? ' has-error' : ''}`}>
                    <label className="checkbox" htmlFor={`${id}-override`}>
                      <input id={`${id}-override`} type="checkbox" checked={item.override} onChange={(e) => update(n, { override: e.target.checked })}
                        aria-invalid={f('override') ? true : undefined} aria-describedby={`${id}-override-why${f('override') ? ` ${id}-override-error` : ''}`} />
                      <span>Discuss it although it is not ready (chair&apos;s override)</span>
                    </label>
                    <p className="muted small" id={`${id}-override-why`}>{c ? readinessText(c) : ''}</p>
                    {f('override') && <p className="field-error" id={`${id}-override-error`}>{sentence('The override', f('override')!)}</p>}
                  </div>
                )}
                {(f('caseId') ?? f('itemId')) && <p className="field-error">{sentence('This case', (f('caseId') ?? f('itemId'))!)}</p>}
                {itemWarnings(item.key).length > 0 && (
                  <ul className="agenda-warnings" aria-label={`Warnings for ${title}`}>
                    {itemWarnings(item.key).map((w) => (
                      <li key={w.kind}>{agendaWarningText(w, ctx)}</li>
                    ))}
                  </ul>
                )}
                {c && c.requiredDisciplines.length > 0 && (
                  <p className="muted small">Needs: {c.requiredDisciplines.map((d) => DISCIPLINE_LABELS[d]).join(', ')}</p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {others.length > 0 && (
        <div className="agenda-candidates">
          <h4>Other cases you can add</h4>
          <ul aria-label="Other cases you can add">
            {others.map((c) => (
              <CandidateRow key={c.id} idPrefix={idPrefix} c={c} onAdd={(override) => onChange([...items, { ...agendaItemFor(c), override }])} />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** Who presents a case: one of its team, or not decided yet. */
function PresenterField({ id, c, title, value, error, onChange }: { id: string; c: AgendaCase; title: string; value: string; error: string | undefined; onChange(id: string): void }) {
  return (
    <div className={`field compact grow${error ? ' has-error' : ''}`}>
      <label htmlFor={id}>Presenter</label>
      <select id={id} value={value} aria-label={`Presenter for ${title}`} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => onChange(e.target.value)}>
        <option value="">Not decided yet</option>
        {c.members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name} ({DISCIPLINE_LABELS[m.discipline]})
          </option>
        ))}
      </select>
      {error && <p className="field-error" id={`${id}-error`}>{sentence('The presenter', error)}</p>}
    </div>
  );
}

/** A case not on the agenda: "Add", or for a case that is not ready, an override to tick first. */
function CandidateRow({ idPrefix, c, onAdd }: { idPrefix: string; c: AgendaCase; onAdd(override: boolean): void }) {
  const overrideId = `${idPrefix}-cand-${c.id}-override`;
  return (
    <li className="agenda-candidate">
      <div className="agenda-candidate-main">
        <strong>{c.title}</strong> <span className="mono muted small">{c.patientRef}</span>
        <span className={`pill ${c.ready ? 'flag-ok' : 'flag-neutral'}`}>{c.ready ? 'Ready' : 'Not ready'}</span>
        {c.complex && <span className="pill flag-warn" title={c.complexReasons.join('; ')}>Complex</span>}
        {!c.ready && <p className="muted small" id={`${overrideId}-why`}>{readinessText(c)}</p>}
      </div>
      {c.ready ? (
        <button type="button" className="btn small" onClick={() => onAdd(false)} aria-label={`Add ${c.title} to the agenda`}>
          Add
        </button>
      ) : (
        <OverrideAdd id={overrideId} title={c.title} onAdd={() => onAdd(true)} />
      )}
    </li>
  );
}

function OverrideAdd({ id, title, onAdd }: { id: string; title: string; onAdd(): void }) {
  const [ticked, setTicked] = useState(false);
  return (
    <div className="override-add">
      <label className="checkbox" htmlFor={id}>
        <input id={id} type="checkbox" checked={ticked} onChange={(e) => setTicked(e.target.checked)} aria-describedby={`${id}-why`} />
        <span>Override: add it anyway</span>
      </label>
      <button type="button" className="btn small" disabled={!ticked} onClick={onAdd} aria-label={`Add ${title} to the agenda although it is not ready`}>
        Add
      </button>
    </div>
  );
}
