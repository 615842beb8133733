import type { ThreadView } from '../../../../shared/schemas/threads.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { ComposeForm } from './ComposeForm.js';
import type { Person } from './mentions.js';
import type { Draft } from './useDiscussion.js';

interface Props {
  caseId: string;
  draft: Draft;
  people: Person[];
  onCreated(thread: ThreadView): void;
  onCancel(): void;
}

/** Starts a thread on the selected passage, or on the case as a whole. */
export function NewThreadForm({ caseId, draft, people, onCreated, onCancel }: Props) {
  const { anchor } = draft;
  return (
    <section className="new-thread" aria-labelledby="new-thread-heading">
      <h3 id="new-thread-heading">{anchor.kind === 'brief' ? 'Comment on the selected passage' : 'New comment on the case'}</h3>
      {anchor.kind === 'brief' && <p className="thread-quote clamp-3">“{anchor.quote}”</p>}
      <ComposeForm
        key={draft.seq}
        id="new-thread-body"
        label="Your comment"
        hideLabel
        submitLabel="Comment"
        people={people}
        autoFocus
        onCancel={onCancel}
        onSubmit={async ({ body, mentions, requestId }) => {
          onCreated((await discussionApi.createThread(caseId, { anchor, body, mentions, requestId })).thread);
        }}
      />
    </section>
  );
}
