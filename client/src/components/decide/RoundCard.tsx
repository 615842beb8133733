import { DISCIPLINE_LABELS } from '../../../../shared/disciplines.js';
import type { MemberView } from '../../../../shared/schemas/cases.js';
import type { CaseView } from '../../../../shared/schemas/cases.js';
import type { RoundView } from '../../../../shared/schemas/rounds.js';
import { decisionsApi } from '../../lib/decisionsApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { BallotForm } from './BallotForm.js';
import { FollowUps } from './FollowUps.js';
import { RecommendationForm } from './RecommendationForm.js';
import { Stances } from './Stances.js';
import { Tally, Voters } from './Tally.js';
import { formatDateTime, outcomeHeadline, quorumProgress, quorumText, ruleText } from './words.js';

interface Props {
  caseId: string;
  round: RoundView;
  abilities: Pick<CaseView['abilities'], 'vote' | 'closeVote' | 'editRecords'>;
  /** The team, to name who still has to vote (null while it loads). */
  members: MemberView[] | null;
  onRound(round: RoundView): void;
  onError(err: unknown): void;
}

/** One decision round: its terms, quorum progress and tally; the ballot while open; the outcome and recommendation once closed. */
export function RoundCard({ caseId, round, abilities, members, onRound, onError }: Props) {
  const open = round.status === 'open';
  const outcome = round.result?.outcome ?? null;
  const headingId = `round-${round.id}`;
  return (
    <article className={`record-card round-card ${open ? 'is-open' : 'is-closed'}`} aria-labelledby={headingId}>
      <p className="record-meta">
        <span className={`round-status ${round.status}`}>{open ? 'Open' : 'Closed'}</span>
        <span>{round.visibility === 'blind' ? 'Blind vote' : 'Open vote'}</span>
        <span>Opened by {round.openedBy.name}, {formatDateTime(round.openedAt)}</span>
      </p>
      <h4 id={headingId} className="record-title">{round.question}</h4>
      <dl className="record-fields">
        <dt>Rule</dt>
        <dd>{ruleText(round)}</dd>
        <dt>Quorum</dt>
        <dd>{quorumText(round.quorum)}</dd>
        <dt>Options</dt>
        <dd>{round.options.map((o) => o.title).join('; ')}</dd>
        <dt>{open ? 'Closes' : 'Closed'}</dt>
        <dd>
          {open
            ? round.closesAt ? formatDateTime(round.closesAt) : 'When an owner closes it'
            : `${round.closedAt ? formatDateTime(round.closedAt) : ''}${round.closedBy ? ` by ${round.closedBy.name}` : ' automatically at its closing time'}`}
        </dd>
      </dl>
      <p className="quorum-progress" aria-live="polite"><strong>Quorum:</strong> {quorumProgress(round)}</p>
      {open && members && <StillToVote round={round} members={members} />}
      <Voters round={round} />
      <div aria-live="polite"><Tally round={round} /></div>

      {!open && outcome && (
        <div className="round-outcome">
          <h5>Outcome</h5>
          <p className={`outcome outcome-${outcome.kind}`}>{outcomeHeadline(round, outcome)}</p>
          {outcome.kind === 'deferred' && (
            <ul>{outcome.information.map((i, n) => <li key={n}>{i}</li>)}</ul>
          )}
          {outcome.kind === 'no_decision' && outcome.detail && <p>{outcome.detail}</p>}
        </div>
      )}
      {(!open || round.visibility === 'open') && <Stances round={round} />}

      {open && abilities.vote && <BallotForm key={round.myBallot?.updatedAt ?? 'none'} caseId={caseId} round={round} onSaved={onRound} onError={onError} />}
      {open && !abilities.vote && <p className="muted small">Viewers follow the vote but do not vote.</p>}
      {open && abilities.closeVote && (
        <div className="form-actions">
          <ConfirmButton label="Close vote" question="Close the vote now? Ballots can no longer change." confirmLabel="Yes, close the vote"
            onConfirm={async () => {
              try {
                onRound((await decisionsApi.closeRound(caseId, round.id)).round);
              } catch (err) {
                onError(err);
              }
            }} />
        </div>
      )}

      {round.recommendation ? (
        <section className="recommendation" aria-labelledby={`${headingId}-rec`}>
          <h5 id={`${headingId}-rec`}>Recommendation: {round.recommendation.option.title}</h5>
          <p className="recommendation-text">{round.recommendation.text}</p>
          <p className="muted small">Written by {round.recommendation.writtenBy.name}, {formatDateTime(round.recommendation.writtenAt)}</p>
        </section>
      ) : (
        !open && outcome?.kind === 'decided' && abilities.closeVote && <RecommendationForm caseId={caseId} round={round} onSaved={onRound} onError={onError} />
      )}
      {!open && round.briefSnapshot !== null && (
        <details className="brief-snapshot">
          <summary>Brief at the time of decision</summary>
          <div className="brief-snapshot-text">{round.briefSnapshot || 'The brief was empty.'}</div>
        </details>
      )}
      {round.recommendation && <FollowUps caseId={caseId} round={round} canRecord={abilities.editRecords} onSaved={onRound} onError={onError} />}
    </article>
  );
}

/** The members who may vote and have not yet (viewers watch and are not listed). */
function StillToVote({ round, members }: { round: RoundView; members: MemberView[] }) {
  const voted = new Set(round.voters.map((v) => v.id));
  const waiting = members.filter((m) => m.role !== 'viewer' && !voted.has(m.userId));
  if (waiting.length === 0) return <p className="muted still-to-vote">Everyone who may vote has voted.</p>;
  return (
    <p className="still-to-vote">
      <strong>Still to vote:</strong> {waiting.map((m) => `${m.name} (${DISCIPLINE_LABELS[m.discipline]})`).join(', ')}
    </p>
  );
}
