import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { foldForDedup } from '../../src/text/fold.js';

/** The definition the fast fold must match (except the final-sigma rule of whole-string lower case). */
const reference = (text: string) => text.normalize('NFC').toLowerCase().replace(/[\s\p{P}\p{S}\p{N}]+/gu, ' ').trim();

describe('foldForDedup', () => {
  it('folds case, whitespace, punctuation, symbols and digits, and keeps accents', () => {
    expect(foldForDedup('  L’Été 2024, à la CÔTE !\n\n— 3 €  ')).toBe('l été à la côte');
    expect(foldForDedup('cote')).not.toBe(foldForDedup('côte'));
    expect(foldForDedup('cafe\u0301')).toBe(foldForDedup('café'));
    expect(foldForDedup('İstanbul 𝄞 𐐀')).toBe(reference('İstanbul 𝄞 𐐀'));
    expect(foldForDedup('')).toBe('');
  });

  it('matches the regular-expression definition on any text (property)', () => {
    const unit = fc.constantFrom(...'aÉé e\u0301 ,.;\n\t0９€’«»-İſŒœ𝄞𐐀\u00a0'.split(''), 'x', 'Z');
    fc.assert(fc.property(fc.string({ unit, maxLength: 60 }), (t) => {
      expect(foldForDedup(t)).toBe(reference(t));
    }), { numRuns: 500 });
  });

  it('handles texts longer than its buffer', () => {
    const long = 'Le Chat. '.repeat(5000);
    expect(foldForDedup(long)).toBe(reference(long));
  });
});
