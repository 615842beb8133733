import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { ROLE_LABELS } from '../../../shared/roles.js';
import type { CaseView, MemberView } from '../../../shared/schemas/cases.js';
import { ActivityPanel } from '../components/ActivityPanel.js';
import { ConnectionBadge } from '../components/ConnectionBadge.js';
import { DetailsPanel } from '../components/DetailsPanel.js';
import { DecidePanel } from '../components/decide/DecidePanel.js';
import { useRounds } from '../components/decide/useRounds.js';
import { DiscussionPanel } from '../components/discussion/DiscussionPanel.js';
import { useDiscussion } from '../components/discussion/useDiscussion.js';
import { useDiscussionWiring } from '../components/discussion/useDiscussionWiring.js';
import { DiscussionTabLabel } from '../components/discussion/DiscussionTabLabel.js';
import { useItemDiscussion } from '../components/discussion/itemThreads.js';
import type { OptionReveal } from '../components/options/OptionsPanel.js';
import { BriefNotices, useSignInAgain } from '../components/discussion/WorkspaceNotices.js';
import { PresenceAvatars } from '../components/PresenceAvatars.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { Tabs } from '../components/Tabs.js';
import { TeamPanel } from '../components/TeamPanel.js';
import { CaseFlags, ReadinessBadge } from '../components/records/CaseFlags.js';
import { RecordsPanel } from '../components/records/RecordsPanel.js';
import { useCaseRecords } from '../components/records/useCaseRecords.js';
import { CaseConferencesPanel } from '../components/conferences/CaseConferencesPanel.js';
import { ExportPanel } from '../components/exports/ExportPanel.js';
import { useExportState } from '../components/exports/useExportState.js';
import { useCitationIndex } from '../editor/citationHooks.js';
import { api, ApiError } from '../lib/api.js';
import { useAuth, useUser } from '../lib/auth.js';
import { Link, navigate, useLocation } from '../lib/router.js';
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
  const [tab, setTab] = useState(() => tabFromQuery(location.search) ?? 'discussion');
  // ?tab=decide (from a conference's live mode, say) opens that tab, then leaves the address.
  const wantedTab = tabFromQuery(useLocation().split('?')[1] ?? '');
  useEffect(() => {
    if (!wantedTab) return;
    setTab(wantedTab);
    const rest = new URLSearchParams(location.search);
    rest.delete('tab');
    const query = rest.toString();
    navigate(`${location.pathname}${query ? `?${query}` : ''}`, { replace: true });
  }, [wantedTab]);
  const showDiscussion = useCallback(() => setTab('discussion'), []);
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

  const records = useCaseRecords(caseId, handleError);
  const discussion = useDiscussion(caseId, handleError);
  const rounds = useRounds(caseId, handleError);
  const exportState = useExportState();
  // What the Export tab must notice: a vote closed, a recommendation written.
  const decisionKey = (rounds.rounds ?? []).map((r) => `${r.id}:${r.status}:${r.recommendation ? 1 : 0}`).join(',');
  const room = useCaseRoom(caseId, {
    onThread: discussion.onThreadChanged,
    onUnread: discussion.onUnread,
    onRejoined: discussion.reload,
    onItemChanged: records.onItemChanged,
    onItemRemoved: records.onItemRemoved,
    onRound: rounds.onRoundChanged,
    onCase: (c) => {
      setCaseView(c);
      bump();
    },
    onTeam: applyMembers,
    onRevoked,
  });
  const brief = useBrief(caseId);
  const wiring = useDiscussionWiring({
    discussion,
    meId: user.id,
    canComment: caseView.abilities.comment,
    canEditBrief: caseView.abilities.editBrief,
    doc: brief.session?.doc ?? null,
    synced: brief.everSynced,
    panelShown: tab === 'discussion',
    showPanel: showDiscussion,
  });
  const citations = useCitationIndex(brief.session?.doc ?? null, records, () => setTab('records'));
  const { startDraft } = discussion;
  const discussEvidence = useCallback(
    (evidenceId: string) => {
      setTab('discussion');
      startDraft({ kind: 'evidence', evidenceId });
    },
    [startDraft],
  );
  const evidenceDiscussion = useItemDiscussion('evidence', discussion.threads, caseView.abilities.comment, discussEvidence, wiring.showThread);
  const discussOption = useCallback(
    (optionId: string) => {
      setTab('discussion');
      startDraft({ kind: 'option', optionId });
    },
    [startDraft],
  );
  const optionDiscussion = useItemDiscussion('option', discussion.threads, caseView.abilities.comment, discussOption, wiring.showThread);
  const [optionReveal, setOptionReveal] = useState<OptionReveal | null>(null);
  const { setSection } = records;
  const showOption = useCallback(
    (id: string) => {
      setTab('records');
      setSection('options');
      setOptionReveal((r) => ({ id, seq: (r?.seq ?? 0) + 1 }));
    },
    [setSection],
  );
  const optionRevealed = useCallback(() => setOptionReveal(null), []);
  // Records changed while the room was not joined reach nobody: fetch them again on every join.
  const reloadRecords = records.reload;
  const reloadRounds = rounds.reload;
  useEffect(() => {
    if (room.joined) {
      reloadRecords();
      reloadRounds();
    }
  }, [room.joined, reloadRecords, reloadRounds]);

  useEffect(() => {
    api.listMembers(caseId).then(({ members: list }) => setMembers(list), handleError);
  }, [caseId, handleError]);

  useEffect(() => {
    if (brief.status === 'revoked') onRevoked();
  }, [brief.status, onRevoked]);

  // Once signed out nothing typed could be saved, so the brief stops taking edits.
  const canEdit = caseView.abilities.editBrief && brief.status !== 'signedOut';
  const signIn = useSignInAgain();

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
        </div>
        <div className="ws-meta">
          <p className="ws-facts">
            <span>
              Patient <span className="mono">{caseView.patientRef}</span>
            </span>
            <StatusBadge status={caseView.status} />
            <ReadinessBadge readiness={caseView.health.readiness} long />
            <span className="muted">Your role: {ROLE_LABELS[caseView.myRole]}</span>
          </p>
          <CaseFlags health={caseView.health} />
        </div>
        <div className="ws-live">
          <PresenceAvatars people={room.people} meId={user.id} />
          <ConnectionBadge status={brief.status} signIn={signIn} />
        </div>
      </header>
      {room.error && <p className="notice error" role="alert">Live updates are unavailable: {room.error}</p>}
      <BriefNotices brief={brief} announcement={wiring.announcement} />
      <div className="ws-body">
        <section className="ws-brief" aria-labelledby="brief-heading">
          <div className="brief-head">
            <h2 id="brief-heading">Case brief</h2>
            {!canEdit && (
              <p className="note">
                {brief.status === 'signedOut'
                  ? 'Read-only: you were signed out'
                  : caseView.status === 'archived'
                    ? 'Read-only: this case is archived'
                    : `Read-only: your role is ${ROLE_LABELS[caseView.myRole].toLowerCase()}`}
              </p>
            )}
          </div>
          <Suspense fallback={<p className="brief-loading muted">Loading the editor…</p>}>
            {brief.session && <BriefEditor session={brief.session} user={user} editable={canEdit} loaded={brief.everSynced} citations={citations} comments={wiring.briefComments} />}
          </Suspense>
        </section>
        <aside className="ws-side" aria-label="Discussion, case details, team, records, decisions, conferences, exports and activity">
          <Tabs
            label="Case panel"
            selected={tab}
            onSelect={setTab}
            tabs={[
              {
                id: 'discussion',
                label: <DiscussionTabLabel unread={discussion.unread.unread} />,
                panel: (
                  <DiscussionPanel
                    caseId={caseId}
                    discussion={discussion}
                    meId={user.id}
                    isOwner={caseView.myRole === 'owner'}
                    canComment={caseView.abilities.comment}
                    people={members?.filter((m) => m.userId !== user.id).map((m) => ({ id: m.userId, name: m.name })) ?? []}
                    detached={wiring.detached}
                    onToggle={wiring.toggleThread}
                    onShowPassage={wiring.showPassage}
                    evidence={records.evidence}
                    onShowEvidence={(id) => citations.open(id, true)}
                    options={records.option}
                    onShowOption={showOption}
                    onError={handleError}
                  />
                ),
              },
              { id: 'details', label: 'Details', panel: <DetailsPanel caseView={caseView} onSaved={onSaved} onError={handleError} /> },
              {
                id: 'team',
                label: `Team${members ? ` (${members.length})` : ''}`,
                panel: <TeamPanel caseView={caseView} members={members} meId={user.id} onMembers={applyMembers} onError={handleError} />,
              },
              {
                id: 'records',
                label: 'Records',
                panel: (
                  <RecordsPanel caseView={caseView} records={records} citations={citations} evidenceDiscussion={evidenceDiscussion} optionDiscussion={optionDiscussion}
                    optionReveal={optionReveal} onOptionRevealed={optionRevealed} onError={handleError} />
                ),
              },
              {
                id: 'decide',
                label: 'Decide',
                panel: <DecidePanel caseView={caseView} rounds={rounds} options={records.option} members={members} onError={handleError} />,
              },
              {
                id: 'export',
                label: 'Export',
                panel: <ExportPanel caseId={caseId} decisionKey={decisionKey} state={exportState} onError={handleError} />,
              },
              {
                id: 'conferences',
                label: 'Conferences',
                panel: <CaseConferencesPanel caseId={caseId} canPlan={caseView.abilities.editRecords} onError={handleError} />,
              },
              { id: 'activity', label: 'Activity', panel: <ActivityPanel caseId={caseId} members={members ?? []} refreshKey={refreshKey} canView={caseView.abilities.viewAudit} onError={handleError} /> },
            ]}
          />
        </aside>
      </div>
    </div>
  );
}

const TAB_IDS = ['discussion', 'details', 'team', 'records', 'decide', 'export', 'conferences', 'activity'];

/** The side-panel tab a query string asks for (?tab=decide), if it names one. */
function tabFromQuery(search: string): string | null {
  const tab = new URLSearchParams(search).get('tab');
  return tab && TAB_IDS.includes(tab) ? tab : null;
}
