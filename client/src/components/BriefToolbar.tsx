import { useEditorState, type Editor } from '@tiptap/react';
import type { CitationIndex } from '../editor/citationIndex.js';
import { CiteButton } from '../editor/citationPicker.js';

interface Action {
  label: string;
  text: string;
  shortcut?: string;
  active?: (e: Editor) => boolean;
  run: (e: Editor) => void;
}

const ACTIONS: Action[] = [
  { label: 'Heading', text: 'H2', active: (e) => e.isActive('heading', { level: 2 }), run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
  { label: 'Subheading', text: 'H3', active: (e) => e.isActive('heading', { level: 3 }), run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
  { label: 'Bold', text: 'B', shortcut: 'Control+B', active: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
  { label: 'Italic', text: 'I', shortcut: 'Control+I', active: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
  { label: 'Bulleted list', text: '• List', active: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
  { label: 'Numbered list', text: '1. List', active: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
  { label: 'Undo my last change', text: 'Undo', shortcut: 'Control+Z', run: (e) => e.chain().focus().undo().run() },
  { label: 'Redo', text: 'Redo', shortcut: 'Control+Shift+Z', run: (e) => e.chain().focus().redo().run() },
];

interface ToolbarProps {
  editor: Editor;
  /** Show the formatting buttons (people who may only comment get just the Comment button). */
  formatting?: boolean;
  /** Starts a comment thread on the selected text; absent when the user may not comment. */
  onComment?: () => void;
  /** The evidence to cite: with it, editors get a "Cite evidence" button. */
  citations?: CitationIndex;
}

/** Formatting buttons for the brief; undo and redo only touch the user's own edits (Yjs undo manager). */
export function BriefToolbar({ editor, formatting = true, onComment, citations }: ToolbarProps) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ACTIONS.map((a) => (a.active ? a.active(e) : null)),
  });
  return (
    <div className="brief-toolbar" role="toolbar" aria-label="Brief tools" aria-controls="brief-content">
      {formatting && ACTIONS.map((a, i) => (
        <button
          key={a.label}
          type="button"
          className={`tool ${a.text.length === 1 ? `tool-${a.text.toLowerCase()}` : ''}`}
          aria-label={a.label}
          title={a.shortcut ? `${a.label} (${a.shortcut.replace('Control', 'Ctrl')})` : a.label}
          aria-keyshortcuts={a.shortcut}
          aria-pressed={active[i] === null ? undefined : (active[i] ?? false)}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => a.run(editor)}
        >
          {a.text}
        </button>
      ))}
      {formatting && citations && <CiteButton editor={editor} index={citations} />}
      {onComment && (
        <button
          type="button"
          className="tool tool-comment"
          aria-label="Comment on the selected text"
          title="Comment on the selected text (Ctrl+Alt+M)"
          aria-keyshortcuts="Control+Alt+M Meta+Alt+M"
          onMouseDown={(e) => e.preventDefault()}
          onClick={onComment}
        >
          + Comment
        </button>
      )}
    </div>
  );
}
