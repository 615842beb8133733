import { useState } from 'react';
import { errorMessage } from '../../lib/api.js';
import { recordsApi } from '../../lib/recordsApi.js';
import { ConfirmButton } from '../ConfirmButton.js';
import type { ReadinessRowProps } from './ReadinessRow.js';

/** Owners decide which items are required, and may remove the items they added. */
export function OwnerControls({ caseId, item, onSaved, onDeleted, onError }: Omit<ReadinessRowProps, 'canEdit' | 'isOwner'>) {
  const [failure, setFailure] = useState<string | null>(null);
  const run = async (action: () => Promise<void>) => {
    setFailure(null);
    try {
      await action();
    } catch (err) {
      onError(err);
      setFailure(errorMessage(err));
    }
  };
  return (
    <div className="readiness-owner">
      <label className="checkbox small">
        <input
          type="checkbox"
          checked={item.required}
          onChange={(e) => void run(async () => onSaved((await recordsApi.updateReadinessItem(caseId, item.id, { required: e.target.checked })).item))}
        />
        Required
      </label>
      {item.key === null && (
        <ConfirmButton label="Remove" ariaLabel={`Remove ${item.label}`} question={`Remove “${item.label}”?`} confirmLabel="Yes, remove" danger
          onConfirm={() => run(async () => { await recordsApi.removeReadinessItem(caseId, item.id); onDeleted(item.id); })} />
      )}
      {failure && <p className="field-error" role="alert">{failure}</p>}
    </div>
  );
}
