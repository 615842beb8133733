import type { ThreadAnchor, ThreadView } from '../../../../shared/schemas/threads.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { ComposeForm } from './ComposeForm.js';
import { anchoredItemId, type ThreadSubjects } from './itemThreads.js';
import type { Person } from './mentions.js';
import type { Draft } from './useDiscussion.js';

interface Props {
  caseId: string;
  draft: Draft;
  people: Person[];
  /** The evidence library and the options (null while loading), to name the record a thread is started on. */
  subjects: ThreadSubjects;
  onCreated(thread: ThreadView): void;
  onCancel(): void;
}

const HEADINGS: Record<ThreadAnchor['kind'], string> = {
  brief: 'Comment on the selected passage',
  case: 'New comment on the case',
  evidence: 'Comment on an evidence item',
  option: 'Comment on an option',
};

/** The record a new thread is about, if it is about one. */
function subjectOf(anchor: ThreadAnchor, subjects: ThreadSubjects): { title: string } | undefined {
  if (anchor.kind !== 'evidence' && anchor.kind !== 'option') return undefined;
  const id = anchoredItemId(anchor, anchor.kind);
  return (anchor.kind === 'evidence' ? subjects.evidence : subjects.options)?.find((x) => x.id === id);
}

/** Starts a thread on the selected passage, on an evidence item or option, or on the case as a whole. */
export function NewThreadForm({ caseId, draft, people, subjects, onCreated, onCancel }: Props) {
  const { anchor } = draft;
  const item = subjectOf(anchor, subjects);
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
