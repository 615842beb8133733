import { useState } from 'react';
import {
  CHANNEL_LABELS,
  STAKEHOLDER_KIND_LABELS,
  STAKEHOLDER_STATUS_LABELS,
  type StakeholderView,
} from '../../../../shared/schemas/stakeholders.js';
import { errorMessage } from '../../lib/api.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { dueText, formatDate, overdueText } from './dates.js';
import { StakeholderForm } from './StakeholderForm.js';

interface Props {
  caseId: string;
  entries: StakeholderView[] | null;
  canEdit: boolean;
  onSaved(entry: StakeholderView): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** Latest contact first. */
const byDate = (a: StakeholderView, b: StakeholderView) => b.date.localeCompare(a.date) || b.createdAt.localeCompare(a.createdAt);

/** The stakeholder log: who must be convinced, what they raised, and the next step, with overdue ones flagged. */
export function StakeholderPanel({ caseId, entries, canEdit, onSaved, onDeleted, onError }: Props) {
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [failure, setFailure] = useState<{ id: string; message: string } | null>(null);
  if (!entries) return <p className="muted">Loading the stakeholder log…</p>;
  const overdue = entries.filter((e) => e.overdue).length;

  const remove = async (id: string) => {
    setFailure(null);
    try {
      await recordsApi.deleteStakeholder(caseId, id);
      onDeleted(id);
    } catch (err) {
      onError(err);
      setFailure({ id, message: errorMessage(err) });
    }
  };

  return (
    <section className="records-section" aria-labelledby="stakeholders-heading">
      <div className="records-head">
        <h3 id="stakeholders-heading">Stakeholder log ({entries.length})</h3>
        {overdue > 0 && <span className="pill flag flag-danger">{overdue} overdue next step{overdue === 1 ? '' : 's'}</span>}
      </div>
      {canEdit && editing === 'new' && (
        <StakeholderForm caseId={caseId} onCancel={() => setEditing(null)} onError={onError} onSaved={(e) => { onSaved(e); setEditing(null); }} />
      )}
      {canEdit && editing !== 'new' && (
        <button type="button" className="btn small primary add-button" onClick={() => setEditing('new')}>+ Log a contact</button>
      )}
      {entries.length === 0 && editing !== 'new' && (
        <div className="records-empty">
          <p>No contacts logged yet — record who must be convinced (the insurer&apos;s medical director, the family, a colleague), what they raised and the next step.</p>
        </div>
      )}
      <div className="record-list">
        {[...entries].sort(byDate).map((e) =>
          editing === e.id ? (
            <StakeholderForm key={e.id} caseId={caseId} entry={e} onCancel={() => setEditing(null)} onError={onError} onSaved={(x) => { onSaved(x); setEditing(null); }} />
          ) : (
            <article key={e.id} className={`record-card${e.overdue ? ' is-overdue' : ''}`} aria-labelledby={`sh-${e.id}`}>
              <div className="record-meta">
                <span className="pill">{STAKEHOLDER_KIND_LABELS[e.stakeholder]}</span>
                <span>{CHANNEL_LABELS[e.channel]} · {formatDate(e.date)}</span>
                <span className={`pill sh-status-${e.status}`}>{STAKEHOLDER_STATUS_LABELS[e.status]}</span>
              </div>
              <h4 id={`sh-${e.id}`} className="record-title">{e.who}</h4>
              <dl className="record-fields">
                {e.concerns && (<><dt>Concerns</dt><dd>{e.concerns}</dd></>)}
                {e.response && (<><dt>Response</dt><dd>{e.response}</dd></>)}
                {e.nextStep && (
                  <>
                    <dt>Next step</dt>
                    <dd>
                      {e.nextStep}
                      {e.nextStepDue && <span className="muted"> — by {formatDate(e.nextStepDue)}</span>}
                      {e.nextStepDaysLeft !== null && e.overdue && <span className="pill flag flag-danger due-flag">{overdueText(e.nextStepDaysLeft)}</span>}
                      {e.nextStepDaysLeft !== null && !e.overdue && e.status !== 'resolved' && <span className="pill flag flag-neutral due-flag">{dueText(e.nextStepDaysLeft)}</span>}
                    </dd>
                  </>
                )}
              </dl>
              {canEdit && (
                <div className="record-actions">
                  <button type="button" className="btn small" onClick={() => setEditing(e.id)} aria-label={`Edit the entry for ${e.who}`}>Edit</button>
                  <ConfirmButton label="Delete" ariaLabel={`Delete the entry for ${e.who}`} question="Delete this entry?" confirmLabel="Yes, delete" danger onConfirm={() => remove(e.id)} />
                </div>
              )}
              {failure?.id === e.id && <p className="field-error" role="alert">{failure.message}</p>}
            </article>
          ),
        )}
      </div>
    </section>
  );
}
