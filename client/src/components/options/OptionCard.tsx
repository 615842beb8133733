import { ItemThreadsLink } from '../discussion/ItemThreadsLink.js';
import { forwardRef, useState } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import type { ThreadView } from '../../../../shared/schemas/threads.js';
import { errorMessage } from '../../lib/api.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { StrengthBadge } from '../records/EvidenceCard.js';

interface Props {
  caseId: string;
  option: OptionView;
  /** Its supporting evidence as the library has it, strongest first. */
  evidence: EvidenceView[];
  selected: boolean;
  canEdit: boolean;
  /** Whether the user may start a thread on the option. */
  canComment: boolean;
  /** The open threads on the option, most recent activity first. */
  threads: ThreadView[];
  onDiscuss(): void;
  onShowThread(threadId: string): void;
  /** Shows a supporting item in Records → Evidence. */
  onShowEvidence(evidenceId: string): void;
  onEdit(): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** An option's text field, or nothing when it was left empty. */
function Row({ label, value }: { label: string; value: string }) {
  if (!value) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}

/** One option: what it is, its benefit, risks and burden, the evidence behind it, and who proposed it. */
export const OptionCard = forwardRef<HTMLElement, Props>(function OptionCard(
  { caseId, option: o, evidence, selected, canEdit, canComment, threads, onDiscuss, onShowThread, onShowEvidence, onEdit, onDeleted, onError },
  ref,
) {
  const [failure, setFailure] = useState<string | null>(null);
  const headingId = `op-title-${o.id}`;
  const threadsStay = threads.length === 0 ? '' : threads.length === 1 ? ' Its open thread stays in Discussion.' : ` Its ${threads.length} open threads stay in Discussion.`;

  const remove = async () => {
    setFailure(null);
    try {
      await recordsApi.deleteOption(caseId, o.id);
      onDeleted(o.id);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  };

  return (
    <article ref={ref} className={`record-card option-card${selected ? ' selected' : ''}`} aria-labelledby={headingId} tabIndex={-1}>
      <div className="record-meta">
        <span>
          Proposed by {o.createdBy.name} ·{' '}
          <time dateTime={o.createdAt} title={fullTime(o.createdAt)}>
            {relativeTime(o.createdAt)}
          </time>
        </span>
      </div>
      <h4 id={headingId} className="record-title">{o.title}</h4>
      {o.description && <p className="record-text">{o.description}</p>}
      <dl className="record-fields">
        <Row label="Expected benefit" value={o.expectedBenefit} />
        <Row label="Risks" value={o.risks} />
        <Row label="Burden" value={o.burden} />
      </dl>
      <h5 className="option-evidence-heading">Supporting evidence</h5>
      {evidence.length === 0 ? (
        <p className="muted small option-no-evidence">None cited from the library yet.</p>
      ) : (
        <ul className="option-evidence-cited" aria-label={`Evidence supporting ${o.title}`}>
          {evidence.map((e) => (
            <li key={e.id}>
              <StrengthBadge strength={e.strength} />{' '}
              <button type="button" className="link-button" onClick={() => onShowEvidence(e.id)} aria-label={`${e.title}: show in the evidence library`}>
                {e.title}
              </button>
            </li>
          ))}
        </ul>
      )}
      <ItemThreadsLink threads={threads} title={o.title} onShowThread={onShowThread} />
      {(canEdit || canComment) && (
        <div className="record-actions">
          {canComment && (
            <button type="button" className="btn small" onClick={onDiscuss} aria-label={`Discuss ${o.title}`}>
              Discuss
            </button>
          )}
          {canEdit && (
            <>
              <button type="button" className="btn small" onClick={onEdit} aria-label={`Edit ${o.title}`}>
                Edit
              </button>
              <ConfirmButton label="Delete" ariaLabel={`Delete ${o.title}`} question={`Delete “${o.title}”?${threadsStay}`} confirmLabel="Yes, delete" danger onConfirm={remove} />
            </>
          )}
        </div>
      )}
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </article>
  );
});
