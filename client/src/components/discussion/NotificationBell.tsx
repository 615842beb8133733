import { useEffect, useRef, useState } from 'react';
import type { NotificationView } from '../../../../shared/schemas/notifications.js';
import { formatInZone, zoneLabel } from '../../../../shared/time.js';
import { useAuth } from '../../lib/auth.js';
import { viewerTimeZone } from '../../lib/conferenceTime.js';
import { fullTime, relativeTime } from '../../lib/format.js';
import { navigate } from '../../lib/router.js';
import { useNotifications } from './useNotifications.js';

const VERB: Record<NotificationView['kind'], string> = {
  mention: 'mentioned you',
  reply: 'replied in a thread you took part in',
  added_to_case: 'added you to the case',
  follow_up_due: 'asks: was the recommendation carried out?',
  conference_invited: 'invited you to a conference',
  poll_invited: 'asks when you can meet',
  conference_scheduled: 'picked the time of a conference',
  conference_changed: 'changed a conference',
  conference_cancelled: 'cancelled a conference',
  conference_reminder: 'starts soon',
};

/** Where a notification leads: the conference, the thread it is about, or the case. */
function target(n: NotificationView): string {
  if (n.conference) return `/conferences/${encodeURIComponent(n.conference.id)}`;
  if (!n.caseId) return '/cases';
  const path = `/cases/${encodeURIComponent(n.caseId)}`;
  return n.threadId ? `${path}?thread=${encodeURIComponent(n.threadId)}` : path;
}

/** The line under the sentence: the case, or the conference (with the meeting's time for a reminder). */
function subject(n: NotificationView): string {
  if (n.conference) {
    const zone = viewerTimeZone();
    const when = n.occurrence ? `, ${formatInZone(n.occurrence, zone)} ${zoneLabel(n.occurrence, zone)}` : '';
    return `${n.conference.title}${when}`;
  }
  return n.caseTitle ?? '';
}

/**
 * The bell in the top bar: the unread count, and a list of mentions, replies, invitations to
 * cases and conferences, and conference reminders. Opening one marks it read and goes to its
 * thread, case or conference; "Mark all read" clears the count.
 */
export function NotificationBell() {
  const { handleError } = useAuth();
  const { list, unread, markRead, markAllRead, reload } = useNotifications(handleError);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  const go = (n: NotificationView) => {
    if (!n.readAt) void markRead(n.id);
    setOpen(false);
    navigate(target(n));
  };

  return (
    <div className="bell" ref={root} onKeyDown={(e) => e.key === 'Escape' && open && close()}>
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-label={`Notifications, ${unread} unread`}
        aria-expanded={open}
        aria-controls="notifications-panel"
        onClick={() => {
          if (!open) reload();
          setOpen(!open);
        }}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path d="M12 3a6 6 0 0 0-6 6v3.6l-1.6 2.7A1 1 0 0 0 5.3 17h13.4a1 1 0 0 0 .9-1.7L18 12.6V9a6 6 0 0 0-6-6Zm0 19a3 3 0 0 0 2.8-2H9.2a3 3 0 0 0 2.8 2Z" fill="currentColor" />
        </svg>
        {unread > 0 && (
          <span className="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      <div id="notifications-panel" className="bell-panel" hidden={!open} role="region" aria-label="Notifications">
        <div className="bell-head">
          <h2>Notifications</h2>
          <button type="button" className="btn ghost small" disabled={unread === 0} onClick={() => void markAllRead()}>
            Mark all read
          </button>
        </div>
        {!list ? (
          <p className="muted bell-empty">Loading…</p>
        ) : list.length === 0 ? (
          <p className="muted bell-empty">Nothing yet. You will see here when someone mentions you, replies to you, adds you to a case, or invites you to a conference.</p>
        ) : (
          <ul className="bell-list">
            {list.map((n) => (
              <li key={n.id}>
                <button type="button" className={`notif${n.readAt ? '' : ' is-unread'}`} onClick={() => go(n)}>
                  <span className="notif-text">
                    {!n.readAt && <span className="visually-hidden">Unread: </span>}
                    {n.kind === 'conference_reminder' ? (
                      <>
                        <strong>Reminder:</strong> your conference {VERB[n.kind]}
                      </>
                    ) : (
                      <>
                        <strong>{n.actor?.name ?? 'Someone'}</strong> {VERB[n.kind]}
                      </>
                    )}
                  </span>
                  <span className="notif-case">{subject(n)}</span>
                  <time className="notif-time" dateTime={n.createdAt} title={fullTime(n.createdAt)}>
                    {relativeTime(n.createdAt)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
