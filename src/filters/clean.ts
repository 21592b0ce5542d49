import { z } from 'zod';
import { LangOptions, createLanguageJudge } from '../lang/stage.js';
import { NormaliseSettings, normaliseText } from '../text/normalise.js';
import { GopherQualitySettings, gopherQuality } from './gopher-quality.js';
import { RepetitionSettings, repetition } from './repetition.js';
import { FineWebSettings, fineweb } from './fineweb.js';
import { C4Settings, c4 } from './c4.js';
import type { Signals } from './signals.js';
import { readWords } from './words.js';

/**
 * The default French cleaning as one function of a text, for `villers filter` and its workers:
 * the same rules and defaults as the recipe stages lang → normalise → gopher_quality →
 * gopher_repetition → fineweb (→ c4, off by default for French, as in FineWeb-2).
 */
export const CleaningOptions = z
  .object({
    lang: LangOptions.omit({ stage: true }).prefault({}),
    normalise: NormaliseSettings.prefault({}),
    gopher_quality: GopherQualitySettings.extend({ enabled: z.boolean().default(true) }).prefault({}),
    gopher_repetition: RepetitionSettings.extend({ enabled: z.boolean().default(true) }).prefault({}),
    fineweb: FineWebSettings.extend({ enabled: z.boolean().default(true) }).prefault({}),
    c4: C4Settings.extend({ enabled: z.boolean().default(false) }).prefault({}),
  })
  .strict();
export type CleaningOptions = z.output<typeof CleaningOptions>;

export type Cleaned =
  | { keep: true; text: string; lang: string; lang_score: number; signals: Record<string, Signals> }
  | { keep: false; stage: string; reason: string; signals: Record<string, Signals> };

export async function createCleaner(input: z.input<typeof CleaningOptions> = {}): Promise<(text: string) => Cleaned> {
  const o = CleaningOptions.parse(input);
  const judge = await createLanguageJudge({ stage: 'lang', ...o.lang } as never);
  const stop = new Set(o.gopher_quality.stop_words);
  return (original) => {
    const signals: Record<string, Signals> = {};
    const verdict = judge(original);
    if (!verdict) return { keep: false, stage: 'lang', reason: 'lang.no_text', signals };
    signals.lang = { lang: verdict.lang, score: verdict.score, ...verdict.signals };
    if (!verdict.wanted) return { keep: false, stage: 'lang', reason: 'lang.not_wanted', signals };
    if (verdict.score < o.lang.threshold) return { keep: false, stage: 'lang', reason: 'lang.below_threshold', signals };
    const n = normaliseText(verdict.text, o.normalise);
    signals.normalise = { changed: n.changed, mojibake_repaired: n.mojibake_repaired };
    let text = n.text;
    if (!text) return { keep: false, stage: 'normalise', reason: 'normalise.empty', signals };
    const judged: [string, boolean, () => { reason: string | null; signals: Signals; text?: string }][] = [
      ['gopher_quality', o.gopher_quality.enabled, () => gopherQuality(text, readWords(text), o.gopher_quality, stop)],
      ['gopher_repetition', o.gopher_repetition.enabled, () => repetition(text, readWords(text), o.gopher_repetition)],
      ['fineweb', o.fineweb.enabled, () => fineweb(text, readWords(text), o.fineweb)],
      ['c4', o.c4.enabled, () => c4(text, o.c4)],
    ];
    for (const [stage, enabled, run] of judged) {
      if (!enabled) continue;
      const v = run();
      signals[stage] = v.signals;
      if (v.reason) return { keep: false, stage, reason: `${stage}.${v.reason}`, signals };
      if (v.text !== undefined) text = v.text;
    }
    return { keep: true, text, lang: verdict.lang, lang_score: verdict.score, signals };
  };
}
