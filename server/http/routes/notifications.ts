import { z } from 'zod';
import { MarkReadResponse, NotificationListResponse, NotificationParams } from '../../../shared/schemas/notifications.js';
import { namesOf } from '../../people.js';
import { presentNotification } from '../../presenters.js';
import type { Services } from '../../services.js';
import { defineRoute, type Route } from '../route.js';

/** My notifications: mentions, replies in threads I took part in, being added to a case. */
export function notificationRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'get', path: '/api/notifications', tag: 'notifications', auth: true,
      summary: 'My notifications, newest first, with the unread count',
      responses: { 200: { description: 'Notifications.', schema: NotificationListResponse } },
      handler: async ({ user }) => {
        const { records, unread } = await s.notifications.list(user);
        const caseIds = [...new Set(records.map((n) => n.caseId))];
        const titles = new Map((await Promise.all(caseIds.map((id) => s.store.cases.findById(id)))).flatMap((c) => (c ? [[c.id, c.title] as const] : [])));
        const names = await namesOf(s.store, records.map((n) => n.actorId));
        return { status: 200, body: { notifications: records.map((n) => presentNotification(n, titles, names)), unread } };
      },
    }),
    defineRoute({
      method: 'post', path: '/api/notifications/:notificationId/read', tag: 'notifications', auth: true,
      summary: 'Mark one notification read',
      params: NotificationParams, body: z.strictObject({}),
      responses: { 200: { description: 'My unread count now.', schema: MarkReadResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: { unread: await s.notifications.markRead(user, params.notificationId) } }),
    }),
    defineRoute({
      method: 'post', path: '/api/notifications/read-all', tag: 'notifications', auth: true,
      summary: 'Mark all my notifications read',
      body: z.strictObject({}),
      responses: { 200: { description: 'My unread count now (zero).', schema: MarkReadResponse } },
      handler: async ({ user }) => ({ status: 200, body: { unread: await s.notifications.markAllRead(user) } }),
    }),
  ];
}
