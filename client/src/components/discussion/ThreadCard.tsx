import { useState, type ReactNode } from 'react';
import type { ThreadView } from '../../../../shared/schemas/threads.js';
import { errorMessage } from '../../lib/api.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { ComposeForm } from './ComposeForm.js';
import type { Person } from './mentions.js';
import { MessageItem, MessageText } from './MessageItem.js';

interface Props {
  caseId: string;
  thread: ThreadView;
  meId: string;
  isOwner: boolean;
  canComment: boolean;
  people: Person[];
  active: boolean;
  unread: number;
  /** The brief passage it was made on has been deleted. */
  detached: boolean;
  /**
   * For a thread on an evidence item or an option: its title, null once it was removed,
   * undefined while the records load.
   */
  subjectTitle?: string | null | undefined;
  onToggle(): void;
  /** Scrolls the brief to the passage. */
  onShowPassage(): void;
  /** Shows the thread's evidence item or option in the Records tab. */
  onShowSubject(): void;
  onThread(thread: ThreadView): void;
  onRemoved(threadId: string): void;
  onError(err: unknown): void;
}

/** Where the thread is anchored, as the card's first line. */
function where(t: ThreadView, detached: boolean, subjectTitle: string | null | undefined): ReactNode {
  switch (t.anchor.kind) {
    case 'brief':
      return detached ? 'Detached: the passage was deleted from the brief' : 'On the brief';
    case 'case':
      return 'On the case';
    case 'evidence':
      if (subjectTitle === null) return 'On a removed evidence item';
      if (subjectTitle === undefined) return 'On an evidence item';
      return (
        <span>
          On evidence: <span className="thread-subject">{subjectTitle}</span>
        </span>
      );
    case 'option':
      if (subjectTitle === null) return 'On a removed option';
      if (subjectTitle === undefined) return 'On an option';
      return (
        <span>
          On option: <span className="thread-subject">{subjectTitle}</span>
        </span>
      );
  }
}

/** One thread: collapsed to its first message, or open with every message, the reply box and actions. */
export function ThreadCard(p: Props) {
  const { thread: t, caseId, active, unread } = p;
  // A thread on an evidence item or option that was removed is detached too: it no longer points anywhere.
  const onRecord = t.anchor.kind === 'evidence' || t.anchor.kind === 'option';
  const detached = p.detached || (onRecord && p.subjectTitle === null);
  const [failure, setFailure] = useState<string | null>(null);
  const first = t.messages[0];
  const replies = t.messages.length - 1;
  const resolved = t.status === 'resolved';
  const mayDelete = p.canComment && (p.isOwner || (t.createdBy.id === p.meId && t.messages.every((m) => m.author.id === p.meId)));
  const bodyId = `thread-body-${t.id}`;

  const act = async (action: () => Promise<void>) => {
    setFailure(null);
    try {
      await action();
    } catch (err) {
      p.onError(err);
      setFailure(errorMessage(err));
    }
  };
  const setStatus = (status: 'open' | 'resolved') => act(async () => p.onThread((await discussionApi.setStatus(caseId, t.id, status)).thread));

  return (
    <article id={`thread-${t.id}`} className={`thread${active ? ' is-active' : ''}${resolved ? ' is-resolved' : ''}${detached ? ' is-detached' : ''}`}>
      <button type="button" className="thread-toggle" aria-expanded={active} aria-controls={bodyId} onClick={p.onToggle}>
        <span className="thread-where">
          {where(t, detached, p.subjectTitle)}
          {resolved && <span className="pill thread-status">Resolved</span>}
          {unread > 0 && <span className="pill unread-pill">{unread} new</span>}
        </span>
        {t.anchor.kind === 'brief' && <span className={`thread-quote${active ? '' : ' clamp-1'}`}>“{t.anchor.quote}”</span>}
        {!active && first && (
          <span className="thread-preview">
            <span className="message-author">{first.author.name}</span>{' '}
            <time dateTime={first.createdAt} title={fullTime(first.createdAt)} className="message-time">
              {relativeTime(first.createdAt)}
            </time>
            <span className="clamp-2">{first.deletedAt ? 'Message deleted' : <MessageText body={first.body} mentions={first.mentions} meId={p.meId} />}</span>
            {replies > 0 && <span className="thread-replies">{replies === 1 ? '1 reply' : `${replies} replies`}</span>}
          </span>
        )}
      </button>
      {active && (
        <div id={bodyId} className="thread-body">
          {t.anchor.kind === 'brief' && !detached && (
            <button type="button" className="linkish small" onClick={p.onShowPassage}>
              Show the passage in the brief
            </button>
          )}
          {onRecord && typeof p.subjectTitle === 'string' && (
            <button type="button" className="linkish small" onClick={p.onShowSubject}>
              {t.anchor.kind === 'evidence' ? 'Show the item in the evidence library' : 'Show the option in Records'}
            </button>
          )}
          <ol className="messages" aria-label="Messages">
            {t.messages.map((m) => (
              <MessageItem key={m.id} caseId={caseId} threadId={t.id} message={m} meId={p.meId} canComment={p.canComment} people={p.people} onThread={p.onThread} onError={p.onError} />
            ))}
          </ol>
          {resolved && t.resolvedBy && t.resolvedAt && (
            <p className="muted small">
              Resolved by {t.resolvedBy.name} {relativeTime(t.resolvedAt)}.
            </p>
          )}
          {p.canComment && (
            <>
              <ComposeForm
                id={`reply-${t.id}`}
                label="Reply"
                hideLabel
                submitLabel="Reply"
                placeholder="Reply; type @ to mention someone"
                people={p.people}
                onSubmit={async (input) => p.onThread((await discussionApi.reply(caseId, t.id, input)).thread)}
              />
              <div className="thread-actions">
                {resolved ? (
                  <button type="button" className="btn small" onClick={() => void setStatus('open')}>
                    Reopen
                  </button>
                ) : (
                  <button type="button" className="btn small" onClick={() => void setStatus('resolved')}>
                    Resolve
                  </button>
                )}
                {mayDelete && (
                  <ConfirmButton
                    label="Delete thread"
                    question="Delete the whole thread?"
                    confirmLabel="Yes, delete"
                    danger
                    onConfirm={() => act(async () => {
                      await discussionApi.deleteThread(caseId, t.id);
                      p.onRemoved(t.id);
                    })}
                  />
                )}
              </div>
            </>
          )}
          {failure && (
            <p className="field-error" role="alert">
              {failure}
            </p>
          )}
        </div>
      )}
    </article>
  );
}
