import { useEffect, useRef, useState } from 'react';
import {
  AccessRevokedPayload,
  CaseChangedPayload,
  EVENTS,
  ItemChangedPayload,
  ItemRemovedPayload,
  JoinAckData,
  PresencePayload,
  RoundChangedPayload,
  TeamChangedPayload,
  ThreadChangedPayload,
  UnreadChangedPayload,
  type PresentUser,
} from '../../../shared/events.js';
import type { CaseView, MemberView } from '../../../shared/schemas/cases.js';
import type { UnreadView } from '../../../shared/schemas/threads.js';
import { ackSchema, parsePayload, useSocket, validated } from './socket.js';

const JoinAck = ackSchema(JoinAckData);

/** What the workspace wants to hear about while it is open. */
export interface CaseRoomHandlers {
  onCase(c: CaseView): void;
  onTeam(members: MemberView[]): void;
  /** The user lost access to the case (removed from the team). */
  onRevoked(): void;
  /** A thread was started, changed or deleted (thread null). */
  onThread?(p: ThreadChangedPayload): void;
  /** The user's unread counts on this case changed (on any of their devices). */
  onUnread?(u: UnreadView): void;
  /** The room was joined again after a dropped connection: fetch what may have been missed. */
  onRejoined?(): void;
  /** An evidence item, stakeholder entry, readiness item or coverage request changed or was removed. */
  onItemChanged?(p: ItemChangedPayload): void;
  onItemRemoved?(p: ItemRemovedPayload): void;
  /** A decision round was opened, voted on, closed or followed up: the user's own view of it. */
  onRound?(p: RoundChangedPayload): void;
}

/** What the workspace shows of the room: presence, whether it is joined, and why joining failed. */
export interface CaseRoomState {
  /** Who has the case open now, one entry per person. */
  people: PresentUser[];
  /** Whether the live connection is up and the room joined. */
  joined: boolean;
  /** Why joining failed, when it did. */
  error: string | null;
}

/**
 * Follows one case on the shared Socket.io connection: joins its room (again after every reconnect),
 * follows presence, case, team, access, thread, unread, record and round events, and leaves the room on unmount.
 */
export function useCaseRoom(caseId: string, handlers: CaseRoomHandlers): CaseRoomState {
  const [state, setState] = useState<CaseRoomState>({ people: [], joined: false, error: null });
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  const socket = useSocket();

  useEffect(() => {
    if (!socket) return;
    const mine = (p: { caseId: string }) => p.caseId === caseId;
    let joinedBefore = false;
    const join = () => {
      socket.emit(EVENTS.caseJoin, { caseId }, (raw: unknown) => {
        const ack = parsePayload(`${EVENTS.caseJoin} acknowledgement`, JoinAck, raw);
        if (!ack) setState((s) => ({ ...s, joined: false, error: 'the server answered in an unexpected way; reload the page to try again' }));
        else if (ack.ok) {
          setState({ people: uniquePeople(ack.data.presence.people), joined: true, error: null });
          if (joinedBefore) handlersRef.current.onRejoined?.();
          joinedBefore = true;
        } else if (ack.error.code === 'not_found' || ack.error.code === 'forbidden') handlersRef.current.onRevoked();
        else setState((s) => ({ ...s, joined: false, error: ack.error.message }));
      });
    };
    // Rooms do not survive a dropped connection: join again on every (re)connect. Every server
    // payload is checked with its shared schema before use; one that does not match is dropped.
    const listeners: [string, (payload: unknown) => void][] = [
      ['connect', join],
      // Pushes may have been lost (the server's Redis was away): join again, which refetches.
      [EVENTS.resync, join],
      ['disconnect', () => setState((s) => ({ ...s, joined: false }))],
      [EVENTS.presenceChanged, validated(EVENTS.presenceChanged, PresencePayload, (p) => mine(p) && setState((s) => ({ ...s, people: uniquePeople(p.people) })))],
      [EVENTS.caseChanged, validated(EVENTS.caseChanged, CaseChangedPayload, (p) => mine(p) && handlersRef.current.onCase(p.case))],
      [EVENTS.teamChanged, validated(EVENTS.teamChanged, TeamChangedPayload, (p) => mine(p) && handlersRef.current.onTeam(p.members))],
      [EVENTS.caseAccessRevoked, validated(EVENTS.caseAccessRevoked, AccessRevokedPayload, (p) => mine(p) && handlersRef.current.onRevoked())],
      [EVENTS.threadChanged, validated(EVENTS.threadChanged, ThreadChangedPayload, (p) => mine(p) && handlersRef.current.onThread?.(p))],
      // Unread counts come to the user's own room, for every case: keep this case's.
      [EVENTS.unreadChanged, validated(EVENTS.unreadChanged, UnreadChangedPayload, (u) => mine(u) && handlersRef.current.onUnread?.(u))],
      [EVENTS.itemChanged, validated(EVENTS.itemChanged, ItemChangedPayload, (p) => mine(p) && handlersRef.current.onItemChanged?.(p))],
      [EVENTS.itemRemoved, validated(EVENTS.itemRemoved, ItemRemovedPayload, (p) => mine(p) && handlersRef.current.onItemRemoved?.(p))],
      [EVENTS.roundChanged, validated(EVENTS.roundChanged, RoundChangedPayload, (p) => mine(p) && handlersRef.current.onRound?.(p))],
    ];
    for (const [event, listener] of listeners) socket.on(event, listener);
    if (socket.connected) join();

    return () => {
      if (socket.connected) socket.emit(EVENTS.caseLeave, { caseId });
      for (const [event, listener] of listeners) socket.off(event, listener);
    };
  }, [caseId, socket]);

  return state;
}

/** The same person with the case open in two tabs is shown once. */
function uniquePeople(people: PresentUser[]): PresentUser[] {
  const seen = new Map<string, PresentUser>();
  for (const p of people) if (!seen.has(p.userId)) seen.set(p.userId, p);
  return [...seen.values()];
}
