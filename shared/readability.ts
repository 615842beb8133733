/**
 * Reading level of English text: the Flesch-Kincaid grade,
 *   0.39 × (words / sentences) + 11.8 × (syllables / words) − 15.59,
 * with syllables counted by vowel groups and the usual English corrections. Used by the server
 * and, live, by the client while the author edits a patient summary. Patient materials should
 * read at grade 8 or below (most health-literacy guidance asks for grade 6 to 8).
 */

/** Above this grade the author is warned. */
export const PATIENT_GRADE_LIMIT = 8;

export interface ReadingLevel {
  /** Flesch-Kincaid grade, rounded to one decimal; 0 for text without words. */
  grade: number;
  words: number;
  sentences: number;
  syllables: number;
}

const WORD = /[A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)*/g;

/** Syllables in one English word: vowel groups, less a silent final e, at least one. */
export function syllables(word: string): number {
  let w = word.toLowerCase().replace(/['’]/g, '');
  if (w.length <= 3) return 1;
  // Silent endings: "-es", "-ed" (except after t/d), a lone final "e" (but not "-le").
  w = w.replace(/(?:[^laeiouy]es|[^laeiouy]e)$/, (m) => m[0]!).replace(/([^td])ed$/, '$1');
  w = w.replace(/^y/, '');
  const groups = w.match(/[aeiouy]+/g);
  let count = groups ? groups.length : 0;
  // Vowel pairs that are two syllables: go-ing, i-de-a, cre-ate, di-al (but so-cial, na-tion).
  if (/[aeiouy]ing$/.test(w)) count++;
  if (/[^ct]ia/.test(w) || /^ia/.test(w)) count++;
  if (/ea$/.test(w) || /^crea|^rea(?:ct|l(?!m))/.test(w)) count++;
  return Math.max(1, count);
}

/** The number of sentences: runs ending in . ! ? or a line break, at least one for any words. */
function sentenceCount(text: string): number {
  // The full stops of common abbreviations ("Dr.", "e.g.") do not end a sentence.
  const parts = text
    .replace(/\b(?:Dr|Mr|Mrs|Ms|Prof|St|vs|etc|approx|e\.g|i\.e)\./gi, (m) => m.replace(/\./g, ''))
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z]/.test(s));
  return parts.length;
}

export function readingLevel(text: string): ReadingLevel {
  const words = text.match(WORD) ?? [];
  if (words.length === 0) return { grade: 0, words: 0, sentences: 0, syllables: 0 };
  const sentences = Math.max(1, sentenceCount(text));
  const syl = words.reduce((sum, w) => sum + syllables(w), 0);
  const grade = 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
  return { grade: Math.round(grade * 10) / 10, words: words.length, sentences, syllables: syl };
}
