import { readFileSync } from 'node:fs';

/**
 * What a new password must not be, beyond its length (10–200 characters, checked by the shared
 * schema): a common password (the list shipped in common-passwords.txt, lowercased), one
 * character repeated, a run of the keyboard or the alphabet, or the person's own email or name.
 * Answers the reason, for the `password` field, or null when the password is acceptable.
 */
const COMMON = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#')),
);

const RUNS = ['abcdefghijklmnopqrstuvwxyz', '01234567890', 'qwertyuiopasdfghjklzxcvbnm', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p'];

function isRun(p: string): boolean {
  for (const run of RUNS) {
    const both = run + [...run].reverse().join('');
    if (both.includes(p)) return true;
  }
  return false;
}

export function passwordProblem(password: string, person: { email: string; name: string }): string | null {
  const lower = password.normalize('NFKC').toLowerCase();
  const squeezed = lower.replace(/\s+/g, '');
  if (COMMON.has(lower) || COMMON.has(squeezed)) return 'is one of the most common passwords; choose another';
  if (new Set(squeezed).size <= 2) return 'repeats too few characters; choose another';
  if (isRun(squeezed)) return 'is a run of the keyboard or the alphabet; choose another';
  const local = person.email.split('@')[0]!.toLowerCase();
  if (local.length >= 4 && squeezed.includes(local)) return 'must not contain your email address';
  const name = person.name.toLowerCase().replace(/\s+/g, '');
  if (name.length >= 4 && squeezed.includes(name)) return 'must not contain your name';
  return null;
}
