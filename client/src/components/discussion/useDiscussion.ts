import { useCallback, useEffect, useRef, useState } from 'react';
import type { ThreadChangedPayload } from '../../../../shared/events.js';
import type { ThreadAnchor, ThreadFilter, ThreadView, UnreadView } from '../../../../shared/schemas/threads.js';
import { errorMessage } from '../../lib/api.js';
import { discussionApi } from '../../lib/discussionApi.js';

/** A thread being started: where it will be anchored; `seq` changes when it is started anew. */
export interface Draft {
  anchor: ThreadAnchor;
  seq: number;
}

/** Asks the panel to show a thread: scroll it into view, and focus it when the user came from elsewhere. */
export interface Reveal {
  id: string;
  scroll: boolean;
  focus: boolean;
}

/** The case's discussion as the workspace holds it; the panel renders it. */
export interface Discussion {
  /** Every thread of the case (null while loading), unfiltered: the editor highlights all open ones. */
  threads: ThreadView[] | null;
  error: string | null;
  unread: UnreadView;
  filter: ThreadFilter;
  setFilter(f: ThreadFilter): void;
  activeId: string | null;
  /** Opens (expands) a thread, scrolling the panel to it unless `scroll` is false; `focus` moves keyboard focus to it. */
  open(threadId: string | null, opts?: { focus?: boolean; scroll?: boolean }): void;
  reveal: Reveal | null;
  /** The panel calls this once it has scrolled to the thread. */
  clearReveal(): void;
  /** A short status line for the panel, such as "Select some text first". */
  hint: string | null;
  setHint(hint: string | null): void;
  draft: Draft | null;
  startDraft(anchor: ThreadAnchor): void;
  cancelDraft(): void;
  /** Puts a thread the server answered with into the list. */
  upsert(thread: ThreadView): void;
  remove(threadId: string): void;
  onThreadChanged(p: ThreadChangedPayload): void;
  onUnread(u: UnreadView): void;
  /** Marks a thread read now (call it when the thread is shown). */
  markRead(threadId: string): void;
  reload(): void;
}

/**
 * Loads a case's threads and unread counts, and keeps them current from the live events the
 * workspace passes in (thread changes, unread changes) and from the server's answers.
 */
export function useDiscussion(caseId: string, onError: (err: unknown) => void): Discussion {
  const [threads, setThreads] = useState<ThreadView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [unread, setUnread] = useState<UnreadView>({ caseId, unread: 0, byThread: {} });
  const [filter, setFilter] = useState<ThreadFilter>('all');
  const [activeId, setActiveId] = useState<string | null>(null);
  const [reveal, setReveal] = useState<Reveal | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [loadKey, setLoadKey] = useState(0);
  const reading = useRef(new Set<string>());

  // A hint is a passing remark: it goes away by itself.
  useEffect(() => {
    if (!hint) return;
    const timer = setTimeout(() => setHint(null), 8000);
    return () => clearTimeout(timer);
  }, [hint]);

  // Threads deleted while the case is open: a late answer or push about one must not bring it back.
  const deleted = useRef(new Set<string>());

  useEffect(() => {
    let live = true;
    discussionApi.listThreads(caseId).then(
      (r) => {
        if (!live) return;
        setThreads((list) => mergeList(list, r.threads, deleted.current));
        setUnread(r.unread);
        setError(null);
      },
      (err: unknown) => {
        onError(err);
        if (live) setError(errorMessage(err));
      },
    );
    return () => {
      live = false;
    };
  }, [caseId, loadKey, onError]);

  const upsert = useCallback((t: ThreadView) => {
    if (deleted.current.has(t.id)) return;
    setThreads((list) => (list ? upsertThread(list, t) : list));
  }, []);
  const remove = useCallback((id: string) => {
    deleted.current.add(id);
    setThreads((list) => (list ? list.filter((x) => x.id !== id) : list));
    setActiveId((a) => (a === id ? null : a));
  }, []);

  const markRead = useCallback(
    (threadId: string) => {
      if (reading.current.has(threadId)) return;
      reading.current.add(threadId);
      discussionApi
        .markThreadRead(caseId, threadId)
        .then((u) => setUnread(u), onError)
        .finally(() => reading.current.delete(threadId));
    },
    [caseId, onError],
  );

  return {
    threads,
    error,
    unread,
    filter,
    setFilter,
    activeId,
    open: useCallback((id: string | null, opts?: { focus?: boolean; scroll?: boolean }) => {
      setActiveId(id);
      if (id) setReveal({ id, scroll: opts?.scroll ?? true, focus: opts?.focus ?? false });
    }, []),
    reveal,
    clearReveal: useCallback(() => setReveal(null), []),
    hint,
    setHint,
    draft,
    startDraft: useCallback((anchor: ThreadAnchor) => {
      setHint(null);
      setDraft((d) => ({ anchor, seq: (d?.seq ?? 0) + 1 }));
    }, []),
    cancelDraft: useCallback(() => setDraft(null), []),
    upsert,
    remove,
    onThreadChanged: useCallback((p: ThreadChangedPayload) => (p.thread ? upsert(p.thread) : remove(p.threadId)), [upsert, remove]),
    onUnread: useCallback((u: UnreadView) => setUnread(u), []),
    markRead,
    reload: useCallback(() => setLoadKey((n) => n + 1), []),
  };
}

/**
 * Puts a thread in the list unless the list already holds a newer copy of it: an HTTP answer and
 * a push about the same thread can arrive in either order, and `revision` (an ISO time) says which
 * is newer. Equal revisions are the same state, so the incoming copy may replace the other.
 */
function upsertThread(list: ThreadView[], t: ThreadView): ThreadView[] {
  const i = list.findIndex((x) => x.id === t.id);
  if (i < 0) return [...list, t];
  if (t.revision < list[i]!.revision) return list;
  return list.map((x, j) => (j === i ? t : x));
}

/**
 * A freshly fetched list, keeping any copy already held that is newer than the fetched one (a
 * push that overtook the request) and leaving out threads deleted meanwhile.
 */
function mergeList(held: ThreadView[] | null, fetched: ThreadView[], deleted: ReadonlySet<string>): ThreadView[] {
  const newer = new Map((held ?? []).map((t) => [t.id, t]));
  return fetched.filter((t) => !deleted.has(t.id)).map((t) => {
    const mine = newer.get(t.id);
    return mine && mine.revision > t.revision ? mine : t;
  });
}
