import type { MemberView } from '../../../../shared/schemas/cases.js';
import { useState } from 'react';
import type { CaseView } from '../../../../shared/schemas/cases.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import { OpenRoundForm } from './OpenRoundForm.js';
import { RoundCard } from './RoundCard.js';
import type { Rounds } from './useRounds.js';
import './decide.css';

interface Props {
  caseView: CaseView;
  rounds: Rounds;
  options: OptionView[] | null;
  /** The team, to say who still has to vote. */
  members: MemberView[] | null;
  onError(err: unknown): void;
}

/**
 * Deciding together: open a vote over the case's options, vote, follow the tally and quorum
 * live, close, and write the recommendation; earlier rounds stay below as history.
 */
export function DecidePanel({ caseView, rounds, options, members, onError }: Props) {
  const [opening, setOpening] = useState(false);
  const list = rounds.rounds;
  if (list === null || options === null) return <p className="muted">Loading the votes…</p>;
  const current = list.filter((r) => r.status === 'open');
  const earlier = list.filter((r) => r.status === 'closed');
  const card = (r: (typeof list)[number]) => (
    <RoundCard key={r.id} caseId={caseView.id} round={r} abilities={caseView.abilities} members={members} onRound={rounds.apply} onError={onError} />
  );

  return (
    <section className="decide-panel" aria-labelledby="decide-heading">
      <div className="records-head">
        <h3 id="decide-heading">Decide</h3>
      </div>
      {caseView.abilities.openVote && !opening && (
        options.length < 2
          ? <p className="muted small">A vote needs at least two options: propose them under Records → Options.</p>
          : <button type="button" className="btn small primary add-button" onClick={() => setOpening(true)}>+ Open a vote</button>
      )}
      {opening && (
        <OpenRoundForm caseId={caseView.id} options={options} onError={onError} onCancel={() => setOpening(false)}
          onOpened={(r) => { rounds.apply(r); setOpening(false); }} />
      )}
      {list.length === 0 && !opening && (
        <div className="records-empty">
          <p>No vote yet. When the options are ready, open a vote.</p>
          {!caseView.abilities.openVote && <p className="muted small">Owners and editors can open a vote.</p>}
        </div>
      )}
      {current.length > 0 && <div className="record-list">{current.map(card)}</div>}
      {earlier.length > 0 && (
        <>
          <h4 className="decide-history">{current.length > 0 ? 'Earlier rounds' : 'Rounds'}</h4>
          <div className="record-list">{earlier.map(card)}</div>
        </>
      )}
    </section>
  );
}
