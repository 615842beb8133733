import { randomUUID } from 'node:crypto';
import type { NotificationKind } from '../../shared/schemas/notifications.js';
import type { NotificationRecord, Store, UserRecord } from '../store/port.js';
import type { Clock } from './clock.js';
import { canSeeConference } from './conference-access.js';
import { notFound } from './errors.js';
import type { DomainEvents } from './events.js';

/** What happened, for whom: one notification per recipient. */
export interface NotificationRequest {
  kind: NotificationKind;
  caseId: string | null;
  threadId?: string | null;
  conferenceId?: string | null;
  occurrence?: string | null;
  actorId: string | null;
  recipients: string[];
}

/** The in-app notification list: mentions, replies in threads you took part in, being added to a case. */
export class NotificationService {
  constructor(
    private readonly store: Store,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  /**
   * Stores one notification unless it was stored before (its id is derived from what it is
   * about), and announces it only then: a reminder is sent once, also across restarts.
   */
  async notifyOnce(record: Omit<NotificationRecord, 'createdAt' | 'readAt'>): Promise<boolean> {
    const full: NotificationRecord = { ...record, createdAt: this.clock.now().toISOString(), readAt: null };
    if (!(await this.store.notifications.createOnce(full))) return false;
    this.events.emit('notificationsCreated', { notifications: [full] });
    return true;
  }

  /** Stores notifications and announces them, so online recipients get them at once. */
  async notify(request: NotificationRequest): Promise<void> {
    const recipients = [...new Set(request.recipients)].filter((id) => id !== request.actorId);
    if (recipients.length === 0) return;
    const at = this.clock.now().toISOString();
    const records: NotificationRecord[] = recipients.map((userId) => ({
      id: randomUUID(),
      userId,
      caseId: request.caseId,
      kind: request.kind,
      threadId: request.threadId ?? null,
      conferenceId: request.conferenceId ?? null,
      occurrence: request.occurrence ?? null,
      actorId: request.actorId,
      createdAt: at,
      readAt: null,
    }));
    await this.store.notifications.create(records);
    this.events.emit('notificationsCreated', { notifications: records });
  }

  /**
   * The user's notifications, newest first, leaving out cases they are no longer on (so a
   * removed member learns nothing new), with the unread count of what is shown.
   */
  async list(user: UserRecord, limit = 50): Promise<{ records: NotificationRecord[]; unread: number }> {
    const all = await this.store.notifications.listForUser(user.id, limit);
    const visible: NotificationRecord[] = [];
    const access = new Map<string, boolean>();
    const conferences = new Map<string, boolean>();
    for (const n of all) {
      if (n.caseId !== null) {
        if (!access.has(n.caseId)) access.set(n.caseId, (await this.store.memberships.find(n.caseId, user.id)) !== null);
        if (access.get(n.caseId)) visible.push(n);
      } else if (n.conferenceId !== null) {
        if (!conferences.has(n.conferenceId)) {
          const conference = await this.store.conferences.find(n.conferenceId);
          conferences.set(n.conferenceId, conference !== null && (await canSeeConference(this.store, conference, user.id)));
        }
        if (conferences.get(n.conferenceId)) visible.push(n);
      }
    }
    return { records: visible, unread: await this.store.notifications.countUnread(user.id) };
  }

  /** Marks one of the user's notifications read; answers their unread count. */
  async markRead(user: UserRecord, id: string): Promise<number> {
    if (!(await this.store.notifications.find(user.id, id))) throw notFound('That notification');
    await this.store.notifications.markRead(user.id, [id], this.clock.now().toISOString());
    this.events.emit('notificationsRead', { userId: user.id });
    return this.store.notifications.countUnread(user.id);
  }

  /** Someone left a case or was removed: its notifications stop counting on their bell. */
  async forgetCase(userId: string, caseId: string): Promise<void> {
    if ((await this.store.notifications.markRead(userId, { caseId }, this.clock.now().toISOString())) > 0) {
      this.events.emit('notificationsRead', { userId });
    }
  }

  /** Marks all the user's notifications read; answers the new count (zero). */
  async markAllRead(user: UserRecord): Promise<number> {
    await this.store.notifications.markRead(user.id, 'all', this.clock.now().toISOString());
    this.events.emit('notificationsRead', { userId: user.id });
    return 0;
  }
}
