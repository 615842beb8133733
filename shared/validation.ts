import type { z } from 'zod';

/**
 * Turns a zod error into one message per field, keyed by dot-separated path. Used by the
 * server to answer 400s and by the client's forms to show the message next to the field.
 * `root` names the whole value (for example "body") when the error is about it as a whole.
 */
export function fieldErrors(error: z.ZodError, root = 'body'): Record<string, string> {
  // No prototype: a field literally named "__proto__" must be reported, not swallowed.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const issue of error.issues) {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = base ? `${base}.${key}` : key;
        fields[name] ??= 'is not a known field';
      }
      continue;
    }
    const name = base || root;
    // A body (or payload) that is not an object at all: say so plainly, not in zod's words.
    const notObject = issue.code === 'invalid_type' && issue.path.length === 0 && issue.expected === 'object';
    fields[name] ??= notObject ? 'must be a JSON object' : issue.message;
  }
  return fields;
}

/** One sentence naming the fields at fault, for the top of an error answer. */
export function summarizeFieldErrors(fields: Record<string, string>): string {
  const parts = Object.entries(fields).map(([name, msg]) => `${name} ${msg}`);
  if (parts.length === 0) return 'The request is not valid.';
  return `Please correct: ${parts.slice(0, 3).join('; ')}${parts.length > 3 ? `; and ${parts.length - 3} more` : ''}.`;
}
