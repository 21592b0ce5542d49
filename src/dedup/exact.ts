import { z } from 'zod';
import xxhash from 'xxhash-wasm';
import { defineStage } from '../pipeline/stage.js';
import { foldForDedup } from '../text/fold.js';

export const ExactDedupOptions = z.object({ stage: z.literal('dedup_exact') }).strict();

/**
 * Drops documents whose folded text was already seen in this run (xxHash64 of the folded text);
 * the first occurrence in input order is kept, so the result is deterministic.
 */
export const exactDedupStage = defineStage({
  name: 'dedup_exact',
  phase: 'dedup',
  options: ExactDedupOptions,
  async create() {
    const { h64 } = await xxhash();
    return async function* (docs, ctx) {
      const firstSeen = new Map<bigint, string>();
      for await (const doc of docs) {
        const key = h64(foldForDedup(doc.text));
        const original = firstSeen.get(key);
        if (original !== undefined) {
          ctx.reject(doc, 'dedup_exact', 'dedup_exact.duplicate', { duplicate_of: original });
          continue;
        }
        firstSeen.set(key, doc.id);
        yield doc;
      }
    };
  },
});
