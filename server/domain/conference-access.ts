import type { ConferenceRecord, Store } from '../store/port.js';

/**
 * Who sees a conference: its organizer and invitees, and the members of any case on its agenda
 * (who then see only the cases they are on). Used by the conference service, notifications
 * and the socket room alike.
 */
export async function canSeeConference(store: Store, conference: ConferenceRecord, userId: string): Promise<boolean> {
  if (conference.peopleIds.includes(userId)) return true;
  for (const caseId of conference.caseIds) {
    if (await store.memberships.find(caseId, userId)) return true;
  }
  return false;
}
