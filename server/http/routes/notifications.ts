import { z } from 'zod';
import { MarkReadResponse, NotificationListResponse, NotificationParams } from '../../../shared/schemas/notifications.js';
import { notificationViews } from '../../views.js';
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
        return { status: 200, body: { notifications: await notificationViews(s.store, records), unread } };
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
