import { useCallback, useEffect, useRef, useState } from 'react';
import { ConferenceChangedPayload, EVENTS } from '../../../../shared/events.js';
import { ConferenceResponse, type ConferenceView } from '../../../../shared/schemas/conferences.js';
import { ApiError, errorMessage } from '../../lib/api.js';
import { conferencesApi } from '../../lib/conferencesApi.js';
import { ackSchema, parsePayload, useSocket, useSocketEvent } from '../../lib/socket.js';

const JoinAck = ackSchema(ConferenceResponse);

export type ConferenceLoad =
  | { phase: 'loading' }
  | { phase: 'missing' }
  /** The viewer could see it and no longer may (uninvited, removed from its cases). */
  | { phase: 'gone' }
  | { phase: 'error'; message: string }
  | { phase: 'ready'; conference: ConferenceView };

export interface Conference {
  load: ConferenceLoad;
  /** Puts a newer view (from an answer) in place; an older one is ignored. */
  apply(c: ConferenceView): void;
  retry(): void;
  /** Whether the live connection follows the conference now; null until it first tried. */
  following: boolean | null;
}

/**
 * One conference as the viewer may see it, kept current: loaded over HTTP, then followed on
 * the shared socket (its room joined again after every reconnect), where each change arrives as
 * the viewer's own view. Live mode state comes this way too, so every page follows the chair.
 */
export function useConference(conferenceId: string, onError: (err: unknown) => void): Conference {
  const [load, setLoad] = useState<ConferenceLoad>({ phase: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [following, setFollowing] = useState<boolean | null>(null);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const apply = useCallback((c: ConferenceView) => {
    setLoad((cur) => (cur.phase === 'ready' && cur.conference.version > c.version ? cur : { phase: 'ready', conference: c }));
  }, []);

  useEffect(() => {
    let live = true;
    conferencesApi.get(conferenceId).then(
      ({ conference }) => live && apply(conference),
      (err: unknown) => {
        onErrorRef.current(err);
        if (!live) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setLoad({ phase: 'missing' });
        else setLoad({ phase: 'error', message: errorMessage(err) });
      },
    );
    return () => {
      live = false;
    };
  }, [conferenceId, attempt, apply]);

  const socket = useSocket();
  useEffect(() => {
    if (!socket) return;
    const join = () => {
      socket.emit(EVENTS.conferenceJoin, { conferenceId }, (raw: unknown) => {
        const ack = parsePayload(`${EVENTS.conferenceJoin} acknowledgement`, JoinAck, raw);
        setFollowing(ack?.ok === true);
        // What changed while the connection was down arrives with the join.
        if (ack?.ok) apply(ack.data.conference);
      });
    };
    const down = () => setFollowing(false);
    socket.on('connect', join);
    socket.on(EVENTS.resync, join);
    socket.on('disconnect', down);
    if (socket.connected) join();
    return () => {
      if (socket.connected) socket.emit(EVENTS.conferenceLeave, { conferenceId });
      socket.off('connect', join);
      socket.off(EVENTS.resync, join);
      socket.off('disconnect', down);
    };
  }, [socket, conferenceId, apply]);

  useSocketEvent(EVENTS.conferenceChanged, ConferenceChangedPayload, (p) => {
    if (p.conferenceId !== conferenceId) return;
    if (p.conference) apply(p.conference);
    else setLoad({ phase: 'gone' });
  });

  const retry = useCallback(() => {
    setLoad({ phase: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { load, apply, retry, following };
}
