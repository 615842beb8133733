import { describe, expect, it } from 'vitest';
import { PATIENT_GRADE_LIMIT, readingLevel, syllables } from '../../shared/readability.js';

describe('reading level (Flesch-Kincaid grade)', () => {
  it('counts syllables of common and clinical words', () => {
    const words: [string, number][] = [
      ['the', 1], ['cat', 1], ['table', 2], ['treatment', 2], ['because', 2], ['medicine', 3], ['hospital', 3],
      ['insurance', 3], ['recommended', 4], ['chemotherapy', 5], ['immunotherapy', 6], ['stopped', 1], ['wanted', 2],
      ['decided', 3], ['going', 2], ['idea', 3], ['create', 2], ['doctor', 2], ['makes', 1],
    ];
    for (const [w, n] of words) expect(syllables(w), w).toBe(n);
  });

  // Expected grades worked out by hand from the formula with dictionary syllable counts:
  // 0.39 × words/sentences + 11.8 × syllables/words − 15.59.
  it.each([
    // 6 words, 1 sentence, 6 syllables: 2.34 + 11.8 − 15.59
    ['The cat sat on the mat.', -1.4],
    // 24 words, 3 sentences, 38 syllables: 3.12 + 18.68 − 15.59
    ['Your doctors recommend a medicine called pembrolizumab. It helps your immune system fight the cancer. You get it through a drip every three weeks.', 6.2],
    // 22 words, 1 sentence, 53 syllables: 8.58 + 28.43 − 15.59
    ['The multidisciplinary team recommended second-line immunotherapy because progression occurred after platinum-based chemotherapy and the tumour expresses programmed death-ligand one.', 21.4],
  ])('grades %j at about %d', (text, grade) => {
    expect(Math.abs(readingLevel(text).grade - grade)).toBeLessThanOrEqual(0.6);
  });

  it('puts plain patient language at or under the limit and clinical prose above it', () => {
    expect(readingLevel('We will call you next week. Bring your pill list to the visit.').grade).toBeLessThanOrEqual(PATIENT_GRADE_LIMIT);
    expect(readingLevel('Pembrolizumab demonstrated statistically significant improvements in progression-free survival compared with platinum-based chemotherapy.').grade).toBeGreaterThan(PATIENT_GRADE_LIMIT);
  });

  it('answers zero for text without words, and counts a line without a full stop as a sentence', () => {
    expect(readingLevel('')).toEqual({ grade: 0, words: 0, sentences: 0, syllables: 0 });
    expect(readingLevel('12 / 34 — %').grade).toBe(0);
    expect(readingLevel('What happens next\nWe call you').sentences).toBe(2);
    // Abbreviations do not end sentences (which would make text look easier than it is).
    expect(readingLevel('Dr. Okafor will see you, e.g. on Monday. Bring your pills.').sentences).toBe(2);
    expect(syllables('reach')).toBe(1);
  });
});
