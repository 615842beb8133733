/**
 * Highlights of the passages that comment threads are anchored to. Each open thread's
 * anchor (two Yjs relative positions) is mapped back into the editor whenever the Yjs
 * document changes, so the highlight follows its words through everyone's edits.
 */
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { decodePosition } from '../../../shared/anchors.js';
import { anchorRange } from './anchorsPosition.js';

/** An anchored passage to highlight: the thread's id and its encoded start and end. */
export interface AnchorSpec {
  id: string;
  start: string;
  end: string;
}

interface Decoded {
  id: string;
  start: Y.RelativePosition;
  end: Y.RelativePosition;
}

interface AnchorsState {
  anchors: Decoded[];
  activeId: string | null;
  flashId: string | null;
  decorations: DecorationSet;
}

type Meta = Partial<Pick<AnchorsState, 'activeId' | 'flashId'>> & { anchors?: Decoded[] };

/** The highlight plugin's key: its state holds the anchors, the active thread and the decorations. */
export const commentAnchorsKey = new PluginKey<AnchorsState>('commentAnchors');

/** Callbacks into the workspace; held in a ref so the editor need not be rebuilt when they change. */
export interface AnchorEvents {
  /** A highlighted passage was clicked. */
  onOpen(threadId: string): void;
}

function build(state: EditorState, s: Omit<AnchorsState, 'decorations'>): DecorationSet {
  const decorations: Decoration[] = [];
  for (const a of s.anchors) {
    const range = anchorRange(state, a.start, a.end);
    if (!range) continue;
    const cls = ['comment-anchor', a.id === s.activeId && 'is-active', a.id === s.flashId && 'is-flash'].filter(Boolean).join(' ');
    decorations.push(Decoration.inline(range.from, range.to, { class: cls, 'data-thread-id': a.id }, { threadId: a.id }));
  }
  return DecorationSet.create(state.doc, decorations);
}

function apply(tr: Transaction, prev: AnchorsState, newState: EditorState): AnchorsState {
  const meta = tr.getMeta(commentAnchorsKey) as Meta | undefined;
  const ystate = ySyncPluginKey.getState(newState) as { isChangeOrigin?: boolean } | undefined;
  // Changes that came through Yjs (remote edits, undo, the first render) are re-resolved from
  // the relative positions; local typing simply maps the highlights until then.
  if (meta || ystate?.isChangeOrigin) {
    const next = { ...prev, ...meta };
    return { ...next, decorations: build(newState, next) };
  }
  if (tr.docChanged) return { ...prev, decorations: prev.decorations.map(tr.mapping, tr.doc) };
  return prev;
}

/** The Tiptap extension; give it a ref to the workspace's callbacks. */
export const CommentAnchors = Extension.create<{ events: { current: AnchorEvents } | null }>({
  name: 'commentAnchors',
  addOptions: () => ({ events: null }),
  addProseMirrorPlugins() {
    const events = this.options.events;
    return [
      new Plugin<AnchorsState>({
        key: commentAnchorsKey,
        state: {
          init: () => ({ anchors: [], activeId: null, flashId: null, decorations: DecorationSet.empty }),
          apply: (tr, prev, _old, newState) => apply(tr, prev, newState),
        },
        props: {
          decorations: (state) => commentAnchorsKey.getState(state)?.decorations,
          handleClick: (_view, _pos, event) => {
            const hit = (event.target as HTMLElement | null)?.closest?.('[data-thread-id]');
            const id = hit?.getAttribute('data-thread-id');
            if (id) events?.current.onOpen(id);
            return false; // the caret still goes where the user clicked
          },
        },
      }),
    ];
  },
});

/** Replaces the highlighted anchors and the emphasized (active) thread. */
export function setAnchors(view: EditorView, anchors: AnchorSpec[], activeId: string | null): void {
  const decoded = anchors.flatMap((a) => {
    const start = decodePosition(a.start);
    const end = decodePosition(a.end);
    return start && end ? [{ id: a.id, start, end }] : [];
  });
  view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { anchors: decoded, activeId } satisfies Meta).setMeta('addToHistory', false));
}

/**
 * Scrolls the editor to a thread's passage and makes it flash briefly. Returns false when
 * the passage is not in the editor (detached, or not highlighted).
 */
export function revealAnchor(view: EditorView, threadId: string): boolean {
  const state = commentAnchorsKey.getState(view.state);
  const deco = state?.decorations.find(undefined, undefined, (spec: { threadId?: string }) => spec.threadId === threadId)[0];
  if (!deco) return false;
  const { node } = view.domAtPos(deco.from);
  const el = node instanceof Element ? node : node.parentElement;
  const reduce = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  el?.scrollIntoView({ block: 'center', behavior: reduce ? 'auto' : 'smooth' });
  view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { flashId: threadId } satisfies Meta));
  window.setTimeout(() => {
    if (!view.isDestroyed && commentAnchorsKey.getState(view.state)?.flashId === threadId) {
      view.dispatch(view.state.tr.setMeta(commentAnchorsKey, { flashId: null } satisfies Meta));
    }
  }, 1600);
  return true;
}
