import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import { STANCE_LABELS, type RoundView } from '../../../../shared/schemas/rounds.js';

/** Each named stance with its rationale, then the dissent (objections) and reservations on their own. */
export function Stances({ round }: { round: RoundView }) {
  if (round.ballots.length === 0) return null;
  const title = (id: string) => round.options.find((o) => o.id === id)?.title ?? 'Removed option';
  const of = (kind: 'object' | 'support_with_reservations') =>
    round.ballots.flatMap((b) => Object.entries(b.stances).filter(([, s]) => s.stance === kind).map(([id, s]) => ({ key: `${b.voter.id}-${id}`, who: b.voter.name, option: title(id), why: s.rationale })));
  const dissent = of('object');
  const reservations = of('support_with_reservations');
  const list = (items: ReturnType<typeof of>, label: string, empty: string) => (
    <section className="stance-group" aria-label={label}>
      <h5>{label}</h5>
      {items.length === 0 ? <p className="muted small">{empty}</p> : (
        <ul>
          {items.map((i) => (
            <li key={i.key}><strong>{i.who}</strong> on {i.option}: {i.why}</li>
          ))}
        </ul>
      )}
    </section>
  );
  return (
    <div className="stances">
      {list(dissent, 'Dissent (objections)', 'No objections.')}
      {list(reservations, 'Reservations', 'No reservations.')}
      <details className="ballots">
        <summary>Each named stance ({round.ballots.length})</summary>
        <ul>
          {round.ballots.map((b) => (
            <li key={b.voter.id}>
              <strong>{b.voter.name}</strong> ({DISCIPLINE_LABELS[b.discipline]}):{' '}
              {b.defer !== null ? (
                <>Defer: information needed: {b.defer}</>
              ) : (
                <ul>
                  {Object.entries(b.stances).map(([id, s]) => (
                    <li key={id}>{title(id)}: {STANCE_LABELS[s.stance]}{s.rationale ? ` (${s.rationale})` : ''}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      </details>
    </div>
  );
}
