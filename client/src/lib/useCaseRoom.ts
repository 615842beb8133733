import { useEffect, useRef, useState } from 'react';
import { io } from 'socket.io-client';
import {
  EVENTS,
  type AccessRevokedPayload,
  type Ack,
  type CaseChangedPayload,
  type JoinAckData,
  type PresencePayload,
  type PresentUser,
  type TeamChangedPayload,
} from '../../../shared/events.js';
import type { CaseView, MemberView } from '../../../shared/schemas/cases.js';

/** What the workspace wants to hear about while it is open. */
export interface CaseRoomHandlers {
  onCase(c: CaseView): void;
  onTeam(members: MemberView[]): void;
  /** The user lost access to the case (removed from the team). */
  onRevoked(): void;
}

export interface CaseRoomState {
  /** Who has the case open now, one entry per person. */
  people: PresentUser[];
  /** Whether the live connection is up and the room joined. */
  joined: boolean;
  /** Why joining failed, when it did. */
  error: string | null;
}

/**
 * Opens a Socket.io connection for one case: joins its room (again after every reconnect),
 * follows presence, case, team and access events, and leaves the room on unmount.
 */
export function useCaseRoom(caseId: string, handlers: CaseRoomHandlers): CaseRoomState {
  const [state, setState] = useState<CaseRoomState>({ people: [], joined: false, error: null });
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  useEffect(() => {
    const socket = io({ withCredentials: true });
    const mine = (p: { caseId: string }) => p.caseId === caseId;

    socket.on('connect', () => {
      socket.emit(EVENTS.caseJoin, { caseId }, (ack: Ack<JoinAckData>) => {
        if (ack.ok) setState({ people: uniquePeople(ack.data.presence.people), joined: true, error: null });
        else if (ack.error.code === 'not_found' || ack.error.code === 'forbidden') handlersRef.current.onRevoked();
        else setState((s) => ({ ...s, joined: false, error: ack.error.message }));
      });
    });
    socket.on('disconnect', () => setState((s) => ({ ...s, joined: false })));
    socket.on(EVENTS.presenceChanged, (p: PresencePayload) => mine(p) && setState((s) => ({ ...s, people: uniquePeople(p.people) })));
    socket.on(EVENTS.caseChanged, (p: CaseChangedPayload) => mine(p) && handlersRef.current.onCase(p.case));
    socket.on(EVENTS.teamChanged, (p: TeamChangedPayload) => mine(p) && handlersRef.current.onTeam(p.members));
    socket.on(EVENTS.caseAccessRevoked, (p: AccessRevokedPayload) => mine(p) && handlersRef.current.onRevoked());

    return () => {
      if (socket.connected) socket.emit(EVENTS.caseLeave, { caseId });
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [caseId]);

  return state;
}

/** The same person with the case open in two tabs is shown once. */
function uniquePeople(people: PresentUser[]): PresentUser[] {
  const seen = new Map<string, PresentUser>();
  for (const p of people) if (!seen.has(p.userId)) seen.set(p.userId, p);
  return [...seen.values()];
}
