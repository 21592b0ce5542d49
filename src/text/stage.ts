import { defineStage } from '../pipeline/stage.js';
import { setSignals } from '../filters/signals.js';
import { NormaliseSettings, normaliseText } from './normalise.js';
import { z } from 'zod';

export const NormaliseOptions = NormaliseSettings.extend({ stage: z.literal('normalise') }).strict();

/**
 * Normalisation: NFC, controls, whitespace, confident mojibake repair, OCR fixes where the recipe
 * asks. A document that normalises to nothing is rejected as `normalise.empty`.
 */
export const normaliseStage = defineStage({
  name: 'normalise',
  phase: 'normalise',
  options: NormaliseOptions,
  create(options) {
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        const r = normaliseText(doc.text, options);
        if (!r.text) {
          ctx.reject(doc, 'normalise', 'normalise.empty');
          continue;
        }
        doc.text = r.text;
        setSignals(doc, 'normalise', { changed: r.changed, mojibake_repaired: r.mojibake_repaired });
        if (r.changed) ctx.stats.count('normalise', 'documents_changed');
        if (r.mojibake_repaired) ctx.stats.count('normalise', 'mojibake_repaired', r.mojibake_repaired);
        yield doc;
      }
    };
  },
});
