import { ItemThreadsLink } from '../discussion/ItemThreadsLink.js';
import { forwardRef } from 'react';
import { EVIDENCE_KIND_LABELS, type EvidenceStrength, type EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { ThreadView } from '../../../../shared/schemas/threads.js';
import type { CitationUse } from '../../editor/citationIndex.js';
import { EvidenceDelete } from './EvidenceDelete.js';

/** GRADE certainty, said in words (the badge's colour only repeats it). */
export const STRENGTH_TEXT: Record<EvidenceStrength, string> = {
  high: 'High certainty',
  moderate: 'Moderate certainty',
  low: 'Low certainty',
  very_low: 'Very low certainty',
};

/** A certainty badge: text first, colour second. */
export function StrengthBadge({ strength }: { strength: EvidenceStrength }) {
  return <span className={`pill strength strength-${strength}`}>{STRENGTH_TEXT[strength]}</span>;
}

/** Only http(s) addresses become links; anything else is shown as plain text. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\/[^\s]+$/i.test(url);
}

/** "Cited 2× in: Evidence, Proposed plan" or "Not cited in the brief yet". */
export function citedText(use: CitationUse): string {
  return use.count === 0 ? 'Not cited in the brief yet' : `Cited ${use.count}× in: ${use.sections.join(', ')}`;
}

interface Props {
  caseId: string;
  item: EvidenceView;
  number: number | null;
  use: CitationUse;
  selected: boolean;
  canEdit: boolean;
  /** Whether the user may start a thread on the item. */
  canComment: boolean;
  /** The open threads on the item, most recent activity first. */
  threads: ThreadView[];
  /** Starts a thread on the item in the Discussion tab. */
  onDiscuss(): void;
  /** Shows a thread in the Discussion tab. */
  onShowThread(threadId: string): void;
  onEdit(): void;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/** One evidence item in the library, with where the brief cites it and the open comment threads on it. */
export const EvidenceCard = forwardRef<HTMLElement, Props>(function EvidenceCard(
  { caseId, item, number, use, selected, canEdit, canComment, threads, onDiscuss, onShowThread, onEdit, onDeleted, onError },
  ref,
) {
  const headingId = `ev-title-${item.id}`;
  return (
    <article ref={ref} className={`record-card evidence-card${selected ? ' selected' : ''}`} aria-labelledby={headingId} tabIndex={-1} data-evidence-id={item.id}>
      <div className="record-meta">
        {number !== null && <span className="ref-number" title={`Reference ${number} in the brief`}>[{number}]</span>}
        <span>
          {EVIDENCE_KIND_LABELS[item.kind]}
          {item.year !== null ? ` · ${item.year}` : ''}
        </span>
        <StrengthBadge strength={item.strength} />
      </div>
      <h4 id={headingId} className="record-title">{item.title}</h4>
      {item.citation && <p className="record-citation">{item.citation}</p>}
      {item.summary && <p className="record-text">{item.summary}</p>}
      {item.url &&
        (isWebUrl(item.url) ? (
          <p className="record-link">
            <a href={item.url} target="_blank" rel="noopener noreferrer">
              {hostOf(item.url)}
              <span className="visually-hidden"> (opens in a new tab)</span> ↗
            </a>
          </p>
        ) : (
          <p className="record-link muted">{item.url}</p>
        ))}
      <p className={`cited ${use.count ? 'is-cited' : ''}`}>{citedText(use)}</p>
      <ItemThreadsLink threads={threads} title={item.title} onShowThread={onShowThread} />
      {(canEdit || canComment) && (
        <div className="record-actions">
          {canComment && (
            <button type="button" className="btn small" onClick={onDiscuss} aria-label={`Discuss ${item.title}`}>
              Discuss
            </button>
          )}
          {canEdit && (
            <>
              <button type="button" className="btn small" onClick={onEdit} aria-label={`Edit ${item.title}`}>
                Edit
              </button>
              <EvidenceDelete caseId={caseId} item={item} cited={use.count} onDeleted={onDeleted} onError={onError} />
            </>
          )}
        </div>
      )}
    </article>
  );
});

function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}
