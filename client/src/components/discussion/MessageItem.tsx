import { useState } from 'react';
import { userColor } from '../../../../shared/colors.js';
import type { MessageView, ThreadView } from '../../../../shared/schemas/threads.js';
import { errorMessage } from '../../lib/api.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { Avatar } from '../Avatar.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { ComposeForm } from './ComposeForm.js';
import { splitMentions, type Person } from './mentions.js';

/** A message's text as React text nodes (never HTML), with mentions set apart. */
export function MessageText({ body, mentions, meId }: { body: string; mentions: Person[]; meId: string }) {
  return (
    <>
      {splitMentions(body, mentions).map((part, i) =>
        part.person ? (
          <span key={i} className={`mention${part.person.id === meId ? ' is-me' : ''}`}>
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

interface Props {
  caseId: string;
  threadId: string;
  message: MessageView;
  meId: string;
  canComment: boolean;
  people: Person[];
  onThread(thread: ThreadView): void;
  onError(err: unknown): void;
}

/** One message: author, time, "edited", the text or a tombstone; its author may edit or delete it. */
export function MessageItem({ caseId, threadId, message: m, meId, canComment, people, onThread, onError }: Props) {
  const [editing, setEditing] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const deleted = m.deletedAt !== null;
  const mine = m.author.id === meId;

  const remove = async () => {
    setFailure(null);
    try {
      onThread((await discussionApi.deleteMessage(caseId, threadId, m.id)).thread);
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  };

  return (
    <li className={`message${deleted ? ' is-deleted' : ''}`}>
      <div className="message-head">
        <Avatar name={m.author.name} color={userColor(m.author.id)} size="sm" decorative />
        <span className="message-author">{m.author.name}</span>
        <time className="message-time" dateTime={m.createdAt} title={fullTime(m.createdAt)}>
          {relativeTime(m.createdAt)}
        </time>
        {m.editedAt && !deleted && (
          <span className="message-edited" title={`Edited ${fullTime(m.editedAt)}`}>
            edited
          </span>
        )}
      </div>
      {deleted ? (
        <p className="message-body tombstone">Message deleted</p>
      ) : editing ? (
        <ComposeForm
          id={`edit-${m.id}`}
          label="Edit your message"
          hideLabel
          submitLabel="Save"
          people={people}
          initial={{ body: m.body, mentions: m.mentions }}
          autoFocus
          onCancel={() => setEditing(false)}
          onSubmit={async ({ body, mentions }) => {
            onThread((await discussionApi.editMessage(caseId, threadId, m.id, { body, mentions })).thread);
            setEditing(false);
          }}
        />
      ) : (
        <p className="message-body">
          <MessageText body={m.body} mentions={m.mentions} meId={meId} />
        </p>
      )}
      {mine && canComment && !deleted && !editing && (
        <div className="message-actions">
          <button type="button" className="btn small" onClick={() => setEditing(true)} aria-label="Edit your message">
            Edit
          </button>
          <ConfirmButton label="Delete" ariaLabel="Delete your message" question="Delete this message?" confirmLabel="Yes, delete" danger onConfirm={remove} />
        </div>
      )}
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
    </li>
  );
}
