/** A person who can be mentioned, or was. */
export interface Person {
  id: string;
  name: string;
}

/** The "@query" being typed just before the caret, if any: where its @ is and what follows it. */
export function mentionQuery(text: string, caret: number): { at: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  // An @ inside a word (an email address) does not start a mention.
  if (at > 0 && !/[\s([{"'“‘]/.test(before.charAt(at - 1))) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@]/.test(query) || /\s\s/.test(query) || query.startsWith(' ')) return null;
  return { at, query };
}

/** Team members whose name starts with the query, or has a word that does; at most eight. */
export function suggestions(people: Person[], query: string): Person[] {
  const q = query.toLocaleLowerCase();
  const hits = people.filter((p) => {
    const name = p.name.toLocaleLowerCase();
    return name.startsWith(q) || name.split(/\s+/).some((w) => w.startsWith(q));
  });
  return hits.slice(0, 8);
}

/** Replaces "@query" (from `at` to the caret) by "@Name " and says where the caret goes. */
export function insertMention(text: string, at: number, caret: number, person: Person): { text: string; caret: number } {
  const inserted = `@${person.name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, at) + inserted + after, caret: at + inserted.length };
}

/** The ids of the picked people whose "@Name" is still in the text, once each. */
export function mentionedIds(text: string, picked: Person[]): string[] {
  const ids: string[] = [];
  for (const p of picked) if (!ids.includes(p.id) && text.includes(`@${p.name}`)) ids.push(p.id);
  return ids;
}

/** Splits a message into plain text and "@Name" runs for the people it mentions. */
export function splitMentions(body: string, mentions: Person[]): { text: string; person?: Person }[] {
  if (mentions.length === 0) return [{ text: body }];
  const byName = new Map(mentions.map((p) => [`@${p.name}`, p]));
  const escaped = [...byName.keys()].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const parts: { text: string; person?: Person }[] = [];
  for (const piece of body.split(new RegExp(`(${escaped.join('|')})`, 'g'))) {
    if (!piece) continue;
    const person = byName.get(piece);
    parts.push(person ? { text: piece, person } : { text: piece });
  }
  return parts;
}
