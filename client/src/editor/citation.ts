import { mergeAttributes, Node } from '@tiptap/core';
import '../components/records/records.css';
import { NodeSelection } from '@tiptap/pm/state';
import { CITATION_ATTR, CITATION_NODE, type CitationIndex } from './citationIndex.js';

/** The citation node's options: the index that numbers citations and opens their items. */
export interface CitationOptions {
  /** What each citation shows; without one, citations show a neutral "[ref]". */
  index: CitationIndex | null;
}

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    citation: {
      /** Inserts a citation of an evidence item just after the selection (never replacing it). */
      insertCitation: (evidenceId: string) => ReturnType;
    };
  }
}

/**
 * An inline citation of an evidence item: an atom holding only the item's id, shown as a
 * numbered reference ("[1]") in order of first appearance, or "[removed]" once the item is
 * deleted. Clicking it (or Enter when it is selected) shows the item in the library.
 *
 * Every editor of the brief must register this node: y-prosemirror deletes elements that
 * its schema does not know, so an editor without it would erase other people's citations.
 */
export const Citation = Node.create<CitationOptions>({
  name: CITATION_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  selectable: true,
  draggable: false,

  addOptions() {
    return { index: null };
  },

  addAttributes() {
    return {
      [CITATION_ATTR]: {
        default: null,
        parseHTML: (el) => el.getAttribute('data-evidence-id'),
        renderHTML: (attrs) => ({ 'data-evidence-id': attrs[CITATION_ATTR] as string | null }),
      },
    };
  },

  parseHTML() {
    return [{ tag: 'span[data-citation]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    const label = this.options.index?.label(node.attrs[CITATION_ATTR] as string) ?? '[ref]';
    return ['span', mergeAttributes({ 'data-citation': '', class: 'citation' }, HTMLAttributes), label];
  },

  renderText({ node }) {
    return this.options.index?.label(node.attrs[CITATION_ATTR] as string) ?? '[ref]';
  },

  addNodeView() {
    const index = this.options.index;
    return ({ node: initial }) => {
      let node = initial;
      const dom = document.createElement('span');
      dom.className = 'citation';
      dom.setAttribute('data-citation', '');
      dom.setAttribute('role', 'doc-noteref');
      const render = () => {
        const id = node.attrs[CITATION_ATTR] as string;
        const label = index?.label(id) ?? '[ref]';
        const item = index?.item(id);
        dom.setAttribute('data-evidence-id', id);
        dom.textContent = label;
        dom.classList.toggle('citation-removed', label === '[removed]');
        dom.title = item ? `${item.title} — click to show it in the evidence library` : label === '[removed]' ? 'This evidence item was removed from the library' : 'Evidence';
        dom.setAttribute('aria-label', item ? `Citation ${label}: ${item.title}` : `Citation ${label}`);
      };
      const onClick = () => index?.open(node.attrs[CITATION_ATTR] as string);
      dom.addEventListener('click', onClick);
      const unsubscribe = index?.subscribe(render);
      render();
      return {
        dom,
        update: (next) => {
          if (next.type !== node.type) return false;
          node = next;
          render();
          return true;
        },
        ignoreMutation: () => true,
        destroy: () => {
          unsubscribe?.();
          dom.removeEventListener('click', onClick);
        },
      };
    };
  },

  addCommands() {
    return {
      insertCitation:
        (evidenceId) =>
        ({ state, commands }) =>
          commands.insertContentAt(state.selection.to, { type: this.name, attrs: { [CITATION_ATTR]: evidenceId } }),
    };
  },

  addKeyboardShortcuts() {
    return {
      Enter: ({ editor }) => {
        const sel = editor.state.selection;
        if (!(sel instanceof NodeSelection) || sel.node.type.name !== this.name) return false;
        this.options.index?.open(sel.node.attrs[CITATION_ATTR] as string, true);
        return true;
      },
    };
  },
});
