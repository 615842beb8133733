import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect } from 'react';
import { BRIEF_FRAGMENT } from '../../../shared/brief.js';
import { userColor } from '../../../shared/colors.js';
import type { UserView } from '../../../shared/schemas/auth.js';
import type { BriefSession } from '../lib/useBrief.js';
import { BriefToolbar } from './BriefToolbar.js';

interface Props {
  session: BriefSession;
  user: UserView;
  editable: boolean;
  /** Shown instead of an empty editor until the server's copy has arrived once. */
  loaded: boolean;
}

/**
 * The shared case brief: a Tiptap editor bound to the Yjs document, with everyone's named
 * carets. The template comes from the server; nothing is inserted here.
 */
export function BriefEditor({ session, user, editable, loaded }: Props) {
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

  return (
    <div className={`brief-editor${editable ? '' : ' read-only'}`} aria-busy={!loaded}>
      {editor && editable && <BriefToolbar editor={editor} />}
      {!loaded && (
        <p className="brief-loading muted" role="status">
          Loading the brief…
        </p>
      )}
      <EditorContent editor={editor} className={loaded ? '' : 'visually-hidden-soft'} />
    </div>
  );
}
