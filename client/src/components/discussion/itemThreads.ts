import { useMemo } from 'react';
import type { ThreadAnchor, ThreadView } from '../../../../shared/schemas/threads.js';
import { byActivity } from './filters.js';

/** The kinds of record a thread may be anchored to (besides the brief and the case). */
export type ItemAnchorKind = Extract<ThreadAnchor['kind'], 'evidence' | 'option'>;

/** What a list of records (the evidence library, the options) needs from the discussion. */
export interface ItemDiscussion {
  canComment: boolean;
  /** The open threads on an item, most recent activity first (empty when there are none). */
  openThreads(itemId: string): ThreadView[];
  /** Starts a thread on an item, in the Discussion tab. */
  discuss(itemId: string): void;
  /** Shows a thread in the Discussion tab and moves focus to it. */
  showThread(threadId: string): void;
}

/** The id of the record a thread is anchored to, when it is anchored to one of `kind`. */
export function anchoredItemId(anchor: ThreadAnchor, kind: ItemAnchorKind): string | null {
  if (kind === 'evidence') return anchor.kind === 'evidence' ? anchor.evidenceId : null;
  return anchor.kind === 'option' ? anchor.optionId : null;
}

const NONE: ThreadView[] = [];

/**
 * Groups the case's open threads by the record of `kind` they are anchored to, for the cards'
 * "2 comments" links. Recomputed only when the thread list changes.
 */
export function useItemDiscussion(
  kind: ItemAnchorKind,
  threads: ThreadView[] | null,
  canComment: boolean,
  discuss: (itemId: string) => void,
  showThread: (threadId: string) => void,
): ItemDiscussion {
  const byItem = useMemo(() => {
    const map = new Map<string, ThreadView[]>();
    for (const t of threads ?? []) {
      const id = anchoredItemId(t.anchor, kind);
      if (t.status !== 'open' || id === null) continue;
      const list = map.get(id) ?? [];
      list.push(t);
      map.set(id, list);
    }
    for (const list of map.values()) list.sort(byActivity);
    return map;
  }, [threads, kind]);

  return useMemo(
    () => ({ canComment, openThreads: (id: string) => byItem.get(id) ?? NONE, discuss, showThread }),
    [byItem, canComment, discuss, showThread],
  );
}

/** The records a thread may be about, each list null while it loads. */
export interface ThreadSubjects {
  evidence: { id: string; title: string }[] | null;
  options: { id: string; title: string }[] | null;
}

/**
 * How a thread's record reads in the discussion: its title, null once the record was removed
 * (the thread is then detached), or undefined while the list loads or for other anchors.
 */
export function subjectTitleOf(t: ThreadView, subjects: ThreadSubjects): string | null | undefined {
  const kind = t.anchor.kind === 'evidence' || t.anchor.kind === 'option' ? t.anchor.kind : null;
  if (!kind) return undefined;
  const list = kind === 'evidence' ? subjects.evidence : subjects.options;
  const id = anchoredItemId(t.anchor, kind);
  if (!list || id === null) return undefined;
  return list.find((x) => x.id === id)?.title ?? null;
}
