import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { io, type Socket } from 'socket.io-client';

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

/** Listens to one server event for as long as the component is mounted, with the latest handler. */
export function useSocketEvent<T>(event: string, handler: (payload: T) => void): void {
  const socket = useSocket();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => {
    if (!socket) return;
    const listener = (payload: T) => ref.current(payload);
    socket.on(event, listener);
    return () => {
      socket.off(event, listener);
    };
  }, [socket, event]);
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
    socket.on('connect', listener);
    return () => {
      socket.off('connect', listener);
    };
  }, [socket]);
}
