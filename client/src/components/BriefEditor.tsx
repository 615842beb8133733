import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { BRIEF_FRAGMENT } from '../../../shared/brief.js';
import { userColor } from '../../../shared/colors.js';
import type { UserView } from '../../../shared/schemas/auth.js';
import type { BriefSession } from '../lib/useBrief.js';
import { Citation } from '../editor/citation.js';
import type { CitationIndex } from '../editor/citationIndex.js';
import { CommentAnchors, revealAnchor, setAnchors, type AnchorEvents, type AnchorSpec } from '../editor/anchors.js';
import { selectionAnchor } from '../editor/anchorsPosition.js';
import { BriefToolbar } from './BriefToolbar.js';
import { SelectionCommentButton } from './discussion/SelectionCommentButton.js';

/** The brief's side of the discussion: highlighted passages and starting a thread on a selection. */
export interface BriefComments {
  /** Open threads on the brief (memoize: a new array re-resolves every highlight). */
  anchors: AnchorSpec[];
  activeId: string | null;
  canComment: boolean;
  /** A comment is being written (the floating Comment button steps aside). */
  drafting: boolean;
  /** A highlighted passage was clicked. */
  onOpen(threadId: string): void;
  /** Comment was pressed; `passage` is null when no text is selected. */
  onComment(passage: { start: string; end: string; quote: string } | null): void;
  /** Hands over a way to scroll the brief to a thread's passage (false: not in the brief); null when the editor goes away. */
  onReveal(reveal: ((threadId: string) => boolean) | null): void;
}

interface Props {
  session: BriefSession;
  user: UserView;
  editable: boolean;
  /** Shown instead of an empty editor until the server's copy has arrived once. */
  loaded: boolean;
  comments: BriefComments;
  /** Numbers the brief's evidence citations and links them to the library. */
  citations?: CitationIndex;
}

/**
 * The shared case brief: a Tiptap editor bound to the Yjs document, with everyone's named
 * carets. The template comes from the server; nothing is inserted here.
 */
export function BriefEditor({ session, user, editable, loaded, comments, citations }: Props) {
  const anchorEvents = useRef<AnchorEvents>({ onOpen: comments.onOpen });
  anchorEvents.current = { onOpen: comments.onOpen };
  const editor = useEditor(
    {
      editable,
      extensions: [
        // Yjs keeps the undo history per user; Tiptap's own history would undo other people's typing.
        StarterKit.configure({ undoRedo: false }),
        Collaboration.configure({ document: session.doc, field: BRIEF_FRAGMENT }),
        CollaborationCaret.configure({
          provider: session.provider,
          user: { name: user.name, color: userColor(user.id), userId: user.id },
        }),
        CommentAnchors.configure({ events: anchorEvents }),
        // Always registered: y-prosemirror deletes elements its schema does not know.
        Citation.configure({ index: citations ?? null }),
      ],
      editorProps: {
        attributes: {
          class: 'brief-prose',
          id: 'brief-content',
          'aria-label': 'Case brief',
          'aria-multiline': 'true',
          role: 'textbox',
        },
      },
    },
    [session],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  const { anchors, activeId, onReveal } = comments;
  useEffect(() => {
    if (editor && !editor.isDestroyed) setAnchors(editor.view, anchors, activeId);
  }, [editor, anchors, activeId]);
  useEffect(() => {
    if (!editor) return;
    onReveal((threadId) => !editor.isDestroyed && revealAnchor(editor.view, threadId));
    return () => onReveal(null);
  }, [editor, onReveal]);

  const comment = comments.canComment && editor ? () => comments.onComment(selectionAnchor(editor.view)) : undefined;
  const onKeyDown = (e: KeyboardEvent) => {
    if (comment && (e.ctrlKey || e.metaKey) && e.altKey && e.code === 'KeyM') {
      e.preventDefault();
      comment();
    }
  };

  return (
    <div className={`brief-editor${editable ? '' : ' read-only'}`} aria-busy={!loaded} onKeyDown={onKeyDown}>
      {editor && (editable || comment) && <BriefToolbar editor={editor} formatting={editable} onComment={comment} citations={citations} />}
      {editor && comment && loaded && <SelectionCommentButton editor={editor} onComment={comment} onlyWhenFocused={editable || comments.drafting} />}
      {!loaded && (
        <p className="brief-loading muted" role="status">
          Loading the brief…
        </p>
      )}
      <EditorContent editor={editor} className={loaded ? '' : 'visually-hidden-soft'} />
    </div>
  );
}
