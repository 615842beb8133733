import { useEffect, useMemo } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { OptionView } from '../../../../shared/schemas/options.js';
import { subjectTitleOf } from './itemThreads.js';
import { FILTERS, byActivity, matchesFilter } from './filters.js';
import type { Person } from './mentions.js';
import { NewThreadForm } from './NewThreadForm.js';
import { ThreadCard } from './ThreadCard.js';
import type { Discussion } from './useDiscussion.js';

interface Props {
  caseId: string;
  discussion: Discussion;
  meId: string;
  isOwner: boolean;
  canComment: boolean;
  people: Person[];
  /** Threads whose brief passage was deleted. */
  detached: ReadonlySet<string>;
  /** Opens or closes a thread from the list (the workspace also scrolls the brief to it). */
  onToggle(threadId: string): void;
  onShowPassage(threadId: string): void;
  /** The case's evidence library (null while it loads), to name the items threads are on. */
  evidence: EvidenceView[] | null;
  /** Shows an evidence item in Records → Evidence. */
  onShowEvidence(evidenceId: string): void;
  /** The case's options (null while they load), to name the options threads are on. */
  options: OptionView[] | null;
  /** Shows an option in Records → Options. */
  onShowOption(optionId: string): void;
  onError(err: unknown): void;
}

/**
 * The discussion side panel: start a thread on the case, the thread being started on a
 * passage, filters, and the threads with their unread counts. Viewers only read.
 */
export function DiscussionPanel({
  caseId, discussion: d, meId, isOwner, canComment, people, detached, onToggle, onShowPassage, evidence, onShowEvidence, options, onShowOption, onError,
}: Props) {
  const subjects = useMemo(() => ({ evidence, options }), [evidence, options]);
  useEffect(() => {
    if (!d.reveal) return;
    const card = document.getElementById(`thread-${d.reveal.id}`);
    if (!card) return;
    const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (d.reveal.scroll) card.scrollIntoView({ block: 'nearest', behavior: reduce ? 'auto' : 'smooth' });
    if (d.reveal.focus) card.querySelector<HTMLElement>('.thread-toggle')?.focus({ preventScroll: true });
    d.clearReveal();
  }, [d]);

  const shown = (d.threads ?? []).filter((t) => matchesFilter(d.filter, t, meId)).sort(byActivity);
  const filterDef = FILTERS.find((f) => f.id === d.filter)!;
  const empty =
    d.filter === 'all' ? (canComment ? 'No comments yet. Select text in the brief and press Comment.' : 'No comments yet.') : filterDef.empty;

  return (
    <div className="discussion">
      <h2 className="visually-hidden">Discussion</h2>
      {canComment && !d.draft && (
        <div className="discussion-head">
          <button type="button" className="btn small" onClick={() => d.startDraft({ kind: 'case' })}>
            New comment on the case
          </button>
        </div>
      )}
      {d.hint && (
        <p className="note" role="status">
          {d.hint}
        </p>
      )}
      {d.draft && (
        <NewThreadForm
          caseId={caseId}
          draft={d.draft}
          subjects={subjects}
          people={people}
          onCancel={d.cancelDraft}
          onCreated={(t) => {
            d.upsert(t);
            d.cancelDraft();
            if (!matchesFilter(d.filter, t, meId)) d.setFilter('all');
            d.open(t.id);
          }}
        />
      )}
      <div className="chips" role="group" aria-label="Show threads">
        {FILTERS.map((f) => (
          <button key={f.id} type="button" className="chip" aria-pressed={d.filter === f.id} onClick={() => d.setFilter(f.id)}>
            {f.label}
          </button>
        ))}
      </div>
      {d.error && (
        <p className="notice error" role="alert">
          Could not load the discussion: {d.error}{' '}
          <button type="button" className="btn small" onClick={d.reload}>
            Try again
          </button>
        </p>
      )}
      {!d.threads && !d.error && <p className="muted">Loading the discussion…</p>}
      {d.threads && shown.length === 0 && <p className="empty-note">{empty}</p>}
      {shown.length > 0 && (
        <ul className="thread-list" aria-label={`${filterDef.label} threads`}>
          {shown.map((t) => (
            <li key={t.id}>
              <ThreadCard
                caseId={caseId}
                thread={t}
                meId={meId}
                isOwner={isOwner}
                canComment={canComment}
                people={people}
                active={d.activeId === t.id}
                unread={d.unread.byThread[t.id] ?? 0}
                detached={detached.has(t.id)}
                subjectTitle={subjectTitleOf(t, subjects)}
                onToggle={() => onToggle(t.id)}
                onShowPassage={() => onShowPassage(t.id)}
                onShowSubject={() => {
                  if (t.anchor.kind === 'evidence') onShowEvidence(t.anchor.evidenceId);
                  else if (t.anchor.kind === 'option') onShowOption(t.anchor.optionId);
                }}
                onThread={d.upsert}
                onRemoved={d.remove}
                onError={onError}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
