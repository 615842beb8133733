import type { MouseEvent } from 'react';
import type { BriefStatus } from '../lib/useBrief.js';

const TEXT: Record<BriefStatus, string> = {
  connected: 'Connected',
  syncing: 'Syncing…',
  offline: 'Offline — your edits are kept here and will sync when the connection returns',
  signedOut: 'You were signed out',
  revoked: 'Access lost',
};

interface Props {
  status: BriefStatus;
  /** Where "Sign in again" leads once signed out, and what it does on a plain click. */
  signIn?: { href: string; onClick(): void };
}

/** The brief's connection state, in words as well as colour; once signed out, a way back in. */
export function ConnectionBadge({ status, signIn }: Props) {
  const follow = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    signIn?.onClick();
  };
  return (
    <span className={`conn-badge conn-${status}`} role="status" aria-live="polite">
      <span className="conn-dot" aria-hidden="true" />
      {TEXT[status]}
      {status === 'signedOut' && signIn && (
        <>
          {' — '}
          <a href={signIn.href} onClick={follow}>
            Sign in again
          </a>
        </>
      )}
    </span>
  );
}
