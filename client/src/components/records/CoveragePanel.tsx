import { useState } from 'react';
import {
  APPEAL_OUTCOME_LABELS,
  COVERAGE_DECISION_LABELS,
  DENIAL_REASON_LABELS,
  type CoverageView,
  type DeadlineView,
} from '../../../../shared/schemas/coverage.js';
import { errorMessage } from '../../lib/api.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { CoverageForm } from './CoverageForm.js';
import { deadlineText, formatDate } from './dates.js';

interface Props {
  caseId: string;
  requests: CoverageView[] | null;
  canEdit: boolean;
  onSaved(request: CoverageView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** A deadline's date and its state in words: "Due in 3 days" (amber), "Overdue by 2 days" (red), "Closed" (grey). */
export function Deadline({ label, deadline }: { label: string; deadline: DeadlineView | null }) {
  if (!deadline) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {formatDate(deadline.date)} <span className={`pill flag deadline-${deadline.state}`}>{deadlineText(deadline)}</span>
      </dd>
    </>
  );
}

/** Newest submission first. */
const bySubmitted = (a: CoverageView, b: CoverageView) => b.submittedOn.localeCompare(a.submittedOn) || b.createdAt.localeCompare(a.createdAt);

/** Coverage requests to payers: decisions, coded denial reasons, appeal and peer-to-peer deadlines. */
export function CoveragePanel({ caseId, requests, canEdit, onSaved, onDeleted, onError }: Props) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [failure, setFailure] = useState<{ id: string; message: string } | null>(null);
  if (!requests) return <p className="muted">Loading coverage requests…</p>;

  const remove = async (id: string) => {
    setFailure(null);
    try {
      await recordsApi.deleteCoverage(caseId, id);
      onDeleted(id);
    } catch (err) {
      onError(err);
      setFailure({ id, message: errorMessage(err) });
    }
  };

  return (
    <section className="records-section" aria-labelledby="coverage-heading">
      <div className="records-head">
        <h3 id="coverage-heading">Coverage requests ({requests.length})</h3>
      </div>
      {canEdit && editing === 'new' && (
        <CoverageForm caseId={caseId} onCancel={() => setEditing(null)} onError={onError} onSaved={(r) => { onSaved(r); setEditing(null); }} />
      )}
      {canEdit && editing !== 'new' && (
        <button type="button" className="btn small primary add-button" onClick={() => setEditing('new')}>+ Add a coverage request</button>
      )}
      {requests.length === 0 && editing !== 'new' && (
        <div className="records-empty">
          <p>No coverage requests yet — record the prior authorization sent to the payer, and its decision when it comes.</p>
        </div>
      )}
      <div className="record-list">
        {[...requests].sort(bySubmitted).map((r) =>
          editing === r.id ? (
            <CoverageForm key={r.id} caseId={caseId} request={r} onCancel={() => setEditing(null)} onError={onError} onSaved={(x) => { onSaved(x); setEditing(null); }} />
          ) : (
            <article key={r.id} className="record-card" aria-labelledby={`cv-${r.id}`}>
              <div className="record-meta">
                <span className={`pill decision-${r.decision}`}>{COVERAGE_DECISION_LABELS[r.decision]}</span>
                <span>Submitted {formatDate(r.submittedOn)}</span>
                {r.referenceNumber && <span className="mono">Ref. {r.referenceNumber}</span>}
              </div>
              <h4 id={`cv-${r.id}`} className="record-title">{r.payer}</h4>
              <p className="record-text">{r.requested}</p>
              <dl className="record-fields">
                {r.decidedOn && (<><dt>Decided on</dt><dd>{formatDate(r.decidedOn)}</dd></>)}
                {r.denialReason && (<><dt>Denial reason</dt><dd>{DENIAL_REASON_LABELS[r.denialReason]}</dd></>)}
                {r.payerWording && (<><dt>Payer&apos;s wording</dt><dd><blockquote className="payer-wording">{r.payerWording}</blockquote></dd></>)}
                <Deadline label="Appeal deadline" deadline={r.appealDeadline} />
                <Deadline label="Peer-to-peer deadline" deadline={r.peerToPeerDeadline} />
                {r.appealOutcome !== 'none' && (<><dt>Appeal</dt><dd>{APPEAL_OUTCOME_LABELS[r.appealOutcome]}</dd></>)}
              </dl>
              {canEdit && (
                <div className="record-actions">
                  <button type="button" className="btn small" onClick={() => setEditing(r.id)} aria-label={`Edit the request to ${r.payer}`}>Edit</button>
                  <ConfirmButton label="Delete" ariaLabel={`Delete the request to ${r.payer}`} question="Delete this request?" confirmLabel="Yes, delete" danger onConfirm={() => remove(r.id)} />
                </div>
              )}
              {failure?.id === r.id && <p className="field-error" role="alert">{failure.message}</p>}
            </article>
          ),
        )}
      </div>
    </section>
  );
}
