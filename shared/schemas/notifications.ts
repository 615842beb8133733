import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

export const NOTIFICATION_KINDS = ['mention', 'reply', 'added_to_case', 'follow_up_due'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NotificationView = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  caseId: Id,
  caseTitle: z.string(),
  threadId: Id.nullable(),
  actor: z.object({ id: Id, name: z.string() }).nullable(),
  createdAt: IsoDateTime,
  readAt: IsoDateTime.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationListResponse = z.object({ notifications: z.array(NotificationView), unread: z.number().int() });
export const NotificationParams = z.strictObject({ notificationId: Id });
export const MarkReadResponse = z.object({ unread: z.number().int() });
