import type { Store } from './store/port.js';

export interface PersonRef {
  id: string;
  name: string;
}

/** Names for user ids, for presenters; an id with no account left shows as a former user. */
export async function namesOf(store: Store, ids: Iterable<string | null | undefined>): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set([...ids].filter((id): id is string => typeof id === 'string'))];
  const users = await store.users.findManyByIds(wanted);
  const names = new Map<string, PersonRef>(wanted.map((id) => [id, { id, name: 'Former user' }]));
  for (const u of users) names.set(u.id, { id: u.id, name: u.name });
  return names;
}
