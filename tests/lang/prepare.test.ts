import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { prepareForIdentification } from '../../src/lang/prepare.js';

/** The preparation as first written, with Unicode regular expressions throughout: the reference. */
function reference(text: string): string {
  const URL_OR_EMAIL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
  let t = text.normalize('NFC').replace(URL_OR_EMAIL, ' ').replace(/[\u2019\u02bc\u2018]/g, "'");
  const upper = t.match(/\p{Lu}/gu)?.length ?? 0;
  const lower = t.match(/\p{Ll}/gu)?.length ?? 0;
  if (upper > 0 && upper / (upper + lower) > 0.5) t = t.toLowerCase();
  return t.replace(/\s+/g, ' ').trim();
}

const pieces = fc.constantFrom(
  'Le ', 'CHAT ', 'ÉTÉ ', 'été ', 'd’un ', 'ǅ', 'ß', 'ΣΟΦΙΑ ', '𝐀𝐁', '𐐀𐐨', 'e\u0301', '  \n\t', 'voir https://exemple.fr/a?b ',
  'écrire à jean.dupont@exemple.fr ', 'WWW.EXEMPLE.FR ', 'a@b ', '12 ', '‘x’ ', 'ʼ',
);

describe('text prepared for fastText', () => {
  it('is the same as the plain Unicode-regex preparation on random mixes of cases, scripts, URLs and addresses', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ unit: 'grapheme' })), { maxLength: 40 }), (parts) => {
        const t = parts.join('');
        expect(prepareForIdentification(t)).toBe(reference(t));
      }),
      { numRuns: 500 },
    );
  });

  it('reads a text in capitals in lower case, and leaves URLs and e-mail addresses out', () => {
    expect(prepareForIdentification('PRÉCHAUFFER LE FOUR')).toBe('préchauffer le four');
    expect(prepareForIdentification('Écrivez à marie@exemple.fr ou voyez https://exemple.fr/x.')).toBe('Écrivez à ou voyez');
  });
});
