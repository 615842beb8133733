import { useEffect, useRef, useState } from 'react';

interface Props {
  /** The button's text, e.g. "Remove". */
  label: string;
  /** A full name for screen readers, e.g. "Remove Ana Ruiz from the team". */
  ariaLabel?: string;
  /** The question asked before acting, e.g. "Remove Ana Ruiz from the team?". */
  question: string;
  /** The confirming button's text, e.g. "Yes, remove". */
  confirmLabel: string;
  onConfirm(): void | Promise<void>;
  danger?: boolean;
  disabled?: boolean;
}

/** A button that asks for confirmation inline (keyboard-friendly, no browser dialog) before acting. */
export function ConfirmButton({ label, ariaLabel, question, confirmLabel, onConfirm, danger = false, disabled = false }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={triggerRef} type="button" className={`btn small ${danger ? 'danger' : ''}`} aria-label={ariaLabel} onClick={() => setAsking(true)} disabled={disabled}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span className="confirm-question">{question}</span>
      <button
        ref={confirmRef}
        type="button"
        className={`btn small ${danger ? 'danger solid' : 'primary'}`}
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="btn small ghost" onClick={() => setAsking(false)} onKeyDown={(e) => e.key === 'Escape' && setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
