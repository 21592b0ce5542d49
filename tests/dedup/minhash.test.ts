import { describe, expect, it } from 'vitest';
import { bandKeys, MinHasher } from '../../src/dedup/minhash.js';
import { tokenize } from '../../src/text/tokenize.js';
import { BASES, UNRELATED, text } from './fixtures.js';

/** Exact Jaccard similarity of the word 5-gram sets (folded as the hasher folds). */
function jaccard(a: string, b: string, n = 5): number {
  const grams = (t: string) => {
    const w = tokenize(t.normalize('NFD').replace(/\p{M}/gu, ''), { lower: true });
    const s = new Set<string>();
    for (let i = 0; i + n <= w.length; i++) s.add(w.slice(i, i + n).join(' '));
    return s;
  };
  const A = grams(a);
  const B = grams(b);
  let inter = 0;
  for (const g of A) if (B.has(g)) inter++;
  return inter / (A.size + B.size - inter);
}

function agreement(m: MinHasher, a: string, b: string): number {
  const sa = new Uint32Array(m.size);
  const sb = new Uint32Array(m.size);
  m.signature(a, sa);
  m.signature(b, sb);
  let same = 0;
  for (let i = 0; i < m.size; i++) if (sa[i] === sb[i]) same++;
  return same / m.size;
}

describe('MinHash signatures', () => {
  const base = BASES.conseil!;
  const pairs: [string, string][] = [
    [text(base), text(base.slice(0, 2))],
    [text(base), text([base[0]!, base[2]!])],
    [text(base), text(base.slice(1))],
    [text(base), text([...base, BASES.jardin![0]!])],
    [text(base), UNRELATED.velo!],
  ];

  for (const scheme of ['permutations', 'one-permutation'] as const) {
    it(`estimate the Jaccard similarity of word 5-grams (${scheme})`, () => {
      const m = new MinHasher({ scheme, bands: 32, rows: 8 });
      for (const [a, b] of pairs) expect(Math.abs(agreement(m, a, b) - jaccard(a, b))).toBeLessThan(0.12);
    });
  }

  it('are the same for the same text whatever its case, accents or typographic apostrophes', () => {
    const m = new MinHasher();
    expect(agreement(m, "L'été à Villers", 'l’ETE A VILLERS')).toBe(1);
  });

  it('depend on the seed, and a text without words has none', () => {
    const a = new Uint32Array(112);
    const b = new Uint32Array(112);
    new MinHasher({ seed: 1 }).signature(text(base), a);
    new MinHasher({ seed: 2 }).signature(text(base), b);
    expect(a).not.toEqual(b);
    expect(new MinHasher().signature(' … — ', a)).toBe(0);
  });

  it('give short texts (fewer words than the n-gram) a signature of their whole text', () => {
    const m = new MinHasher();
    expect(agreement(m, 'trois petits chats', 'Trois petits chats !')).toBe(1);
    expect(agreement(m, 'trois petits chats', 'trois petits chiens')).toBeLessThan(0.2);
  });

  it('band keys are equal exactly when the band rows are equal', () => {
    const sig = Uint32Array.from({ length: 16 }, (_, i) => i * 7919);
    const other = sig.slice();
    other[9] = 1;
    const ka = new Uint32Array(4);
    const kb = new Uint32Array(4);
    bandKeys(sig, 2, 8, ka);
    bandKeys(other, 2, 8, kb);
    expect([ka[0], ka[1]]).toEqual([kb[0], kb[1]]);
    expect([ka[2], ka[3]]).not.toEqual([kb[2], kb[3]]);
  });
});
