import { CaseParams } from '../../../shared/schemas/cases.js';
import {
  CreateThreadBody, EditMessageBody, ListThreadsQuery, MessageParams, ReplyBody, ThreadListResponse, ThreadParams, ThreadResponse,
  ThreadStatusBody, UnreadView,
} from '../../../shared/schemas/threads.js';
import type { ThreadBundle } from '../../domain/discussion.js';
import { presentUnread } from '../../presenters.js';
import { threadView, threadViews } from '../../views.js';
import type { Services } from '../../services.js';
import { defineRoute, type Route } from '../route.js';

/** Comment threads and their messages. Owners, editors and commenters write; viewers read. */
export function threadRoutes(s: Services): Route[] {
  const one = async (bundle: ThreadBundle) => ({ thread: await threadView(s.store, bundle) });
  const base = '/api/cases/:caseId/threads';
  return [
    defineRoute({
      method: 'get', path: base, tag: 'discussion', auth: true,
      summary: 'List the threads of a case, with my unread counts',
      params: CaseParams, query: ListThreadsQuery,
      responses: { 200: { description: 'Threads, oldest first, and what I have not read.', schema: ThreadListResponse } },
      handler: async ({ user, params, query }) => {
        const { bundles, unreadByThread } = await s.discussion.list(user, params.caseId, query.filter);
        return { status: 200, body: { threads: await threadViews(s.store, bundles), unread: presentUnread(params.caseId, unreadByThread) } };
      },
    }),
    defineRoute({
      method: 'post', path: base, tag: 'discussion', auth: true,
      summary: 'Start a thread on a passage of the brief, the case, or an evidence item',
      params: CaseParams, body: CreateThreadBody,
      responses: {
        201: { description: 'The new thread.', schema: ThreadResponse },
        200: { description: 'This request id was already posted: the thread it made.', schema: ThreadResponse },
      },
      handler: async ({ user, params, body }) => {
        const { bundle, created } = await s.discussion.createThread(user, params.caseId, body);
        return { status: created ? 201 : 200, body: await one(bundle) };
      },
    }),
    defineRoute({
      method: 'get', path: `${base}/:threadId`, tag: 'discussion', auth: true,
      summary: 'Read one thread',
      params: ThreadParams,
      responses: { 200: { description: 'The thread.', schema: ThreadResponse } },
      handler: async ({ user, params }) => ({ status: 200, body: await one(await s.discussion.get(user, params.caseId, params.threadId)) }),
    }),
    defineRoute({
      method: 'patch', path: `${base}/:threadId`, tag: 'discussion', auth: true,
      summary: 'Resolve or reopen a thread',
      params: ThreadParams, body: ThreadStatusBody,
      responses: { 200: { description: 'The thread.', schema: ThreadResponse } },
      handler: async ({ user, params, body }) => ({ status: 200, body: await one(await s.discussion.setStatus(user, params.caseId, params.threadId, body.status)) }),
    }),
    defineRoute({
      method: 'delete', path: `${base}/:threadId`, tag: 'discussion', auth: true,
      summary: 'Delete a thread (its creator while nobody else wrote in it, or an owner)',
      params: ThreadParams,
      responses: { 204: { description: 'Deleted.' } },
      handler: async ({ user, params }) => {
        await s.discussion.deleteThread(user, params.caseId, params.threadId);
        return { status: 204 };
      },
    }),
    defineRoute({
      method: 'post', path: `${base}/:threadId/messages`, tag: 'discussion', auth: true,
      summary: 'Reply in a thread',
      params: ThreadParams, body: ReplyBody,
      responses: {
        201: { description: 'The thread with the reply.', schema: ThreadResponse },
        200: { description: 'This request id was already posted: the thread as it is.', schema: ThreadResponse },
      },
      handler: async ({ user, params, body }) => {
        const { bundle, created } = await s.discussion.reply(user, params.caseId, params.threadId, body);
        return { status: created ? 201 : 200, body: await one(bundle) };
      },
    }),
    defineRoute({
      method: 'patch', path: `${base}/:threadId/messages/:messageId`, tag: 'discussion', auth: true,
      summary: 'Edit my own message',
      params: MessageParams, body: EditMessageBody,
      responses: { 200: { description: 'The thread.', schema: ThreadResponse } },
      handler: async ({ user, params, body }) => ({
        status: 200,
        body: await one(await s.discussion.editMessage(user, params.caseId, params.threadId, params.messageId, body)),
      }),
    }),
    defineRoute({
      method: 'delete', path: `${base}/:threadId/messages/:messageId`, tag: 'discussion', auth: true,
      summary: 'Delete my own message (a tombstone stays in its place)',
      params: MessageParams,
      responses: { 200: { description: 'The thread with the tombstone.', schema: ThreadResponse } },
      handler: async ({ user, params }) => ({
        status: 200,
        body: await one(await s.discussion.deleteMessage(user, params.caseId, params.threadId, params.messageId)),
      }),
    }),
    defineRoute({
      method: 'post', path: `${base}/:threadId/read`, tag: 'discussion', auth: true,
      summary: 'Mark a thread read (on every device)',
      params: ThreadParams,
      responses: { 200: { description: 'My unread counts on the case now.', schema: UnreadView } },
      handler: async ({ user, params }) => ({ status: 200, body: presentUnread(params.caseId, await s.discussion.markRead(user, params.caseId, params.threadId)) }),
    }),
  ];
}
