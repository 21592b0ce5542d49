import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { duplicatedNgramChars, topNgramChars } from '../../src/filters/repetition.js';
import { readWords, type Words } from '../../src/filters/words.js';

/**
 * The n-gram counts of the repetition filter run on a typed-array hash table; these are the
 * plain Map/Set versions it replaced (with the same 30-bit n-gram keys), kept as the reference
 * the fast ones must agree with on every text.
 */
function ngramKey(h: Uint32Array, start: number, n: number): number {
  let a = 0x9e3779b1 ^ n;
  for (let i = start; i < start + n; i++) a = Math.imul(a ^ h[i]!, 0x01000193) ^ (a >>> 13);
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  return (a ^ (a >>> 13)) & 0x3fffffff;
}

function referenceTop(words: Words, n: number): number {
  if (words.count < n) return 0;
  const counts = new Map<number, number>();
  let bestCount = 0;
  let bestStart = 0;
  for (let i = 0; i + n <= words.count; i++) {
    const k = ngramKey(words.hashes, i, n);
    const c = (counts.get(k) ?? 0) + 1;
    counts.set(k, c);
    if (c > bestCount) [bestCount, bestStart] = [c, i];
  }
  let chars = n - 1;
  for (let i = bestStart; i < bestStart + n; i++) chars += words.lengths[i]!;
  return chars * bestCount;
}

function referenceDuplicated(words: Words, n: number): number {
  const seen = new Set<number>();
  let chars = 0;
  let i = 0;
  while (i + n <= words.count) {
    const k = ngramKey(words.hashes, i, n);
    if (seen.has(k)) {
      for (let j = i; j < i + n; j++) chars += words.lengths[j]!;
      i += n;
    } else {
      seen.add(k);
      i++;
    }
  }
  return chars;
}

// Few distinct words, so that random texts repeat n-grams often.
const VOCABULARY = ['le', 'chat', "l'", 'homme', 'de', 'la', 'maison', 'est', 'grand', '42', 'et', 'très', 'petit', 'jour'];
const text = fc
  .array(fc.tuple(fc.constantFrom(...VOCABULARY), fc.constantFrom(' ', ' ', ' ', '\n', '\n\n', ', ')), { maxLength: 3000 })
  .map((ws) => ws.map(([w, sep]) => w + sep).join(''));

describe('repetition n-gram counts', () => {
  it('agree with the plain Map/Set counting on random texts, for every n the filter uses', () => {
    fc.assert(
      fc.property(text, (t) => {
        const words = readWords(t);
        for (let n = 2; n <= 10; n++) {
          expect(topNgramChars(words, n)).toBe(referenceTop(words, n));
          expect(duplicatedNgramChars(words, n)).toBe(referenceDuplicated(words, n));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('start afresh for each text: a count never leaks from the previous document', () => {
    const repeated = 'le chat est grand '.repeat(50);
    const words1 = readWords(repeated);
    expect(duplicatedNgramChars(words1, 5)).toBeGreaterThan(0);
    const once = 'le chat est grand et la maison très petite de jour';
    const words2 = readWords(once);
    expect(duplicatedNgramChars(words2, 5)).toBe(0);
    expect(topNgramChars(words2, 2)).toBe('le chat'.length);
  });
});
