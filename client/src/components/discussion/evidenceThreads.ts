import { useMemo } from 'react';
import type { ThreadView } from '../../../../shared/schemas/threads.js';
import { byActivity } from './filters.js';

/** What the evidence library needs from the discussion: who may comment, and the open threads on each item. */
export interface EvidenceDiscussion {
  canComment: boolean;
  /** The open threads on an item, most recent activity first (empty when there are none). */
  openThreads(evidenceId: string): ThreadView[];
  /** Starts a thread on an item, in the Discussion tab. */
  discuss(evidenceId: string): void;
  /** Shows a thread in the Discussion tab and moves focus to it. */
  showThread(threadId: string): void;
}

const NONE: ThreadView[] = [];

/**
 * Groups the case's open threads by the evidence item they are anchored to, for the library's
 * "2 comments" links. Recomputed only when the thread list changes.
 */
export function useEvidenceDiscussion(
  threads: ThreadView[] | null,
  canComment: boolean,
  discuss: (evidenceId: string) => void,
  showThread: (threadId: string) => void,
): EvidenceDiscussion {
  const byItem = useMemo(() => {
    const map = new Map<string, ThreadView[]>();
    for (const t of threads ?? []) {
      if (t.status !== 'open' || t.anchor.kind !== 'evidence') continue;
      const list = map.get(t.anchor.evidenceId) ?? [];
      list.push(t);
      map.set(t.anchor.evidenceId, list);
    }
    for (const list of map.values()) list.sort(byActivity);
    return map;
  }, [threads]);

  return useMemo(
    () => ({ canComment, openThreads: (id: string) => byItem.get(id) ?? NONE, discuss, showThread }),
    [byItem, canComment, discuss, showThread],
  );
}

/**
 * How a thread's evidence item reads in the discussion: its title, null once the item was
 * removed from the library (the thread is then detached), or undefined while the library loads.
 */
export function evidenceTitleOf(t: ThreadView, evidence: { id: string; title: string }[] | null): string | null | undefined {
  if (t.anchor.kind !== 'evidence' || !evidence) return undefined;
  const id = t.anchor.evidenceId;
  return evidence.find((e) => e.id === id)?.title ?? null;
}
