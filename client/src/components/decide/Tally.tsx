import { tallyOf } from '../../../../shared/decision.js';
import type { RoundView } from '../../../../shared/schemas/rounds.js';

/**
 * The tally per option. While the round is open it is counted here from the visible ballots with
 * the same shared function the server counts with (so it moves the moment a ballot arrives);
 * once closed it is the server's final count. A blind open round shows only who voted.
 */
export function Tally({ round }: { round: RoundView }) {
  if (!round.result) {
    return (
      <p className="note blind-note">
        Blind vote: stances are hidden until the vote closes.
      </p>
    );
  }
  const title = (id: string) => round.options.find((o) => o.id === id)?.title ?? 'Removed option';
  return (
    <div className="tally-scroll">
    <table className="tally-table">
      <caption>{round.status === 'open' ? 'Live tally' : 'Final tally'}</caption>
      <thead>
        <tr>
          <th scope="col">Option</th>
          <th scope="col">Support</th>
          <th scope="col">With reservations</th>
          <th scope="col">Object</th>
          <th scope="col">Abstain</th>
        </tr>
      </thead>
      <tbody>
        {(round.status === 'open'
          ? tallyOf(round.options.map((o) => o.id), round.ballots.map((b) => ({
              voterId: b.voter.id, discipline: b.discipline, defer: b.defer,
              stances: Object.fromEntries(Object.entries(b.stances).map(([k, v]) => [k, v.stance])),
            })))
          : round.result.tallies
        ).map((t) => (
          <tr key={t.optionId} aria-label={`Tally for ${title(t.optionId)}`}>
            <th scope="row">{title(t.optionId)}</th>
            <td>{t.support}</td>
            <td>{t.reservations}</td>
            <td>{t.object}</td>
            <td>{t.abstain}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}

/** Who has voted so far, by name and discipline: shown in every mode. */
export function Voters({ round }: { round: RoundView }) {
  if (round.voters.length === 0) return <p className="muted small">Nobody has voted yet.</p>;
  return <p className="small">Voted: {round.voters.map((v) => v.name).join(', ')}</p>;
}
