import { useState } from 'react';
import { userColor } from '../../../shared/colors.js';
import { DISCIPLINE_LABELS, type Discipline } from '../../../shared/disciplines.js';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/roles.js';
import type { CaseView, MemberView } from '../../../shared/schemas/cases.js';
import { api, ApiError, errorMessage } from '../lib/api.js';
import { navigate } from '../lib/router.js';
import { Avatar } from './Avatar.js';
import { ConfirmButton } from './ConfirmButton.js';
import { DisciplineSelect } from './DisciplineSelect.js';
import { InviteForm } from './InviteForm.js';

interface Props {
  caseView: CaseView;
  members: MemberView[] | null;
  meId: string;
  /** Called with the fresh list after a change made here. */
  onMembers(members: MemberView[]): void;
  onError(err: unknown): void;
}

/** The case team: everyone's role and discipline; owners can invite, change roles and remove. */
export function TeamPanel({ caseView, members, meId, onMembers, onError }: Props) {
  const canManage = caseView.abilities.manageTeam;
  // The error of the last change, shown under the member it was about.
  const [failure, setFailure] = useState<{ userId: string | null; message: string } | null>(null);

  async function run(userId: string | null, action: () => Promise<unknown>) {
    setFailure(null);
    try {
      await action();
      onMembers((await api.listMembers(caseView.id)).members);
    } catch (err) {
      onError(err);
      // last_owner: the server's message already says to make someone else owner first.
      const message = err instanceof ApiError && err.code === 'last_owner' ? `Not changed. ${err.message}` : errorMessage(err);
      setFailure({ userId, message });
    }
  }

  // Any member may leave on their own (the server refuses the last owner).
  async function leave() {
    setFailure(null);
    try {
      await api.removeMember(caseView.id, meId);
      navigate('/cases');
    } catch (err) {
      onError(err);
      setFailure({ userId: meId, message: errorMessage(err) });
    }
  }

  if (!members) return <p className="muted">Loading the team…</p>;
  return (
    <div className="team">
      <ul className="member-list" aria-label="Team members">
        {members.map((m) => (
          <li key={m.userId} className="member">
            <Avatar name={m.name} color={userColor(m.userId)} decorative />
            <div className="member-who">
              <span className="member-name">
                {m.name}
                {m.userId === meId && <span className="muted"> (you)</span>}
              </span>
              <span className="muted small">{m.email}</span>
            </div>
            {canManage ? (
              <ConfirmButton
                label="Remove"
                ariaLabel={`Remove ${m.name} from the team`}
                question={m.userId === meId ? 'Remove yourself?' : `Remove ${m.name}?`}
                confirmLabel="Yes, remove"
                danger
                onConfirm={() => run(m.userId, () => api.removeMember(caseView.id, m.userId))}
              />
            ) : (
              m.userId === meId && (
                <ConfirmButton label="Leave case" question="Leave this case?" confirmLabel="Yes, leave" danger onConfirm={() => leave()} />
              )
            )}
            {canManage ? (
              <div className="member-controls">
                <label className="visually-hidden" htmlFor={`role-${m.userId}`}>
                  Role for {m.name}
                </label>
                <select id={`role-${m.userId}`} value={m.role} onChange={(e) => void run(m.userId, () => api.updateMember(caseView.id, m.userId, { role: e.target.value as Role }))}>
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
                <label className="visually-hidden" htmlFor={`disc-${m.userId}`}>
                  Discipline for {m.name}
                </label>
                <DisciplineSelect
                  id={`disc-${m.userId}`}
                  value={m.discipline}
                  onChange={(d) => d && void run(m.userId, () => api.updateMember(caseView.id, m.userId, { discipline: d as Discipline }))}
                />
              </div>
            ) : (
              <div className="member-meta">
                <span className="pill">{ROLE_LABELS[m.role]}</span>
                <span className="muted small">{DISCIPLINE_LABELS[m.discipline]}</span>
              </div>
            )}
            <div role="alert" className="member-error">
              {failure?.userId === m.userId ? failure.message : null}
            </div>
          </li>
        ))}
      </ul>
      {failure?.userId === null && (
        <p className="notice error" role="alert">
          {failure.message}
        </p>
      )}
      {canManage && <InviteForm caseId={caseView.id} onAdded={() => run(null, async () => undefined)} onError={onError} />}
    </div>
  );
}
