import type { NotificationView } from '../../../shared/schemas/notifications.js';
import type {
  CreateThreadBody,
  EditMessageBody,
  ReplyBody,
  ThreadFilter,
  ThreadView,
  UnreadView,
} from '../../../shared/schemas/threads.js';
import { request } from './api.js';

const enc = encodeURIComponent;
const threads = (caseId: string) => `/api/cases/${enc(caseId)}/threads`;
const thread = (caseId: string, threadId: string) => `${threads(caseId)}/${enc(threadId)}`;

/** Typed calls for comment threads and notifications; each rejects with an ApiError on failure. */
export const discussionApi = {
  listThreads: (caseId: string, filter: ThreadFilter = 'all') =>
    request<{ threads: ThreadView[]; unread: UnreadView }>('GET', `${threads(caseId)}?filter=${filter}`),
  createThread: (caseId: string, body: CreateThreadBody) => request<{ thread: ThreadView }>('POST', threads(caseId), body),
  getThread: (caseId: string, threadId: string) => request<{ thread: ThreadView }>('GET', thread(caseId, threadId)),
  setStatus: (caseId: string, threadId: string, status: 'open' | 'resolved') =>
    request<{ thread: ThreadView }>('PATCH', thread(caseId, threadId), { status }),
  deleteThread: (caseId: string, threadId: string) => request<void>('DELETE', thread(caseId, threadId)),
  reply: (caseId: string, threadId: string, body: ReplyBody) =>
    request<{ thread: ThreadView }>('POST', `${thread(caseId, threadId)}/messages`, body),
  editMessage: (caseId: string, threadId: string, messageId: string, body: EditMessageBody) =>
    request<{ thread: ThreadView }>('PATCH', `${thread(caseId, threadId)}/messages/${enc(messageId)}`, body),
  deleteMessage: (caseId: string, threadId: string, messageId: string) =>
    request<{ thread: ThreadView }>('DELETE', `${thread(caseId, threadId)}/messages/${enc(messageId)}`),
  markThreadRead: (caseId: string, threadId: string) => request<UnreadView>('POST', `${thread(caseId, threadId)}/read`),

  listNotifications: () => request<{ notifications: NotificationView[]; unread: number }>('GET', '/api/notifications'),
  markNotificationRead: (id: string) => request<{ unread: number }>('POST', `/api/notifications/${enc(id)}/read`, {}),
  markAllNotificationsRead: () => request<{ unread: number }>('POST', '/api/notifications/read-all', {}),
};

/**
 * A fresh id for one post, kept while that post is retried so the server stores it once.
 * crypto.randomUUID exists only on secure origins; elsewhere build a v4 UUID by hand.
 */
export function newRequestId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
