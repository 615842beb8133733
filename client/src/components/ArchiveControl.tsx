import { useState } from 'react';
import type { CaseView } from '../../../shared/schemas/cases.js';
import { api, errorMessage } from '../lib/api.js';
import { ConfirmButton } from './ConfirmButton.js';

interface Props {
  caseView: CaseView;
  onSaved(c: CaseView): void;
  onError(err: unknown): void;
}

/** Archive or restore the case, after a confirmation. Only rendered for users with the archive ability. */
export function ArchiveControl({ caseView, onSaved, onError }: Props) {
  const [message, setMessage] = useState<string | null>(null);
  const archived = caseView.status === 'archived';

  async function setStatus() {
    setMessage(null);
    try {
      // Restoring puts the case back to draft; the team can then move it on.
      const { case: updated } = await api.updateCase(caseView.id, { status: archived ? 'draft' : 'archived' });
      onSaved(updated);
    } catch (err) {
      onError(err);
      setMessage(errorMessage(err));
    }
  }

  return (
    <div className="archive-zone">
      <h3>{archived ? 'Restore case' : 'Archive case'}</h3>
      <p className="muted small">
        {archived ? 'Restoring brings the case back to the active list as a draft.' : 'Archiving moves the case to the archived list. It can be restored later.'}
      </p>
      <ConfirmButton
        label={archived ? 'Restore case' : 'Archive case'}
        question={archived ? 'Restore this case?' : 'Archive this case?'}
        confirmLabel={archived ? 'Yes, restore' : 'Yes, archive'}
        danger={!archived}
        onConfirm={setStatus}
      />
      <div role="alert" className="field-error">
        {message}
      </div>
    </div>
  );
}
