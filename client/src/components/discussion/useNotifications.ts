import { useCallback, useEffect, useState } from 'react';
import { EVENTS, type NotificationNewPayload, type NotificationsReadPayload } from '../../../../shared/events.js';
import type { NotificationView } from '../../../../shared/schemas/notifications.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { useReconnect, useSocketEvent } from '../../lib/socket.js';

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
 * The signed-in user's notifications, kept live on every screen through the shared connection:
 * the server puts it in the user's own room, where notifications and their read state arrive.
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

  useEffect(reload, [reload]);
  // After a dropped connection, fetch what was missed.
  useReconnect(reload);
  useSocketEvent<NotificationNewPayload>(EVENTS.notificationNew, (p) => {
    setList((l) => [p.notification, ...(l ?? []).filter((n) => n.id !== p.notification.id)]);
    setUnread(p.unread);
  });
  useSocketEvent<NotificationsReadPayload>(EVENTS.notificationsRead, (p) => {
    setUnread(p.unread);
    // Read on another device: everything read is simple; otherwise fetch which ones.
    if (p.unread === 0) setList((l) => l?.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() })) ?? l);
    else reload();
  });

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
