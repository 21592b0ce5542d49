import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { MinHashParams } from './minhash.js';
import { PriorityOptions } from './priority.js';
import { dedupThroughDisk, type BarrierOptions } from './barrier.js';

export const MinHashDedupOptions = z
  .object({
    stage: z.literal('dedup_minhash'),
    ...MinHashParams.shape,
    exact: z.boolean().default(true).describe('also cluster exact duplicates of the folded text'),
    priority: PriorityOptions.prefault({}),
    index: z.string().optional().describe('release index folder: documents duplicating a published one are dropped'),
    update_index: z.string().optional().describe('after the run, write the index of (index + kept documents) to this folder'),
    spill_bytes: z.number().int().min(1024).default(64 * 1024 * 1024).describe('documents are spilled to disk in files of this size, one task each'),
    temp_dir: z.string().optional().describe('where to spill (default: the system temp folder)'),
    workers: z.number().int().min(1).optional().describe('worker threads (default: every core)'),
  })
  .strict();

/**
 * Near-duplicate removal with MinHash LSH: one document kept per cluster by the priority rule,
 * with the cluster size in `minhash_cluster_size`. A barrier: it emits after reading everything.
 */
export const minhashDedupStage = defineStage({
  name: 'dedup_minhash',
  phase: 'dedup',
  options: MinHashDedupOptions,
  barrier: (o) => minhashBarrier(o),
  create(o) {
    return (docs, ctx) => dedupThroughDisk(docs, ctx, minhashBarrier(o));
  },
});

function minhashBarrier(o: z.output<typeof MinHashDedupOptions>): BarrierOptions {
  return {
    stage: 'dedup_minhash',
    params: {
      minhash: { bands: o.bands, rows: o.rows, ngram: o.ngram, seed: o.seed, scheme: o.scheme, strip_accents: o.strip_accents },
      near: true,
      exact: o.exact,
      priority: o.priority,
      partition_bytes: o.spill_bytes,
      ...(o.index ? { index: o.index } : {}),
    },
    workers: o.workers ?? availableParallelism(),
    tempRoot: o.temp_dir,
    updateIndex: o.update_index,
  };
}
