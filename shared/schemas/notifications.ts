import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

export const NOTIFICATION_KINDS = [
  'mention', 'reply', 'added_to_case', 'follow_up_due',
  'conference_invited', 'poll_invited', 'conference_scheduled', 'conference_changed', 'conference_cancelled', 'conference_reminder',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NotificationView = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  /** The case it is about; null for a conference notification. */
  caseId: Id.nullable(),
  caseTitle: z.string().nullable(),
  threadId: Id.nullable(),
  conference: z.object({ id: Id, title: z.string() }).nullable(),
  /** For a reminder: the meeting's start (its occurrence key). */
  occurrence: IsoDateTime.nullable(),
  actor: z.object({ id: Id, name: z.string() }).nullable(),
  createdAt: IsoDateTime,
  readAt: IsoDateTime.nullable(),
});
export type NotificationView = z.infer<typeof NotificationView>;

export const NotificationListResponse = z.object({ notifications: z.array(NotificationView), unread: z.number().int() });
export const NotificationParams = z.strictObject({ notificationId: Id });
export const MarkReadResponse = z.object({ unread: z.number().int() });
