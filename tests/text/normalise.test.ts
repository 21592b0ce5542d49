import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repairMojibake } from '../../src/text/mojibake.js';
import { NormaliseSettings, normaliseText } from '../../src/text/normalise.js';

const defaults = NormaliseSettings.parse({});
const cp1252 = new TextDecoder('windows-1252');
/** What a program that reads UTF-8 as windows-1252 makes of a text. */
const garble = (s: string) => cp1252.decode(new TextEncoder().encode(s));

describe('mojibake repair', () => {
  it('repairs UTF-8 read as windows-1252, as French web text often is', () => {
    expect(repairMojibake('Ã©tÃ© Ã  la plage, câ€™est lâ€™Ã©tÃ©').text).toBe('été à la plage, c’est l’été');
    expect(repairMojibake(garble('Élève, œuvre, « déjà » — 5 €')).text).toBe('Élève, œuvre, « déjà » — 5 €');
  });

  it('repairs text garbled twice over', () => {
    expect(repairMojibake(garble(garble('les élèves'))).text).toBe('les élèves');
  });

  it('leaves a text alone when one sequence does not repair (not confident)', () => {
    // "é»»" would decode to a Chinese character: not a misreading of French, so nothing changes.
    const broken = 'Ã©tÃ© et né»»';
    expect(repairMojibake(broken)).toEqual({ text: broken, repaired: 0 });
    const c1 = 'RÃ©sumÃ© Ã\u009f';
    expect(repairMojibake(c1).text).toBe('Résumé ß');
  });

  it('never changes correct French text', () => {
    fc.assert(
      // "Â«" or "Ã»" are exactly what UTF-8 « and û look like when misread as windows-1252: such pairs
      // are mojibake by definition, so correct text is everything that holds none of them.
      fc.property(fc.stringMatching(/^[a-zàâæçéèêëîïôœùûüÿÀÂÇÉÈÊËÎÏÔŒÙÛÜ ,.'’«»-]{0,60}$/).filter((s) => !/[ÂÃ][\u0080-\u00bf]/.test(s)), (s) => {
        expect(repairMojibake(s).text).toBe(s);
      }),
    );
  });

  it('undoes the windows-1252 misreading of any French text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zàâæçéèêëîïôœùûüÿÉÈÊÀÇ ,.’«»€-]{1,60}$/), (s) => {
        expect(repairMojibake(garble(s)).text).toBe(s);
      }),
    );
  });
});

describe('normalisation', () => {
  it('composes to NFC, removes controls and zero-width characters, collapses spaces', () => {
    const r = normaliseText('Cafe\u0301\u200b  au\tlait\u0007 \r\n\r\n\r\n\r\nfin  ', defaults);
    expect(r.text).toBe('Café au lait\n\nfin');
    expect(r.changed).toBe(true);
  });

  it("keeps French typography's no-break spaces", () => {
    expect(normaliseText('« Oui » : 5\u202f%\u00a0!', defaults).text).toBe('« Oui » : 5\u202f%\u00a0!');
  });

  it('applies OCR fixes only when asked', () => {
    const old = 'Il eſt auſſi queſtion de l’exem-\nple et de la ﬁn.';
    expect(normaliseText(old, defaults).text).toBe(old);
    const ocr = NormaliseSettings.parse({ ocr: { long_s: true, ligatures: true, hyphenation: true } });
    expect(normaliseText(old, ocr).text).toBe('Il est aussi question de l’exemple et de la fin.');
    expect(normaliseText('Jean-\nPierre', ocr).text).toBe('Jean-\nPierre');
  });
});
