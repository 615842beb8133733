import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/roles.js';
import type { CaseView, MemberView } from '../../../shared/schemas/cases.js';
import { ActivityPanel } from '../components/ActivityPanel.js';
import { ConnectionBadge } from '../components/ConnectionBadge.js';
import { DetailsPanel } from '../components/DetailsPanel.js';
import { PresenceAvatars } from '../components/PresenceAvatars.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Tabs } from '../components/Tabs.js';
import { TeamPanel } from '../components/TeamPanel.js';
import { api, ApiError } from '../lib/api.js';
import { useAuth, useUser } from '../lib/auth.js';
import { Link } from '../lib/router.js';
import { useBrief } from '../lib/useBrief.js';
import { useCaseRoom } from '../lib/useCaseRoom.js';

// Tiptap and ProseMirror are the bulk of the code: a chunk of their own, fetched with the case.
const BriefEditor = lazy(() => import('../components/BriefEditor.js').then((m) => ({ default: m.BriefEditor })));

interface Props {
  initialCase: CaseView;
  onRevoked(): void;
}

/** The live workspace of one case: header with presence and connection, the brief, and the side panel. */
export function Workspace({ initialCase, onRevoked }: Props) {
  const user = useUser();
  const { handleError } = useAuth();
  const caseId = initialCase.id;
  const [caseView, setCaseView] = useState(initialCase);
  const [members, setMembers] = useState<MemberView[] | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const [tab, setTab] = useState('details');
  const bump = () => setRefreshKey((n) => n + 1);
  const myRole = useRef(caseView.myRole);
  myRole.current = caseView.myRole;

  const refetchCase = useCallback(() => {
    api.getCase(caseId).then(({ case: c }) => setCaseView(c), (err: unknown) => {
      handleError(err);
      if (err instanceof ApiError && err.status === 404) onRevoked();
    });
  }, [caseId, handleError, onRevoked]);

  const applyMembers = useCallback(
    (list: MemberView[]) => {
      setMembers(list);
      bump();
      const me = list.find((m) => m.userId === user.id);
      if (!me) onRevoked();
      // A changed role changes what this user may do: ask the server for the new abilities.
      else if (me.role !== myRole.current) refetchCase();
    },
    [user.id, onRevoked, refetchCase],
  );

  const room = useCaseRoom(caseId, {
    onCase: (c) => {
      setCaseView(c);
      bump();
    },
    onTeam: applyMembers,
    onRevoked,
  });
  const brief = useBrief(caseId);

  useEffect(() => {
    api.listMembers(caseId).then(({ members: list }) => setMembers(list), handleError);
  }, [caseId, handleError]);

  useEffect(() => {
    if (brief.status === 'revoked') onRevoked();
  }, [brief.status, onRevoked]);

  const canEdit = caseView.abilities.editBrief;

  const onSaved = (c: CaseView) => {
    setCaseView(c);
    bump();
  };

  return (
    <div className="workspace">
      <header className="ws-header">
        <div className="ws-title">
          <p className="breadcrumb">
            <Link to="/cases">My cases</Link> <span aria-hidden="true">/</span> Case
          </p>
          <h1 tabIndex={-1}>{caseView.title}</h1>
          <p className="ws-meta">
            <span>
              Patient <span className="mono">{caseView.patientRef}</span>
            </span>
            <StatusBadge status={caseView.status} />
            <span className="muted">Your role: {ROLE_LABELS[caseView.myRole]}</span>
          </p>
        </div>
        <div className="ws-live">
          <PresenceAvatars people={room.people} meId={user.id} />
          <ConnectionBadge status={brief.status} />
        </div>
      </header>
      {room.error && <p className="notice error" role="alert">Live updates are unavailable: {room.error}</p>}
      <div className="ws-body">
        <section className="ws-brief" aria-labelledby="brief-heading">
          <div className="brief-head">
            <h2 id="brief-heading">Case brief</h2>
            {!canEdit && (
              <p className="note">
                {caseView.status === 'archived'
                  ? 'Read-only: this case is archived'
                  : `Read-only: your role is ${ROLE_LABELS[caseView.myRole].toLowerCase()}`}
              </p>
            )}
          </div>
          <Suspense fallback={<p className="brief-loading muted">Loading the editor…</p>}>
            {brief.session && <BriefEditor session={brief.session} user={user} editable={canEdit} loaded={brief.everSynced} />}
          </Suspense>
        </section>
        <aside className="ws-side" aria-label="Case details, team and activity">
          <Tabs
            label="Case panel"
            selected={tab}
            onSelect={setTab}
            tabs={[
              { id: 'details', label: 'Details', panel: <DetailsPanel caseView={caseView} onSaved={onSaved} onError={handleError} /> },
              {
                id: 'team',
                label: `Team${members ? ` (${members.length})` : ''}`,
                panel: <TeamPanel caseView={caseView} members={members} meId={user.id} onMembers={applyMembers} onError={handleError} />,
              },
              { id: 'activity', label: 'Activity', panel: <ActivityPanel caseId={caseId} members={members ?? []} refreshKey={refreshKey} onError={handleError} /> },
            ]}
          />
        </aside>
      </div>
    </div>
  );
}
