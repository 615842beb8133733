import type { BriefStatus } from '../lib/useBrief.js';

const TEXT: Record<BriefStatus, string> = {
  connected: 'Connected',
  syncing: 'Syncing…',
  offline: 'Offline — your edits are kept here and will sync when the connection returns',
  revoked: 'Access lost',
};

/** The brief's connection state, in words as well as colour. */
export function ConnectionBadge({ status }: { status: BriefStatus }) {
  return (
    <span className={`conn-badge conn-${status}`} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
