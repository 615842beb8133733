import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import type { ThreadAnchor, ThreadView } from '../../../../shared/schemas/threads.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { ComposeForm } from './ComposeForm.js';
import type { Person } from './mentions.js';
import type { Draft } from './useDiscussion.js';

interface Props {
  caseId: string;
  draft: Draft;
  people: Person[];
  /** The evidence library (null while loading), to name the item a thread is started on. */
  evidence: EvidenceView[] | null;
  onCreated(thread: ThreadView): void;
  onCancel(): void;
}

const HEADINGS: Record<ThreadAnchor['kind'], string> = {
  brief: 'Comment on the selected passage',
  case: 'New comment on the case',
  evidence: 'Comment on an evidence item',
  option: 'Comment on an option',
};

/** Starts a thread on the selected passage, on an evidence item, or on the case as a whole. */
export function NewThreadForm({ caseId, draft, people, evidence, onCreated, onCancel }: Props) {
  const { anchor } = draft;
  const item = anchor.kind === 'evidence' ? evidence?.find((e) => e.id === anchor.evidenceId) : undefined;
  return (
    <section className="new-thread" aria-labelledby="new-thread-heading">
      <h3 id="new-thread-heading">{HEADINGS[anchor.kind]}</h3>
      {anchor.kind === 'brief' && <p className="thread-quote clamp-3">“{anchor.quote}”</p>}
      {item && <p className="thread-subject-line clamp-2">{item.title}</p>}
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
