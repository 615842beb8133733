import { useCallback, useEffect, useState } from 'react';
import { EVENTS, NotificationNewPayload, NotificationsReadPayload } from '../../../../shared/events.js';
import type { NotificationView } from '../../../../shared/schemas/notifications.js';
import { discussionApi } from '../../lib/discussionApi.js';
import { matchRoute, useLocation } from '../../lib/router.js';
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
 * While a case is open, its "added you to the case" notifications are marked read; while a
 * conference is open, its notifications are.
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
  useSocketEvent(EVENTS.notificationNew, NotificationNewPayload, (p) => {
    setList((l) => [p.notification, ...(l ?? []).filter((n) => n.id !== p.notification.id)]);
    setUnread(p.unread);
  });
  useSocketEvent(EVENTS.notificationsRead, NotificationsReadPayload, (p) => {
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

  // Opening a case is reading the news of being added to it. Only unread invitations the list
  // already holds for the open case are marked, so this costs nothing on every other screen.
  const route = matchRoute(useLocation().split('?')[0] ?? '/');
  const openCaseId = route.name === 'case' ? route.caseId : null;
  // Likewise opening a conference reads its invitations, changes and reminders.
  const openConferenceId = route.name === 'conference' || route.name === 'conferenceLive' ? route.conferenceId : null;
  useEffect(() => {
    if ((!openCaseId && !openConferenceId) || !list) return;
    for (const n of list) {
      if (n.readAt) continue;
      if (n.kind === 'added_to_case' && n.caseId === openCaseId) void markRead(n.id);
      else if (openConferenceId && n.conference?.id === openConferenceId) void markRead(n.id);
    }
  }, [openCaseId, openConferenceId, list, markRead]);

  return { list, unread, markRead, markAllRead, reload };
}
