/**
 * Conversions between ProseMirror positions in the brief editor and the Yjs relative
 * positions that brief anchors are stored as.
 */
import type { EditorState } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { encodePosition } from '../../../shared/anchors.js';
import { MAX_QUOTE_LENGTH } from '../../../shared/schemas/threads.js';

/** The y-tiptap binding of an editor: the shared type, its document and the node mapping. */
interface YSync {
  type: Y.XmlFragment;
  doc: Y.Doc;
  mapping: Map<Y.AbstractType<unknown>, unknown>;
}

function ySync(state: EditorState): YSync | null {
  const s = ySyncPluginKey.getState(state) as { type?: Y.XmlFragment; doc?: Y.Doc; binding?: { mapping: YSync['mapping'] } } | undefined;
  if (!s?.type || !s.doc || !s.binding || s.binding.mapping.size === 0) return null;
  return { type: s.type, doc: s.doc, mapping: s.binding.mapping };
}

/**
 * A relative position for a ProseMirror position. Inside text, `assoc` decides which
 * neighbour it sticks to: 0 (the character after) for a passage's start, -1 (the character
 * before) for its end, so that typing just outside the passage never extends it.
 */
function relativeAt(y: YSync, pos: number, assoc: 0 | -1): Y.RelativePosition {
  const rel = absolutePositionToRelativePosition(pos, y.type, y.mapping as never) as Y.RelativePosition;
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, y.doc);
  if (abs && abs.type instanceof Y.XmlText) return Y.createRelativePositionFromTypeIndex(abs.type, abs.index, assoc);
  return rel;
}

/**
 * The selection as the page shows it. ProseMirror reads the browser's selection a moment
 * after it changes, so a shortcut pressed right after Shift+Arrow would see a stale one.
 */
function shownSelection(view: EditorView): { from: number; to: number } {
  const sel = view.dom.ownerDocument.getSelection();
  const { anchorNode, focusNode } = sel ?? {};
  if (sel && !sel.isCollapsed && anchorNode && focusNode && view.dom.contains(anchorNode) && view.dom.contains(focusNode)) {
    try {
      const a = view.posAtDOM(anchorNode, sel.anchorOffset);
      const b = view.posAtDOM(focusNode, sel.focusOffset);
      const size = view.state.doc.content.size;
      if (a >= 0 && b >= 0 && a <= size && b <= size) return { from: Math.min(a, b), to: Math.max(a, b) };
    } catch {
      // fall back to the editor's own selection
    }
  }
  return view.state.selection;
}

/** The selected passage as a brief anchor (start, end, quote), or null when nothing usable is selected. */
export function selectionAnchor(view: EditorView): { start: string; end: string; quote: string } | null {
  const { state } = view;
  const { from, to } = shownSelection(view);
  const y = ySync(state);
  if (from >= to || !y) return null;
  const quote = state.doc.textBetween(from, to, '\n', ' ').trim().slice(0, MAX_QUOTE_LENGTH);
  if (!quote) return null;
  return { start: encodePosition(relativeAt(y, from, 0)), end: encodePosition(relativeAt(y, to, -1)), quote };
}

/** Whether a Yjs type is still in the document (neither it nor an ancestor was deleted). */
function live(type: Y.AbstractType<unknown>): boolean {
  for (let t: Y.AbstractType<unknown> | null = type; t; t = (t._item?.parent as Y.AbstractType<unknown> | undefined) ?? null) {
    if (t._item?.deleted) return false;
  }
  return true;
}

/** The ProseMirror position of a relative position, or null when it points at deleted content. */
function absoluteOf(state: EditorState, y: YSync, rel: Y.RelativePosition): number | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(rel, y.doc);
  if (!abs || !live(abs.type)) return null;
  const pos = relativePositionToAbsolutePosition(y.doc, y.type, rel, y.mapping as never);
  if (pos !== null) return pos;
  // y-tiptap refuses text positions that land at the document's very start (a guard against
  // misresolving after block moves); a type-anchored position for the same spot passes.
  if (abs.type instanceof Y.XmlText && abs.index === 0) {
    const atStart = Y.createRelativePositionFromTypeIndex(abs.type, 0, -1);
    const again = relativePositionToAbsolutePosition(y.doc, y.type, atStart, y.mapping as never);
    return again !== null && again <= state.doc.content.size ? again : null;
  }
  return null;
}

/** Where an anchor's passage is in the editor now, or null when it is gone (detached) or unknown. */
export function anchorRange(state: EditorState, start: Y.RelativePosition, end: Y.RelativePosition): { from: number; to: number } | null {
  const y = ySync(state);
  if (!y) return null;
  const from = absoluteOf(state, y, start);
  const to = absoluteOf(state, y, end);
  if (from === null || to === null || from >= to || to > state.doc.content.size) return null;
  return { from, to };
}
