import { availableParallelism } from 'node:os';
import { z } from 'zod';
import xxhash from 'xxhash-wasm';
import { defineStage } from '../pipeline/stage.js';
import { foldForDedup } from '../text/fold.js';
import { PriorityOptions } from './priority.js';
import { dedupThroughDisk, type BarrierOptions } from './barrier.js';

export const ExactDedupOptions = z
  .object({
    stage: z.literal('dedup_exact'),
    keep: z
      .enum(['priority', 'first'])
      .default('priority')
      .describe('priority: the copy the priority rule prefers (a barrier, spilled to disk); first: the first in input order (streaming, one hash per distinct text in memory)'),
    priority: PriorityOptions.prefault({}),
    index: z.string().optional().describe('release index folder: documents duplicating a published one are dropped (keep: priority)'),
    spill_bytes: z.number().int().min(1024).default(64 * 1024 * 1024),
    temp_dir: z.string().optional(),
    workers: z.number().int().min(1).optional().describe('worker threads (default: every core)'),
  })
  .strict();

function exactBarrier(o: z.output<typeof ExactDedupOptions>): BarrierOptions {
  return {
    stage: 'dedup_exact',
    params: { near: false, exact: true, priority: o.priority, partition_bytes: o.spill_bytes, ...(o.index ? { index: o.index } : {}) },
    workers: o.workers ?? availableParallelism(),
    tempRoot: o.temp_dir,
  };
}

/**
 * Drops documents whose folded text (xxHash64 of `foldForDedup`) another document has. Which copy
 * stays is deterministic: by default the one the priority rule prefers (most open licence, then
 * earliest date, then id), whatever the input order.
 */
export const exactDedupStage = defineStage({
  name: 'dedup_exact',
  phase: 'dedup',
  options: ExactDedupOptions,
  barrier: (o) => (o.keep === 'priority' ? exactBarrier(o) : null),
  async create(o) {
    if (o.keep === 'priority') return (docs, ctx) => dedupThroughDisk(docs, ctx, exactBarrier(o));
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
