import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { EVENTS } from '../../../shared/events.js';

const SocketContext = createContext<Socket | null>(null);

/**
 * One Socket.io connection for the signed-in user, shared by every screen: the server puts it
 * in the user's own room (notifications, unread counts), and a workspace joins case rooms on it.
 */
export function SocketProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [socket, setSocket] = useState<Socket | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const s = io({ withCredentials: true });
    setSocket(s);
    return () => {
      s.disconnect();
      setSocket(null);
    };
  }, [enabled]);
  return <SocketContext.Provider value={socket}>{children}</SocketContext.Provider>;
}

/** The shared connection, or null while signed out or before it exists. */
export function useSocket(): Socket | null {
  return useContext(SocketContext);
}

/**
 * Checks what the server sent with the event's shared schema: the parsed value, or null (and a
 * warning naming the event) when it does not match. The payload itself is never logged: it may
 * carry clinical text.
 */
export function parsePayload<S extends z.ZodType>(event: string, schema: S, payload: unknown): z.output<S> | null {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  console.warn(`Consilium: dropped a "${event}" message from the server: it does not match the expected shape.`);
  return null;
}

/** A socket listener that validates its payload with `schema` and hands only valid ones to `handler`. */
export function validated<S extends z.ZodType>(event: string, schema: S, handler: (payload: z.output<S>) => void): (payload: unknown) => void {
  return (payload) => {
    const value = parsePayload(event, schema, payload);
    if (value !== null) handler(value);
  };
}

/**
 * Listens to one server event for as long as the component is mounted, with the latest handler.
 * Each payload is validated with the event's schema from shared/events.ts first; one that does
 * not match is dropped.
 */
export function useSocketEvent<S extends z.ZodType>(event: string, schema: S, handler: (payload: z.output<S>) => void): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = validated(event, schema, (payload) => ref.current(payload));
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }, [socket, event, schema]);
}

const AckError = z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() });

/** The schema of an acknowledgement (shared/events.ts's Ack) whose result is `data`. */
export function ackSchema<S extends z.ZodType>(data: S) {
  return z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), data }), z.object({ ok: z.literal(false), error: AckError })]);
}

/** Runs `onReconnect` each time the shared connection comes back after a drop. */
export function useReconnect(onReconnect: () => void): void {
  const socket = useSocket();
  const ref = useRef(onReconnect);
  ref.current = onReconnect;
  useEffect(() => {
    if (!socket) return;
    let connectedBefore = socket.connected;
    const listener = () => {
      if (connectedBefore) ref.current();
      connectedBefore = true;
    };
    // After a Redis outage the server asks for the same: pushes may have been lost meanwhile.
    const resync = () => ref.current();
    socket.on('connect', listener);
    socket.on(EVENTS.resync, resync);
    return () => {
      socket.off('connect', listener);
      socket.off(EVENTS.resync, resync);
    };
  }, [socket]);
}
