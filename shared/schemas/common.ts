import { z } from 'zod';

/** Ids are UUIDs; anything else is refused before it reaches a store. */
export const Id = z.uuid({ error: 'must be an id (a UUID)' });

// Control characters other than tab and line breaks have no place in clinical text, nor do
// bidirectional overrides, which can make text read differently from what it says.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069]/;

/** Refuses control characters and bidirectional overrides in text. */
export function plainText<S extends z.ZodString>(schema: S) {
  return schema.refine((s) => !CONTROL.test(s), { error: 'must not contain control characters' });
}

/** Trimmed text with a length range, refusing objects and numbers with a plain message. */
export function text(min: number, max: number, what = 'text') {
  return plainText(
    z
      .string({ error: `must be ${what}` })
      .trim()
      .min(min, { error: min <= 1 ? 'is required' : `must be at least ${min} characters` })
      .max(max, { error: `must be at most ${max} characters` }),
  );
}

/** Optional free text that may also be empty. */
export function optionalText(max: number) {
  return plainText(z.string({ error: 'must be text' }).trim().max(max, { error: `must be at most ${max} characters` }));
}

export const IsoDateTime = z.iso.datetime({ error: 'must be an ISO 8601 date-time' });

/** A calendar date, YYYY-MM-DD, that exists. */
export const IsoDate = z.iso.date({ error: 'must be a date (YYYY-MM-DD)' });

/** An optional calendar date: null clears it. */
export const OptionalDate = IsoDate.nullable();
