import { useEditorState, type Editor } from '@tiptap/react';

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

/** Formatting buttons for the brief; undo and redo only touch the user's own edits (Yjs undo manager). */
export function BriefToolbar({ editor }: { editor: Editor }) {
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ACTIONS.map((a) => (a.active ? a.active(e) : null)),
  });
  return (
    <div className="brief-toolbar" role="toolbar" aria-label="Formatting" aria-controls="brief-content">
      {ACTIONS.map((a, i) => (
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
    </div>
  );
}
