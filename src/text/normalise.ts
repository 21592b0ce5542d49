import { z } from 'zod';
import { repairMojibake } from './mojibake.js';
import { joinHyphenatedLines, replaceLongS, splitLigatures } from './ocr.js';

export const NormaliseSettings = z
  .object({
    nfc: z.boolean().default(true).describe('Unicode NFC'),
    controls: z.boolean().default(true).describe('remove control and zero-width characters (tab and newline stay)'),
    whitespace: z.boolean().default(true).describe('collapse runs of spaces, trim lines, at most one blank line'),
    mojibake: z.boolean().default(true).describe('repair UTF-8 read as windows-1252, only when every sequence repairs'),
    ocr: z
      .object({
        long_s: z.boolean().default(false).describe('ſ → s'),
        ligatures: z.boolean().default(false).describe('ﬁ → fi, ﬂ → fl…'),
        hyphenation: z.boolean().default(false).describe('join words hyphenated across line ends'),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type NormaliseSettings = z.output<typeof NormaliseSettings>;

/** C0/C1 controls except tab and newline; zero-width spaces, joiners' stray BOMs, soft hyphens. */
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b\u2060\ufeff\u00ad]/g;
/** Horizontal spaces other than the no-break ones French typography relies on ("« oui »", "5 %"). */
const SPACES = /[ \t\u2000-\u200a\u205f\u3000]+/g;

export interface Normalised {
  text: string;
  mojibake_repaired: number;
  changed: boolean;
}

export function normaliseText(text: string, settings: NormaliseSettings): Normalised {
  let t = text;
  let mojibake = 0;
  // Mojibake first: it is a byte-level accident, and NFC or control removal would erase the C1
  // characters some sequences need ("Ã\u0089" for "É").
  if (settings.mojibake) {
    const r = repairMojibake(t);
    t = r.text;
    mojibake = r.repaired;
  }
  if (settings.nfc) t = t.normalize('NFC');
  if (t.includes('\r')) t = t.replace(/\r\n?/g, '\n');
  if (settings.controls) t = t.replace(CONTROLS, '');
  if (settings.ocr.long_s) t = replaceLongS(t);
  if (settings.ocr.ligatures) t = splitLigatures(t);
  if (settings.ocr.hyphenation) t = joinHyphenatedLines(t);
  if (settings.whitespace) {
    t = t
      .replace(SPACES, ' ')
      .replace(/ ?\n ?/g, '\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }
  return { text: t, mojibake_repaired: mojibake, changed: t !== text };
}
