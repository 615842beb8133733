import type { ThreadFilter, ThreadView } from '../../../../shared/schemas/threads.js';

/** The filter buttons, in order, with their labels. */
export const FILTERS: { id: ThreadFilter; label: string; empty: string }[] = [
  { id: 'all', label: 'All', empty: 'No comments yet.' },
  { id: 'open', label: 'Open', empty: 'No open threads.' },
  { id: 'resolved', label: 'Resolved', empty: 'No resolved threads.' },
  { id: 'mine', label: 'Mine', empty: 'You have not written in any thread yet.' },
  { id: 'mentions', label: 'Mentioning me', empty: 'Nobody has mentioned you yet.' },
];

/**
 * Whether a thread passes a filter, by the same rules as the server's ?filter= (mine: I
 * started it or wrote in it; mentions: a message that was not deleted names me). Applied
 * here so that live changes re-filter without another request.
 */
export function matchesFilter(filter: ThreadFilter, t: ThreadView, meId: string): boolean {
  switch (filter) {
    case 'open':
    case 'resolved':
      return t.status === filter;
    case 'mine':
      return t.createdBy.id === meId || t.messages.some((m) => m.author.id === meId);
    case 'mentions':
      return t.messages.some((m) => !m.deletedAt && m.mentions.some((p) => p.id === meId));
    default:
      return true;
  }
}

/** Most recent activity first. */
export function byActivity(a: ThreadView, b: ThreadView): number {
  return Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt);
}
