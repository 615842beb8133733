import { useAuth } from '../../lib/auth.js';
import { navigate } from '../../lib/router.js';
import type { Brief } from '../../lib/useBrief.js';

/**
 * "Sign in again" once the session has ended: forget the user here, then go to the sign-in
 * page and come back to this case afterwards.
 */
export function useSignInAgain(): { href: string; onClick(): void } {
  const { signOut } = useAuth();
  const href = `/signin?next=${encodeURIComponent(location.pathname)}`;
  return {
    href,
    onClick: () => {
      void signOut().then(() => navigate(href, { replace: true }));
    },
  };
}

/**
 * Notices about the brief's connection that need more than the badge: edits the server
 * refused, and what signing out means for unsaved edits. Also the polite live region that
 * announces newly arrived comments.
 */
export function BriefNotices({ brief, announcement }: { brief: Brief; announcement: string }) {
  return (
    <>
      {brief.editsRefused && (
        <div className="notice warn notice-dismissible" role="status">
          <p>
            Your latest edits to the brief could not be saved because you can no longer edit it. You are seeing the current version.
          </p>
          <button type="button" className="btn small" onClick={brief.dismissEditsRefused}>
            Dismiss
          </button>
        </div>
      )}
      {brief.status === 'signedOut' && brief.unsyncedEdits && (
        <p className="notice warn" role="alert">
          You were signed out before your latest edits reached the server. Copy any text you need to keep, then sign in again.
        </p>
      )}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
    </>
  );
}
