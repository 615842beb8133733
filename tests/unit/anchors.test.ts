import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodePosition, resolveBriefAnchor } from '../../shared/anchors.js';
import { BRIEF_FRAGMENT } from '../../shared/brief.js';
import { briefTemplateUpdate } from '../../server/domain/brief.js';

function briefWith(text: string): { doc: Y.Doc; para: Y.XmlText } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, briefTemplateUpdate());
  const para = (doc.getXmlFragment(BRIEF_FRAGMENT).get(1) as Y.XmlElement).get(0) as Y.XmlText;
  para.delete(0, para.length);
  para.insert(0, text);
  return { doc, para };
}

/** An anchor on `words` inside the paragraph, as the editor would make it. */
function anchorOn(para: Y.XmlText, words: string) {
  const from = para.toString().indexOf(words);
  return {
    start: encodePosition(Y.createRelativePositionFromTypeIndex(para, from)),
    // assoc -1: the end sticks to the last character of the passage, not to what is typed after it
    end: encodePosition(Y.createRelativePositionFromTypeIndex(para, from + words.length, -1)),
  };
}

describe('brief anchors', () => {
  it('resolve to the passage they were made on', () => {
    const { doc, para } = briefWith('The patient walks two blocks before resting.');
    expect(resolveBriefAnchor(doc, anchorOn(para, 'two blocks'))).toEqual({ text: 'two blocks', detached: false });
  });

  it('follow the passage while text is typed before, inside and after it', () => {
    const { doc, para } = briefWith('The patient walks two blocks before resting.');
    const anchor = anchorOn(para, 'two blocks');
    para.insert(0, 'Today: ');
    para.insert(para.toString().indexOf('blocks'), 'city ');
    para.insert(para.toString().indexOf(' before'), '!');
    expect(resolveBriefAnchor(doc, anchor)).toEqual({ text: 'two city blocks', detached: false });
  });

  it('are detached once the passage is deleted, and null when they were never in this brief', () => {
    const { doc, para } = briefWith('Keep this. Delete me. Keep that.');
    const anchor = anchorOn(para, 'Delete me.');
    para.delete(para.toString().indexOf('Delete me.'), 'Delete me.'.length);
    expect(resolveBriefAnchor(doc, anchor)).toEqual({ text: '', detached: true });

    const other = briefWith('Another document entirely');
    expect(resolveBriefAnchor(other.doc, anchorOn(para, 'Keep'))).toBeNull();
    expect(resolveBriefAnchor(doc, { start: 'AAAA', end: '!!!!' })).toBeNull();
  });

  it('span paragraphs, and detach when the whole paragraph is removed', () => {
    const { doc, para } = briefWith('First paragraph text.');
    const fragment = doc.getXmlFragment(BRIEF_FRAGMENT);
    const next = (fragment.get(2) as Y.XmlElement).get(0) as Y.XmlText;
    const anchor = {
      start: encodePosition(Y.createRelativePositionFromTypeIndex(para, 6)),
      end: encodePosition(Y.createRelativePositionFromTypeIndex(next, 5, -1)),
    };
    expect(resolveBriefAnchor(doc, anchor)?.text).toBe('paragraph text.\nGoals');
    const single = anchorOn(next, 'Goals');
    fragment.delete(2, 1);
    expect(resolveBriefAnchor(doc, single)).toEqual({ text: '', detached: true });
  });
});
