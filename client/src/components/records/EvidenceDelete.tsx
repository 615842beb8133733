import { useEffect, useRef, useState } from 'react';
import type { EvidenceView } from '../../../../shared/schemas/evidence.js';
import { ApiError, errorMessage } from '../../lib/api.js';
import { recordsApi } from '../../lib/recordsApi.js';

type Phase = { name: 'idle' } | { name: 'asking' } | { name: 'cited'; message: string } | { name: 'busy' };

interface Props {
  caseId: string;
  item: EvidenceView;
  /** How often the brief cites the item, as far as this browser knows. */
  cited: number;
  onDeleted(id: string): void;
  onError(err: unknown): void;
}

/**
 * Deleting an evidence item. An item the brief does not cite asks once; for a cited one the
 * server refuses with confirmation_required and its message (how many citations) is the
 * question, and "Delete anyway" retries with the confirmation.
 */
export function EvidenceDelete({ caseId, item, cited, onDeleted, onError }: Props) {
  const [phase, setPhase] = useState<Phase>({ name: 'idle' });
  const [failure, setFailure] = useState<string | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (phase.name === 'asking' || phase.name === 'cited') confirmRef.current?.focus();
  }, [phase.name]);

  async function attempt(confirm: boolean) {
    setPhase({ name: 'busy' });
    setFailure(null);
    try {
      await recordsApi.deleteEvidence(caseId, item.id, confirm);
      onDeleted(item.id);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'confirmation_required') return setPhase({ name: 'cited', message: err.message });
      onError(err);
      setFailure(errorMessage(err));
      setPhase({ name: 'idle' });
    }
  }

  const cancel = () => {
    setPhase({ name: 'idle' });
    requestAnimationFrame(() => triggerRef.current?.focus());
  };

  if (phase.name === 'asking' || phase.name === 'cited') {
    const question = phase.name === 'cited' ? phase.message : `Delete “${item.title}” from the library?`;
    return (
      <div className="confirm record-confirm" role="alertdialog" aria-label="Confirm deletion" aria-describedby={`del-q-${item.id}`} onKeyDown={(e) => e.key === 'Escape' && cancel()}>
        <span id={`del-q-${item.id}`} className="confirm-question">{question}</span>
        <button ref={confirmRef} type="button" className="btn small danger solid" onClick={() => void attempt(phase.name === 'cited')}>
          {phase.name === 'cited' ? 'Delete anyway' : 'Yes, delete'}
        </button>
        <button type="button" className="btn small ghost" onClick={cancel}>
          Keep it
        </button>
      </div>
    );
  }
  return (
    <>
      <button
        ref={triggerRef}
        type="button"
        className="btn small danger"
        aria-label={`Delete ${item.title}`}
        disabled={phase.name === 'busy'}
        // The server asks for confirmation itself when the brief cites the item.
        onClick={() => (cited > 0 ? void attempt(false) : setPhase({ name: 'asking' }))}
      >
        {phase.name === 'busy' ? 'Deleting…' : 'Delete'}
      </button>
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </>
  );
}
