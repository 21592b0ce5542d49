import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countTokens, hashTokens, tokenize, TokenHashes } from '../../src/text/tokenize.js';

describe('tokenize (French words)', () => {
  it('splits elided articles and pronouns off the next word', () => {
    expect(tokenize("L'homme qu'il voit n'est pas d'ici ; j'arrive, lorsqu'elle part jusqu'à Paris.")).toEqual([
      "L'", 'homme', "qu'", 'il', 'voit', "n'", 'est', 'pas', "d'", 'ici', "j'", 'arrive', "lorsqu'", 'elle', 'part', "jusqu'", 'à', 'Paris',
    ]);
  });

  it('treats typographic apostrophes as apostrophes and writes them plainly', () => {
    expect(tokenize('l’école d’été')).toEqual(["l'", 'école', "d'", 'été']);
  });

  it('keeps apostrophes inside words that are not elisions', () => {
    expect(tokenize("Aujourd'hui, les prud’hommes siègent.")).toEqual(["Aujourd'hui", 'les', "prud'hommes", 'siègent']);
  });

  it('keeps hyphenated words whole but not dangling hyphens or dashes', () => {
    expect(tokenize('Peut-être a-t-il vu l’arc-en-ciel - ou pas -- non-')).toEqual([
      'Peut-être', 'a-t-il', 'vu', "l'", 'arc-en-ciel', 'ou', 'pas', 'non',
    ]);
  });

  it('reads Unicode letters, digits and combining marks as word characters', () => {
    expect(tokenize('Œuvres complètes, tome 2 : «\u00a0Ça\u00a0» ; ſoleil ; cafe\u0301')).toEqual([
      'Œuvres', 'complètes', 'tome', '2', 'Ça', 'ſoleil', 'cafe\u0301',
    ]);
  });

  it('lower-cases on request', () => {
    expect(tokenize("L'État", { lower: true })).toEqual(["l'", 'état']);
  });

  it('finds no word in punctuation, spaces or an empty text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ... — !? « » ')).toEqual([]);
  });
});

describe('hashTokens', () => {
  const hashesOf = (text: string, stripAccents?: boolean) => {
    const t = hashTokens(text, new TokenHashes(2), { stripAccents });
    return Array.from(t.hashes.subarray(0, t.count));
  };

  it('hashes the same words tokenize finds, case folded and accents stripped by default', () => {
    expect(hashesOf("L'ÉTÉ à la Côte")).toEqual(hashesOf("l'ete a LA cote"));
    expect(hashesOf('l’été')).toEqual(hashesOf("l'été"));
    expect(hashesOf('cafe\u0301')).toEqual(hashesOf('café'));
  });

  it('keeps accents apart when asked', () => {
    expect(hashesOf('côte', false)).not.toEqual(hashesOf('cote', false));
    expect(hashesOf('CÔTE', false)).toEqual(hashesOf('côte', false));
  });

  it('gives different words different hashes', () => {
    const words = ['le', 'la', 'les', 'de', 'des', 'du', "l'", "d'", 'maison', 'maisons', 'peut-être', 'peut', 'être'];
    expect(new Set(hashesOf(words.join(' '))).size).toBe(words.length);
  });

  it('counts as many words as tokenize on any text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'ab é’\'-.,\n Ça1ſ\u0301œ'.split('')) }), (text) => {
        const words = tokenize(text);
        expect(countTokens(text)).toBe(words.length);
        expect(hashTokens(text).count).toBe(words.length);
      }),
    );
  });

  it('reuses its buffer across texts', () => {
    const into = new TokenHashes(1);
    hashTokens('un deux trois quatre cinq six', into);
    expect(into.count).toBe(6);
    hashTokens('sept', into);
    expect(into.count).toBe(1);
  });
});
