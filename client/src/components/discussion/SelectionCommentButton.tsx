import { useEditorState, type Editor } from '@tiptap/react';

/** Where to float the button: just below the end of the selection, inside the editor's frame. */
function placement(e: Editor, onlyWhenFocused: boolean): { top: number; left: number } | null {
  const { empty, from, to } = e.state.selection;
  if (empty || !e.state.doc.textBetween(from, to, ' ').trim()) return null;
  try {
    if (onlyWhenFocused && !e.view.hasFocus()) return null;
    const frame = e.view.dom.closest('.brief-editor')?.getBoundingClientRect();
    if (!frame) return null;
    const end = e.view.coordsAtPos(to);
    return { top: Math.round(end.bottom - frame.top + 6), left: Math.round(Math.max(8, Math.min(end.left - frame.left - 40, frame.width - 130))) };
  } catch {
    return null; // the view is not in the page yet
  }
}

interface Props {
  editor: Editor;
  onComment(): void;
  /**
   * Hide it while focus is elsewhere (in the comment box, say). A read-only brief never
   * holds focus, so there it only hides while a comment is being written.
   */
  onlyWhenFocused: boolean;
}

/**
 * A "Comment" button that floats under the selected text of the brief. Keyboard users reach
 * the same action through the toolbar or Ctrl/Cmd+Alt+M.
 */
export function SelectionCommentButton({ editor, onComment, onlyWhenFocused }: Props) {
  const at = useEditorState({ editor, selector: ({ editor: e }) => (e ? placement(e, onlyWhenFocused) : null) });
  if (!at) return null;
  return (
    <button
      type="button"
      className="btn primary small selection-comment"
      style={{ top: at.top, left: at.left }}
      tabIndex={-1}
      onMouseDown={(e) => e.preventDefault()}
      onClick={onComment}
    >
      <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" focusable="false">
        <path d="M4 4h16a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H9l-4.4 3.5A.4.4 0 0 1 4 20.2V5a1 1 0 0 1 0-1Z" fill="currentColor" />
      </svg>
      Comment
    </button>
  );
}
