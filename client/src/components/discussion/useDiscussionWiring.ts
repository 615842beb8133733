import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import type { AnchorSpec } from '../../editor/anchors.js';
import { navigate, useLocation } from '../../lib/router.js';
import type { BriefComments } from '../BriefEditor.js';
import { matchesFilter } from './filters.js';
import { useDetached } from './useDetached.js';
import type { Discussion } from './useDiscussion.js';

interface Args {
  discussion: Discussion;
  meId: string;
  canComment: boolean;
  /** Whether the user types in the brief (a click in a highlight may then just place the caret). */
  canEditBrief: boolean;
  doc: Y.Doc | null;
  synced: boolean;
  /** Whether the discussion panel is the one shown in the side panel. */
  panelShown: boolean;
  showPanel(): void;
}

/** Side by side (wide screens), opening a thread also brings its passage into view. */
const sideBySide = () => window.matchMedia('(min-width: 1101px)').matches;

/**
 * Ties the discussion to the brief and the page: which passages to highlight, what happens
 * on a highlight click or a thread click, opening the thread named in ?thread=, marking the
 * open thread read, and a polite announcement when unread comments arrive.
 */
export function useDiscussionWiring({ discussion: d, meId, canComment, canEditBrief, doc, synced, panelShown, showPanel }: Args) {
  const reveal = useRef<((threadId: string) => boolean) | null>(null);
  const detached = useDetached(doc, d.threads, synced);
  const { threads, filter, setFilter, open, activeId, markRead, setHint, startDraft } = d;

  const anchors = useMemo<AnchorSpec[]>(
    () =>
      (threads ?? []).flatMap((t) =>
        t.status === 'open' && t.anchor.kind === 'brief' && !detached.has(t.id) ? [{ id: t.id, start: t.anchor.start, end: t.anchor.end }] : [],
      ),
    [threads, detached],
  );

  const openThread = useCallback(
    (id: string, opts: { focus?: boolean; showPassage?: boolean; scroll?: boolean } = {}) => {
      const t = threads?.find((x) => x.id === id);
      if (t && !matchesFilter(filter, t, meId)) setFilter('all');
      showPanel();
      open(id, { focus: opts.focus ?? false, scroll: opts.scroll ?? true });
      if (opts.showPassage) reveal.current?.(id);
    },
    [threads, filter, setFilter, meId, showPanel, open],
  );

  const briefComments: BriefComments = {
    anchors,
    activeId,
    canComment,
    drafting: d.draft !== null,
    // Below the brief (narrow screens), jumping to the panel would pull an editor away from the
    // words they clicked into; the highlight still turns active and the thread opens.
    onOpen: (id) => openThread(id, { scroll: sideBySide() || !canEditBrief }),
    onComment: (passage) => {
      showPanel();
      if (passage) startDraft({ kind: 'brief', ...passage });
      else setHint('Select the text you want to comment on, then press Comment.');
    },
    onReveal: useCallback((fn: ((threadId: string) => boolean) | null) => {
      reveal.current = fn;
    }, []),
  };

  // A link such as /cases/:id?thread=:threadId (from a notification) opens that thread.
  const loc = useLocation();
  const wanted = new URLSearchParams(loc.split('?')[1] ?? '').get('thread');
  useEffect(() => {
    if (!wanted || !threads) return;
    if (threads.some((t) => t.id === wanted)) openThread(wanted, { focus: true, showPassage: true });
    else setHint('That thread is no longer in this case: it was deleted.');
    navigate(location.pathname, { replace: true });
  }, [wanted, threads, openThread, setHint]);

  // The open thread counts as read while it is shown, including replies that arrive meanwhile.
  const activeUnread = activeId ? (d.unread.byThread[activeId] ?? 0) : 0;
  useEffect(() => {
    if (panelShown && activeId && activeUnread > 0) markRead(activeId);
  }, [panelShown, activeId, activeUnread, markRead]);

  const [announcement, setAnnouncement] = useState('');
  const total = d.unread.unread;
  const lastTotal = useRef(total);
  const loaded = threads !== null;
  const wasLoaded = useRef(loaded);
  useEffect(() => {
    // Announce comments that arrive while the case is open, not the count found on opening it.
    if (wasLoaded.current && total > lastTotal.current) setAnnouncement(`${total} unread ${total === 1 ? 'comment' : 'comments'} in this case`);
    lastTotal.current = total;
    wasLoaded.current = loaded;
  }, [total, loaded]);

  return {
    detached,
    briefComments,
    announcement,
    toggleThread: (id: string) => (activeId === id ? open(null) : openThread(id, { showPassage: sideBySide() })),
    /** Opens a thread from elsewhere in the workspace (the evidence library): the panel shows it and takes focus. */
    showThread: useCallback((id: string) => openThread(id, { focus: true }), [openThread]),
    showPassage: (id: string) => void reveal.current?.(id),
  };
}
