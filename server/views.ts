/**
 * Views that need a lookup before presenting (people's names, case titles). Routes and socket
 * pushes both use these, so a thread or a notification reads the same wherever it is sent.
 */
import type { NotificationView } from '../shared/schemas/notifications.js';
import type { ThreadView } from '../shared/schemas/threads.js';
import type { RoundView } from '../shared/schemas/rounds.js';
import type { RoundBundle } from './domain/decisions.js';
import type { ThreadBundle } from './domain/discussion.js';
import { namesOf } from './people.js';
import { presentNotification, presentRound, presentThread, threadPeople } from './presenters.js';
import type { NotificationRecord, Store } from './store/port.js';

/** Threads with their people's names. */
export async function threadViews(store: Store, bundles: ThreadBundle[]): Promise<ThreadView[]> {
  const names = await namesOf(store, threadPeople(bundles));
  return bundles.map((b) => presentThread(b, names));
}

/** One thread with its people's names. */
export async function threadView(store: Store, bundle: ThreadBundle): Promise<ThreadView> {
  return (await threadViews(store, [bundle]))[0]!;
}

/** Rounds as one member sees them, with names and option titles. */
export async function roundViews(store: Store, viewerId: string, bundles: RoundBundle[]): Promise<RoundView[]> {
  if (bundles.length === 0) return [];
  const caseId = bundles[0]!.round.caseId;
  const titles = new Map((await store.options.list(caseId)).map((o) => [o.id, o.data.title]));
  const followUps = await store.followUps.list(caseId);
  const names = await namesOf(store, [
    ...bundles.flatMap(({ round, ballots }) => [round.openedBy, round.closedBy, round.recommendation?.writtenBy, ...ballots.map((b) => b.voterId)]),
    ...followUps.map((f) => f.createdBy),
  ]);
  return bundles.map((b) => presentRound(b, viewerId, names, titles, followUps));
}

/** Notifications with their cases' titles and their actors' names. */
export async function notificationViews(store: Store, records: NotificationRecord[]): Promise<NotificationView[]> {
  const caseIds = [...new Set(records.flatMap((n) => (n.caseId ? [n.caseId] : [])))];
  const cases = await Promise.all(caseIds.map((id) => store.cases.findById(id)));
  const titles = new Map(cases.flatMap((c) => (c ? [[c.id, c.title] as const] : [])));
  const conferenceIds = [...new Set(records.flatMap((n) => (n.conferenceId ? [n.conferenceId] : [])))];
  const conferences = await Promise.all(conferenceIds.map((id) => store.conferences.find(id)));
  const conferenceTitles = new Map(conferences.flatMap((c) => (c ? [[c.id, c.title] as const] : [])));
  const names = await namesOf(store, records.map((n) => n.actorId));
  return records.map((n) => presentNotification(n, titles, conferenceTitles, names));
}
