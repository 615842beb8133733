import type { ReactNode } from 'react';

/** The attributes a control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** Names the field in its error ("Email must be an email address") when the label is not plain text. */
  name?: string;
  /** Renders the control with the wiring it needs. */
  children: (control: ControlProps) => ReactNode;
  className?: string;
}

/** A labelled form control with an optional hint and an error shown right below it. */
export function Field({ id, label, name, hint, error, children, className }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' has-error' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true as const } : {}) })}
      {error && (
        <p className="field-error" id={errorId}>
          {sentence(name ?? (typeof label === 'string' ? label : 'This field'), error)}
        </p>
      )}
    </div>
  );
}

/**
 * The shared schemas' messages are written to follow a field name ("is required", "must be
 * at least 10 characters"); prefix the label so each error reads as a sentence.
 */
export function sentence(name: string, message: string): string {
  const text = /^(is|must|may|are|has|should|does|do|repeats|contains) /.test(message) ? `${name} ${message}` : message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** The message for a whole form, announced politely when it appears. */
export function FormMessage({ message, tone = 'error' }: { message: string | null; tone?: 'error' | 'success' }) {
  return (
    <div className={message ? `form-message ${tone}` : 'form-message empty'} role={tone === 'error' ? 'alert' : 'status'} aria-live={tone === 'error' ? 'assertive' : 'polite'}>
      {message}
    </div>
  );
}
