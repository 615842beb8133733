import { randomUUID } from 'node:crypto';
import { anchorIsUnseen, resolveBriefAnchor } from '../../shared/anchors.js';
import type { CreateThreadBody, ThreadAnchor, ThreadFilter } from '../../shared/schemas/threads.js';
import { MAX_QUOTE_LENGTH } from '../../shared/schemas/threads.js';
import { UniqueViolation } from '../store/errors.js';
import type { MessageRecord, Store, ThreadRecord, UserRecord } from '../store/port.js';
import type { CaseAccess } from './access.js';
import type { AuditLog } from './audit.js';
import type { BriefDocuments } from './brief-access.js';
import type { Clock } from './clock.js';
import { conflict, forbidden, invalid, notFound } from './errors.js';
import type { DomainEvents } from './events.js';
import type { NotificationService } from './notifications.js';
import type { Sequence } from './sequence.js';

/** A thread with its messages in server order. */
export interface ThreadBundle {
  thread: ThreadRecord;
  messages: MessageRecord[];
}

interface PostInput {
  body: string;
  mentions: string[];
  requestId: string;
}

/** How long to wait for a brief edit that a new anchor refers to but the server has not seen yet. */
const ANCHOR_WAIT_MS = 2000;

/**
 * Comment threads on a case: anchored to a passage of the brief, the case, an evidence item
 * or an option; replies, edits, tombstones, resolve/reopen, mentions, unread counts.
 */
export class DiscussionService {
  constructor(
    private readonly store: Store,
    private readonly access: CaseAccess,
    private readonly audit: AuditLog,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
    private readonly briefs: BriefDocuments,
    private readonly notifications: NotificationService,
    private readonly sequence: Sequence,
  ) {}

  /** The case's threads, filtered, with the caller's unread count per thread. */
  async list(user: UserRecord, caseId: string, filter: ThreadFilter = 'all'): Promise<{ bundles: ThreadBundle[]; unreadByThread: Map<string, number> }> {
    await this.access.require(caseId, user.id, 'read');
    const [threads, messages, unreadByThread] = await Promise.all([
      this.store.threads.listByCase(caseId),
      this.store.messages.listByCase(caseId),
      this.store.unread.byThread(user.id, caseId),
    ]);
    const bundles = threads.map((thread) => ({ thread, messages: messages.filter((m) => m.threadId === thread.id) }));
    for (const id of unreadByThread.keys()) if (!threads.some((t) => t.id === id)) unreadByThread.delete(id);
    const keep = (b: ThreadBundle): boolean => {
      switch (filter) {
        case 'open':
        case 'resolved':
          return b.thread.status === filter;
        case 'mine':
          return b.thread.createdBy === user.id || b.messages.some((m) => m.authorId === user.id);
        case 'mentions':
          return b.messages.some((m) => !m.deletedAt && m.mentions.includes(user.id));
        default:
          return true;
      }
    };
    return { bundles: bundles.filter(keep), unreadByThread };
  }

  /** One thread, for a member of its case. */
  async get(user: UserRecord, caseId: string, threadId: string): Promise<ThreadBundle> {
    await this.access.require(caseId, user.id, 'read');
    return this.bundle(caseId, threadId);
  }

  /** Starts a thread with its first message. A retried request returns the thread it made. */
  async createThread(user: UserRecord, caseId: string, input: Required<CreateThreadBody>): Promise<{ bundle: ThreadBundle; created: boolean }> {
    await this.access.require(caseId, user.id, 'comment');
    const repeat = { body: input.body, opensThread: true };
    const earlier = await this.store.messages.findByRequest(user.id, input.requestId);
    if (earlier) return { bundle: await this.replayed(caseId, earlier, repeat), created: false };
    await this.checkMentions(caseId, input.mentions);
    const anchor = await this.checkAnchor(caseId, input.anchor);

    const now = this.clock.now().toISOString();
    const thread: ThreadRecord = {
      id: randomUUID(), caseId, anchor, status: 'open', createdBy: user.id, createdAt: now,
      resolvedBy: null, resolvedAt: null, deletedAt: null, lastActivityAt: now,
    };
    await this.store.threads.create(thread);
    let message: MessageRecord;
    try {
      message = await this.insertMessage(user, thread, input, now);
    } catch (err) {
      await this.store.threads.delete(caseId, thread.id);
      if (err instanceof UniqueViolation) {
        const raced = await this.store.messages.findByRequest(user.id, input.requestId);
        if (raced) return { bundle: await this.replayed(caseId, raced, repeat), created: false };
      }
      throw err;
    }
    await this.audit.record(caseId, user.id, 'thread.created', { target: thread.id, fields: [`anchor:${anchor.kind}`] });
    await this.afterPost(user, thread, message, 'thread');
    return { bundle: { thread, messages: [message] }, created: true };
  }

  /** Adds a reply. A retried request returns the thread without posting twice. */
  async reply(user: UserRecord, caseId: string, threadId: string, input: PostInput): Promise<{ bundle: ThreadBundle; created: boolean }> {
    await this.access.require(caseId, user.id, 'comment');
    const repeat = { threadId, body: input.body, opensThread: false };
    const earlier = await this.store.messages.findByRequest(user.id, input.requestId);
    if (earlier) return { bundle: await this.replayed(caseId, earlier, repeat), created: false };
    const thread = await this.store.threads.find(caseId, threadId);
    if (!thread) throw notFound('That thread');
    await this.checkMentions(caseId, input.mentions);
    const now = this.clock.now().toISOString();
    let message: MessageRecord;
    try {
      message = await this.insertMessage(user, thread, input, now);
    } catch (err) {
      const raced = err instanceof UniqueViolation ? await this.store.messages.findByRequest(user.id, input.requestId) : null;
      if (raced) return { bundle: await this.replayed(caseId, raced, repeat), created: false };
      throw err;
    }
    await this.store.threads.update(caseId, threadId, { lastActivityAt: now });
    await this.audit.record(caseId, user.id, 'message.posted', { target: thread.id });
    await this.afterPost(user, thread, message, 'reply');
    return { bundle: await this.bundle(caseId, threadId), created: true };
  }

  /** Edits one's own message; people newly mentioned are notified. */
  async editMessage(user: UserRecord, caseId: string, threadId: string, messageId: string, input: { body: string; mentions: string[] }): Promise<ThreadBundle> {
    const message = await this.ownMessage(user, caseId, threadId, messageId, 'edit');
    await this.checkMentions(caseId, input.mentions);
    await this.store.messages.update(caseId, message.id, { body: input.body, mentions: input.mentions, editedAt: this.clock.now().toISOString() });
    await this.audit.record(caseId, user.id, 'message.edited', { target: threadId, fields: ['body'] });
    const added = input.mentions.filter((id) => !message.mentions.includes(id));
    await this.notifications.notify({ kind: 'mention', caseId, threadId, actorId: user.id, recipients: added });
    this.events.emit('threadChanged', { caseId, threadId });
    return this.bundle(caseId, threadId);
  }

  /** Deletes one's own message, leaving a tombstone in its place. */
  async deleteMessage(user: UserRecord, caseId: string, threadId: string, messageId: string): Promise<ThreadBundle> {
    const message = await this.ownMessage(user, caseId, threadId, messageId, 'delete');
    await this.store.messages.update(caseId, message.id, { body: '', mentions: [], deletedAt: this.clock.now().toISOString() });
    await this.audit.record(caseId, user.id, 'message.deleted', { target: threadId });
    this.events.emit('threadChanged', { caseId, threadId });
    return this.bundle(caseId, threadId);
  }

  /** Resolves or reopens a thread (anyone who may comment). */
  async setStatus(user: UserRecord, caseId: string, threadId: string, status: 'open' | 'resolved'): Promise<ThreadBundle> {
    await this.access.require(caseId, user.id, 'comment');
    const thread = await this.store.threads.find(caseId, threadId);
    if (!thread) throw notFound('That thread');
    if (thread.status !== status) {
      const now = this.clock.now().toISOString();
      await this.store.threads.update(caseId, threadId, status === 'resolved'
        ? { status, resolvedBy: user.id, resolvedAt: now, lastActivityAt: now }
        : { status, resolvedBy: null, resolvedAt: null, lastActivityAt: now });
      await this.audit.record(caseId, user.id, status === 'resolved' ? 'thread.resolved' : 'thread.reopened', { target: threadId });
      this.events.emit('threadChanged', { caseId, threadId });
    }
    return this.bundle(caseId, threadId);
  }

  /** Deletes a whole thread: its creator while nobody else has written in it, or an owner. */
  async deleteThread(user: UserRecord, caseId: string, threadId: string): Promise<void> {
    const { membership } = await this.access.require(caseId, user.id, 'comment');
    const { thread, messages } = await this.bundle(caseId, threadId);
    const onlyMine = thread.createdBy === user.id && messages.every((m) => m.authorId === user.id);
    if (!onlyMine && membership.role !== 'owner') throw forbidden('Only an owner can delete a thread that others have written in.');
    await this.store.threads.update(caseId, threadId, { deletedAt: this.clock.now().toISOString() });
    await this.store.unread.clearThread(threadId);
    await this.audit.record(caseId, user.id, 'thread.deleted', { target: threadId });
    this.events.emit('threadChanged', { caseId, threadId });
    this.events.emit('unreadChanged', { caseId, userIds: (await this.store.memberships.listByCase(caseId)).map((m) => m.userId) });
  }

  /** Marks a thread read for the user; answers their unread counts on the case, per thread. */
  async markRead(user: UserRecord, caseId: string, threadId: string): Promise<Map<string, number>> {
    await this.access.require(caseId, user.id, 'read');
    if (!(await this.store.threads.find(caseId, threadId))) throw notFound('That thread');
    await this.store.unread.clear(user.id, threadId);
    this.events.emit('unreadChanged', { caseId, userIds: [user.id] });
    return this.store.unread.byThread(user.id, caseId);
  }

  /** A thread with its messages, or not-found (deleted, or of another case). */
  async bundle(caseId: string, threadId: string): Promise<ThreadBundle> {
    const thread = await this.store.threads.find(caseId, threadId);
    if (!thread) throw notFound('That thread');
    return { thread, messages: await this.store.messages.listByThread(caseId, threadId) };
  }

  /**
   * The answer to a repeated request id: the thread it made, when the repeat asks for the same
   * thing. The same id with other content is a client bug, and answering the old post as if the
   * new one had landed would hide it.
   */
  private async replayed(caseId: string, earlier: MessageRecord, repeat: { threadId?: string; body: string; opensThread: boolean }): Promise<ThreadBundle> {
    if (earlier.caseId !== caseId) throw conflict('That request id was already used for a different post.', { requestId: 'was already used for a different post' });
    const bundle = await this.bundle(caseId, earlier.threadId); // not found once the thread was deleted
    const opened = bundle.messages[0]?.id === earlier.id;
    const same = earlier.body === repeat.body && (repeat.opensThread ? opened : !opened && earlier.threadId === repeat.threadId);
    if (!same) throw conflict('That request id was already used for a different post.', { requestId: 'was already used for a different post' });
    return bundle;
  }

  private async insertMessage(user: UserRecord, thread: ThreadRecord, input: PostInput, now: string): Promise<MessageRecord> {
    const message: MessageRecord = {
      id: randomUUID(), caseId: thread.caseId, threadId: thread.id, authorId: user.id, body: input.body, mentions: input.mentions,
      seq: this.sequence.next(this.clock.now()), requestId: input.requestId, createdAt: now, editedAt: null, deletedAt: null,
    };
    await this.store.messages.create(message);
    return message;
  }

  /** Unread counts for everyone else on the team, notifications for those mentioned or taking part. */
  private async afterPost(user: UserRecord, thread: ThreadRecord, message: MessageRecord, what: 'thread' | 'reply'): Promise<void> {
    const team = (await this.store.memberships.listByCase(thread.caseId)).map((m) => m.userId).filter((id) => id !== user.id);
    await this.store.unread.add(thread.caseId, thread.id, team);
    // A delete that raced this post has cleared the counts already: clear what we just added.
    if (!(await this.store.threads.find(thread.caseId, thread.id))) await this.store.unread.clearThread(thread.id);
    await this.notifications.notify({ kind: 'mention', caseId: thread.caseId, threadId: thread.id, actorId: user.id, recipients: message.mentions });
    if (what === 'reply') {
      const messages = await this.store.messages.listByThread(thread.caseId, thread.id);
      const participants = new Set([thread.createdBy, ...messages.map((m) => m.authorId)]);
      const recipients = [...participants].filter((id) => !message.mentions.includes(id) && team.includes(id));
      await this.notifications.notify({ kind: 'reply', caseId: thread.caseId, threadId: thread.id, actorId: user.id, recipients });
    }
    this.events.emit('threadChanged', { caseId: thread.caseId, threadId: thread.id });
    this.events.emit('unreadChanged', { caseId: thread.caseId, userIds: team });
  }

  private async ownMessage(user: UserRecord, caseId: string, threadId: string, messageId: string, verb: string): Promise<MessageRecord> {
    await this.access.require(caseId, user.id, 'comment');
    if (!(await this.store.threads.find(caseId, threadId))) throw notFound('That thread');
    const message = await this.store.messages.find(caseId, messageId);
    if (!message || message.threadId !== threadId) throw notFound('That message');
    if (message.authorId !== user.id) throw forbidden(`You can only ${verb} your own messages.`);
    if (message.deletedAt) throw notFound('That message');
    return message;
  }

  private async checkMentions(caseId: string, mentions: string[]): Promise<void> {
    if (mentions.length === 0) return;
    const team = new Set((await this.store.memberships.listByCase(caseId)).map((m) => m.userId));
    const strangers = mentions.filter((id) => !team.has(id));
    if (strangers.length > 0) {
      throw invalid('You can only mention people on this case\'s team.', { mentions: `names ${strangers.length === 1 ? 'someone who is' : `${strangers.length} people who are`} not on this case's team` });
    }
  }

  /** Checks that an anchor points at something in this case; a brief quote is taken from the brief itself. */
  private async checkAnchor(caseId: string, anchor: ThreadAnchor): Promise<ThreadAnchor> {
    switch (anchor.kind) {
      case 'case':
        return anchor;
      case 'evidence':
        if (!(await this.store.evidence.find(caseId, anchor.evidenceId))) {
          throw invalid('That evidence item is not in this case.', { 'anchor.evidenceId': 'is not an evidence item of this case' });
        }
        return anchor;
      case 'option':
        if (!(await this.store.options.find(caseId, anchor.optionId))) {
          throw invalid('That option is not in this case.', { 'anchor.optionId': 'is not an option of this case' });
        }
        return anchor;
      case 'brief': {
        // Wait only while the anchor names content the server has not received yet.
        const answer = await this.briefs.inspect(caseId, (doc) => {
          if (anchorIsUnseen(doc, anchor)) return null;
          const resolved = resolveBriefAnchor(doc, anchor);
          return { passage: resolved && !resolved.detached ? resolved : null };
        }, ANCHOR_WAIT_MS);
        const passage = answer?.passage;
        if (!passage) {
          throw invalid('The selected passage is not in the brief (it may have been deleted). Select the text again.', {
            'anchor.start': 'does not point to a passage of this brief',
          });
        }
        return { ...anchor, quote: passage.text.trim().slice(0, MAX_QUOTE_LENGTH) };
      }
    }
  }
}
