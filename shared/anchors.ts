/**
 * Brief anchors: a passage of the brief held as two Yjs relative positions, so it stays on the
 * same words while others type before, inside or after it. Pure Yjs: the server validates and
 * the client highlights with the same functions.
 */
import { fromBase64, toBase64 } from 'lib0/buffer';
import * as Y from 'yjs';
import { BRIEF_FRAGMENT } from './brief.js';

/** Encodes a relative position for storage and transport. */
export function encodePosition(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

/** Decodes a stored relative position, or null when the text is not one. */
export function decodePosition(encoded: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
}

export interface ResolvedAnchor {
  /** The passage's text now (block boundaries as newlines); empty once it was deleted. */
  text: string;
  /** The passage was deleted: the thread keeps its quote but no longer points anywhere. */
  detached: boolean;
}

/** Plain text of an XmlText, counting embeds as one character like Yjs indexes do. */
function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '\uFFFC')).join('');
}

/**
 * Walks the brief in reading order, building its text and noting where the two absolute
 * positions fall in it. Positions may point into a text node or between children of an element.
 */
function linearize(fragment: Y.XmlFragment, targets: Y.AbsolutePosition[]): { offsets: (number | null)[] } {
  const offsets: (number | null)[] = targets.map(() => null);
  let length = 0;
  const mark = (type: Y.AbstractType<unknown>, index: number, at: number) => {
    targets.forEach((t, i) => {
      if (offsets[i] === null && t.type === type && t.index === index) offsets[i] = at;
    });
  };
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    const children = node.toArray();
    children.forEach((child, i) => {
      mark(node as Y.AbstractType<unknown>, i, length);
      if (child instanceof Y.XmlText) {
        const s = plain(child);
        targets.forEach((t, k) => {
          if (offsets[k] === null && t.type === child && t.index <= s.length) offsets[k] = length + t.index;
        });
        length += s.length;
      } else if (child instanceof Y.XmlElement) {
        walk(child);
        length += 1; // a block boundary
      }
    });
    mark(node as Y.AbstractType<unknown>, children.length, length);
  };
  walk(fragment);
  return { offsets };
}

/** The brief's text in reading order, as linearize counts it. */
function fullText(fragment: Y.XmlFragment): string {
  let out = '';
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) out += plain(child);
      else if (child instanceof Y.XmlElement) {
        walk(child);
        out += '\n';
      }
    }
  };
  walk(fragment);
  return out;
}

/** Whether a type lives inside the brief fragment (and not inside something deleted). */
function inBrief(type: Y.AbstractType<unknown>, fragment: Y.XmlFragment): boolean {
  let t: Y.AbstractType<unknown> | null = type;
  while (t) {
    if (t === (fragment as unknown)) return true;
    if (t._item?.deleted) return false;
    t = (t._item?.parent as Y.AbstractType<unknown> | undefined) ?? null;
  }
  return false;
}

/**
 * Whether this copy of the brief has received the content an anchor points at. An anchor made
 * on an edit still in flight is "unseen" for a moment; one that can never resolve is not.
 */
export function anchorIsUnseen(doc: Y.Doc, anchor: { start: string; end: string }): boolean {
  const start = decodePosition(anchor.start);
  const end = decodePosition(anchor.end);
  if (!start || !end) return false;
  return !seen(start, doc) || !seen(end, doc);
}

/**
 * Where an anchor's passage is now. Null when the positions cannot be decoded or do not point
 * into this brief (for example, content this copy of the document has not received).
 */
export function resolveBriefAnchor(doc: Y.Doc, anchor: { start: string; end: string }): ResolvedAnchor | null {
  const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
  const start = decodePosition(anchor.start);
  const end = decodePosition(anchor.end);
  if (!start || !end) return null;
  const a = Y.createAbsolutePositionFromRelativePosition(start, doc);
  const b = Y.createAbsolutePositionFromRelativePosition(end, doc);
  if (!a || !b) {
    // Content this document has seen but has since deleted and collected: the passage is gone.
    return seen(start, doc) && seen(end, doc) ? { text: '', detached: true } : null;
  }
  const aLive = inBrief(a.type, fragment);
  const bLive = inBrief(b.type, fragment);
  // A position inside deleted content means the passage (or its paragraph) was deleted.
  if (!aLive || !bLive) {
    return isKnown(a.type, fragment) && isKnown(b.type, fragment) ? { text: '', detached: true } : null;
  }
  const { offsets } = linearize(fragment, [a, b]);
  const [from, to] = offsets;
  if (from == null || to == null) return null;
  const text = from < to ? fullText(fragment).slice(from, to) : '';
  return { text, detached: text.trim() === '' };
}

/** Whether the position points at content this document has received (deleted or not). */
function seen(position: Y.RelativePosition, doc: Y.Doc): boolean {
  const id = position.item ?? position.type;
  return id !== null && Y.getState(doc.store, id.client) > id.clock;
}

/** Whether a type belongs to this brief at all, deleted or not. */
function isKnown(type: Y.AbstractType<unknown>, fragment: Y.XmlFragment): boolean {
  let t: Y.AbstractType<unknown> | null = type;
  while (t) {
    if (t === (fragment as unknown)) return true;
    t = (t._item?.parent as Y.AbstractType<unknown> | undefined) ?? null;
  }
  return false;
}
