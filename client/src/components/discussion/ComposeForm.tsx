import { useState, type FormEvent } from 'react';
import { EditMessageBody } from '../../../../shared/schemas/threads.js';
import { errorMessage } from '../../lib/api.js';
import { newRequestId } from '../../lib/discussionApi.js';
import { check, errorsFrom, NO_ERRORS, type FormErrors } from '../../lib/forms.js';
import { sentence } from '../Field.js';
import { mentionedIds, type Person } from './mentions.js';
import { MentionTextarea } from './MentionTextarea.js';

/** What a post sends: the text, who it mentions, and the id that makes a retry safe. */
export interface PostInput {
  body: string;
  mentions: string[];
  requestId: string;
}

interface Props {
  /** Unique among the forms on the page; the textarea's id. */
  id: string;
  label: string;
  /** Keep the label for screen readers only (the context already says what this box is). */
  hideLabel?: boolean;
  submitLabel: string;
  people: Person[];
  initial?: { body: string; mentions: Person[] };
  onSubmit(input: PostInput): Promise<void>;
  onCancel?(): void;
  autoFocus?: boolean;
  placeholder?: string;
}

/**
 * A comment form: plain text with @mentions, checked with the server's own schema before it
 * is sent. One request id is kept until the post succeeds, so pressing the button again after
 * a failure never posts twice. The server's per-field messages appear under the box.
 */
export function ComposeForm({ id, label, hideLabel, submitLabel, people, initial, onSubmit, onCancel, autoFocus, placeholder }: Props) {
  const [body, setBody] = useState(initial?.body ?? '');
  const [picked, setPicked] = useState<Person[]>(initial?.mentions ?? []);
  const [requestId, setRequestId] = useState(newRequestId);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (busy) return;
    const mentions = mentionedIds(body, picked);
    const checked = check(EditMessageBody, { body, mentions });
    if (!checked.ok) return setErrors(checked.errors);
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await onSubmit({ body: checked.data.body, mentions, requestId });
      setBody('');
      setPicked([]);
      setRequestId(newRequestId());
    } catch (err) {
      // Fields other than the text (a refused anchor) have no box of their own: say the server's sentence.
      setErrors({ fields: errorsFrom(err).fields, message: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const fieldError = errors.fields.body
    ? sentence('Your comment', errors.fields.body)
    : errors.fields.mentions
      ? `This comment ${errors.fields.mentions.replace(/\.$/, '')}.`
      : null;
  const message = fieldError ?? errors.message;
  const errorId = `${id}-error`;

  return (
    <form className="compose" onSubmit={submit} noValidate>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'compose-label'}>
        {label}
      </label>
      <MentionTextarea
        id={id}
        value={body}
        onChange={setBody}
        onPick={(p) => setPicked((list) => (list.some((x) => x.id === p.id) ? list : [...list, p]))}
        people={people}
        onSubmit={() => void submit()}
        onEscape={onCancel}
        describedBy={message ? errorId : `${id}-hint`}
        invalid={Boolean(fieldError)}
        autoFocus={autoFocus}
        placeholder={placeholder ?? 'Write a comment; type @ to mention someone'}
      />
      <p className={message ? 'field-error' : 'visually-hidden'} id={message ? errorId : `${id}-hint`} role={message ? 'alert' : undefined}>
        {message ?? 'Type @ to mention a team member. Press Ctrl+Enter to send.'}
      </p>
      <div className="compose-actions">
        <button type="submit" className="btn primary small" disabled={busy}>
          {busy ? 'Sending…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="btn ghost small" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
