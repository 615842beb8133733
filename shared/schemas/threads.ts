import { z } from 'zod';
import { Id, IsoDateTime, plainText } from './common.js';

/** Longest comment body, in characters. */
export const MAX_MESSAGE_LENGTH = 5000;
/** Longest quoted passage kept with a brief anchor. */
export const MAX_QUOTE_LENGTH = 1000;

/** A Yjs relative position, encoded with Y.encodeRelativePosition and then base64. */
const RelativePosition = z
  .string({ error: 'must be an encoded position' })
  .min(4, { error: 'must be an encoded position' })
  .max(512, { error: 'must be at most 512 characters' })
  .regex(/^[A-Za-z0-9+/]+=*$/, { error: 'must be an encoded position (base64)' });

export const BriefAnchor = z.strictObject({
  kind: z.literal('brief'),
  /** Where the passage starts and ends, as Yjs relative positions, so they survive others' edits. */
  start: RelativePosition,
  end: RelativePosition,
  /** The passage as it read when the thread was made; shown when the passage is later deleted. */
  quote: plainText(z.string({ error: 'must be text' }).trim().min(1, { error: 'is required' }).max(MAX_QUOTE_LENGTH, { error: `must be at most ${MAX_QUOTE_LENGTH} characters` })),
});

export const ThreadAnchor = z.discriminatedUnion(
  'kind',
  [
    BriefAnchor,
    z.strictObject({ kind: z.literal('case') }),
    z.strictObject({ kind: z.literal('evidence'), evidenceId: Id }),
    z.strictObject({ kind: z.literal('option'), optionId: Id }),
  ],
  { error: 'must be an anchor of kind brief, case, evidence or option' },
);
export type ThreadAnchor = z.infer<typeof ThreadAnchor>;
export type BriefAnchor = z.infer<typeof BriefAnchor>;

const MessageBody = plainText(
  z
    .string({ error: 'must be text' })
    .trim()
    .min(1, { error: 'is required: write something first' })
    .max(MAX_MESSAGE_LENGTH, { error: `must be at most ${MAX_MESSAGE_LENGTH} characters` }),
);

const Mentions = z
  .array(Id, { error: 'must be a list of team member ids' })
  .max(20, { error: 'may name at most 20 people' })
  .refine((a) => new Set(a).size === a.length, { error: 'must not name someone twice' });

/** A client-made id for the request, so that a retried post never lands twice. */
const RequestId = z.uuid({ error: 'must be a UUID made by the client for this post' });

export const CreateThreadBody = z.strictObject({
  anchor: ThreadAnchor,
  body: MessageBody,
  mentions: Mentions.default([]),
  requestId: RequestId,
});
export type CreateThreadBody = z.input<typeof CreateThreadBody>;

export const ReplyBody = z.strictObject({ body: MessageBody, mentions: Mentions.default([]), requestId: RequestId });
export type ReplyBody = z.input<typeof ReplyBody>;

export const EditMessageBody = z.strictObject({ body: MessageBody, mentions: Mentions.default([]) });
export type EditMessageBody = z.input<typeof EditMessageBody>;

export const THREAD_STATUSES = ['open', 'resolved'] as const;
export const ThreadStatusBody = z.strictObject({ status: z.enum(THREAD_STATUSES, { error: 'must be open or resolved' }) });

export const THREAD_FILTERS = ['all', 'open', 'resolved', 'mine', 'mentions'] as const;
export type ThreadFilter = (typeof THREAD_FILTERS)[number];
export const ListThreadsQuery = z.strictObject({
  /** open, resolved, mine (threads I wrote in), mentions (threads that mention me). */
  filter: z.enum(THREAD_FILTERS, { error: `must be one of: ${THREAD_FILTERS.join(', ')}` }).optional(),
});

export const ThreadParams = z.strictObject({ caseId: Id, threadId: Id });
export const MessageParams = z.strictObject({ caseId: Id, threadId: Id, messageId: Id });

export const MessageView = z.object({
  id: Id,
  threadId: Id,
  author: z.object({ id: Id, name: z.string() }),
  /** Empty once deleted: the message stays as a tombstone. */
  body: z.string(),
  mentions: z.array(z.object({ id: Id, name: z.string() })),
  createdAt: IsoDateTime,
  editedAt: IsoDateTime.nullable(),
  deletedAt: IsoDateTime.nullable(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ThreadView = z.object({
  id: Id,
  caseId: Id,
  anchor: ThreadAnchor,
  status: z.enum(THREAD_STATUSES),
  createdBy: z.object({ id: Id, name: z.string() }),
  createdAt: IsoDateTime,
  resolvedBy: z.object({ id: Id, name: z.string() }).nullable(),
  resolvedAt: IsoDateTime.nullable(),
  lastActivityAt: IsoDateTime,
  /**
   * Rises with every change to the thread or its messages (the latest of their times). A client
   * that gets two copies of a thread keeps the one with the higher revision.
   */
  revision: z.string(),
  /** Messages in server order: the first one opened the thread. */
  messages: z.array(MessageView),
});
export type ThreadView = z.infer<typeof ThreadView>;

export const ThreadResponse = z.object({ thread: ThreadView });
export const UnreadView = z.object({
  caseId: Id,
  /** The caller's unread messages on the case. */
  unread: z.number().int(),
  /** The same, per thread (threads with none are absent). */
  byThread: z.record(z.string(), z.number().int()),
});
export type UnreadView = z.infer<typeof UnreadView>;
export const ThreadListResponse = z.object({ threads: z.array(ThreadView), unread: UnreadView });
