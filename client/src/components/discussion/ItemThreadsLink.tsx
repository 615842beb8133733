import type { ThreadView } from '../../../../shared/schemas/threads.js';

interface Props {
  /** The open threads on the item, most recently active first. */
  threads: ThreadView[];
  /** The item's title, for the link's accessible name. */
  title: string;
  onShowThread(threadId: string): void;
}

/** "2 comments" on an evidence item or option: opens the most recently active thread in Discussion. */
export function ItemThreadsLink({ threads, title, onShowThread }: Props) {
  const first = threads[0];
  if (!first) return null;
  const comments = `${threads.length} ${threads.length === 1 ? 'comment' : 'comments'}`;
  return (
    <p className="record-threads">
      <button type="button" className="linkish small" onClick={() => onShowThread(first.id)} aria-label={`${comments} on ${title}: show in Discussion`}>
        {comments}
      </button>
    </p>
  );
}
