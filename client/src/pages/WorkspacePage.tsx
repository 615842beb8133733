import { useCallback, useEffect, useState } from 'react';
import type { CaseView } from '../../../shared/schemas/cases.js';
import { api, ApiError, errorMessage } from '../lib/api.js';
import { useAuth } from '../lib/auth.js';
import { Link } from '../lib/router.js';
import { useTitle } from '../lib/useTitle.js';
import { Workspace } from './Workspace.js';

type Load =
  | { phase: 'loading' }
  | { phase: 'missing' }
  | { phase: 'revoked' }
  | { phase: 'error'; message: string }
  | { phase: 'ready'; caseView: CaseView };

/**
 * Loads a case and shows its workspace, or a clear state when the case is missing, the
 * user is not on its team, or the user loses access while it is open.
 */
export function WorkspacePage({ caseId }: { caseId: string }) {
  const { handleError } = useAuth();
  const [load, setLoad] = useState<Load>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);
  useTitle(load.phase === 'ready' ? load.caseView.title : 'Case');

  useEffect(() => {
    let live = true;
    api.getCase(caseId).then(
      ({ case: c }) => live && setLoad({ phase: 'ready', caseView: c }),
      (err: unknown) => {
        handleError(err);
        if (!live) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setLoad({ phase: 'missing' });
        else setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [caseId, attempt, handleError]);

  const onRevoked = useCallback(() => setLoad({ phase: 'revoked' }), []);

  switch (load.phase) {
    case 'loading':
      return <p className="muted page" role="status">Loading the case…</p>;
    case 'missing':
      return (
        <Gone title="Case not found or you are not on its team">
          Check the link, or ask the case owner to invite you with the email you signed up with.
        </Gone>
      );
    case 'revoked':
      return (
        <Gone title="You no longer have access to this case">
          You were removed from the case team, so the workspace was closed. Ask the case owner if this is a mistake.
        </Gone>
      );
    case 'error':
      return (
        <div className="card narrow" role="alert">
          <h1 tabIndex={-1}>Could not open the case</h1>
          <p>{load.message}</p>
          <button type="button" className="btn primary" onClick={() => setAttempt((n) => n + 1)}>
            Try again
          </button>
        </div>
      );
    case 'ready':
      return <Workspace initialCase={load.caseView} onRevoked={onRevoked} />;
  }
}

function Gone({ title, children }: { title: string; children: string }) {
  return (
    <div className="card narrow gone" role="alert">
      <h1 tabIndex={-1}>{title}</h1>
      <p>{children}</p>
      <Link to="/cases" className="btn primary">
        Back to my cases
      </Link>
    </div>
  );
}
