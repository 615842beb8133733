import { useCallback, useEffect, useState } from 'react';
import { io } from 'socket.io-client';
import { EVENTS, type NotificationNewPayload, type NotificationsReadPayload } from '../../../../shared/events.js';
import type { NotificationView } from '../../../../shared/schemas/notifications.js';
import { discussionApi } from '../../lib/discussionApi.js';

/** The bell's data and actions. */
export interface Notifications {
  /** Newest first; null until loaded. */
  list: NotificationView[] | null;
  unread: number;
  markRead(id: string): Promise<void>;
  markAllRead(): Promise<void>;
  reload(): void;
}

/**
 * The signed-in user's notifications, kept live on every screen. It holds its own small
 * Socket.io connection, which joins no case room: the server puts every connection in the
 * user's own room, where notifications and their read state arrive.
 */
export function useNotifications(onError: (err: unknown) => void): Notifications {
  const [list, setList] = useState<NotificationView[] | null>(null);
  const [unread, setUnread] = useState(0);

  const reload = useCallback(() => {
    discussionApi.listNotifications().then((r) => {
      setList(r.notifications);
      setUnread(r.unread);
    }, onError);
  }, [onError]);

  useEffect(() => {
    reload();
    const socket = io({ withCredentials: true });
    let connectedBefore = false;
    // After a dropped connection, fetch what was missed.
    socket.on('connect', () => {
      if (connectedBefore) reload();
      connectedBefore = true;
    });
    socket.on(EVENTS.notificationNew, (p: NotificationNewPayload) => {
      setList((l) => [p.notification, ...(l ?? []).filter((n) => n.id !== p.notification.id)]);
      setUnread(p.unread);
    });
    socket.on(EVENTS.notificationsRead, (p: NotificationsReadPayload) => {
      setUnread(p.unread);
      // Read on another device: everything read is simple; otherwise fetch which ones.
      if (p.unread === 0) setList((l) => l?.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() })) ?? l);
      else reload();
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
    };
  }, [reload]);

  const markRead = useCallback(
    async (id: string) => {
      setList((l) => l?.map((n) => (n.id === id && !n.readAt ? { ...n, readAt: new Date().toISOString() } : n)) ?? l);
      try {
        setUnread((await discussionApi.markNotificationRead(id)).unread);
      } catch (err) {
        onError(err);
      }
    },
    [onError],
  );

  const markAllRead = useCallback(async () => {
    try {
      setUnread((await discussionApi.markAllNotificationsRead()).unread);
      setList((l) => l?.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() })) ?? l);
    } catch (err) {
      onError(err);
    }
  }, [onError]);

  return { list, unread, markRead, markAllRead, reload };
}
