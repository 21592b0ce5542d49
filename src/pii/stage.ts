import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { setSignals } from '../filters/signals.js';
import { PII_KINDS, redactPii } from './detect.js';

export const PiiOptions = z
  .object({
    stage: z.literal('pii'),
    kinds: z.array(z.enum(PII_KINDS)).default([...PII_KINDS]).describe('what to redact'),
    placeholder: z.string().default('<{KIND}>').describe('replacement; {KIND} is EMAIL, IP, PHONE, NIR, IBAN or CARD'),
  })
  .strict();

/** PII redaction: typed placeholders in the text; counts per kind in the document's signals and the stage's stats. */
export const piiStage = defineStage({
  name: 'pii',
  phase: 'pii',
  options: PiiOptions,
  create(options) {
    const placeholder = (k: string) => options.placeholder.replace('{KIND}', k.toUpperCase());
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        const r = redactPii(doc.text, options.kinds, placeholder);
        doc.text = r.text;
        setSignals(doc, 'pii', r.counts);
        for (const [k, n] of Object.entries(r.counts)) if (n) ctx.stats.count('pii', k, n);
        yield doc;
      }
    };
  },
});
