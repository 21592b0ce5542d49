import { z } from 'zod';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MinHashParams } from './minhash.js';
import { PriorityOptions } from './priority.js';
import { listPartitions, type Partition } from './partitions.js';
import { replaceFileSync } from '../storage/replace-file.js';

/** Options of a deduplication run, shared by its four steps (kept in `<workDir>/params.json`). */
export const DedupParams = z
  .object({
    minhash: MinHashParams.prefault({}),
    near: z.boolean().default(true).describe('find near-duplicates with MinHash LSH'),
    exact: z.boolean().default(true).describe('find exact duplicates of the folded text (xxHash64)'),
    priority: PriorityOptions.prefault({}),
    partition_bytes: z.number().int().min(1024).default(64 * 1024 * 1024).describe('input bytes per partition: bounds the memory of a task'),
    index: z.string().optional().describe('folder of a published release index: documents duplicating it are dropped'),
  })
  .strict();
export type DedupParams = z.output<typeof DedupParams>;
export type DedupParamsInput = z.input<typeof DedupParams>;

export interface RunPlan {
  params: DedupParams;
  partitions: Partition[];
  /** Number of key files per partition: the LSH bands, then the exact key. */
  keys: number;
  exactKey: number | null;
}

export function keyCount(p: DedupParams): { keys: number; exactKey: number | null } {
  const bands = p.near ? p.minhash.bands : 0;
  return { keys: bands + (p.exact ? 1 : 0), exactKey: p.exact ? bands : null };
}

/**
 * The plan of a run: written by whichever task comes first, read by all the others, so that every
 * task sees the same partitions and options. A task given other options than the plan's fails.
 */
export function loadPlan(inputs: string[], workDir: string, options?: DedupParamsInput): RunPlan {
  const file = join(workDir, 'params.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { params: DedupParams; partitions: Partition[]; inputs: string[] };
    if (options !== undefined) {
      const wanted = DedupParams.parse(options);
      if (wanted.index) wanted.index = resolve(wanted.index);
      if (JSON.stringify(wanted) !== JSON.stringify(saved.params)) {
        throw new Error(`${file} was written with other options; use a new work folder or the same options`);
      }
    }
    const abs = inputs.map((i) => resolve(i));
    if (JSON.stringify(abs) !== JSON.stringify(saved.inputs)) throw new Error(`${file} was written for other inputs`);
    return { params: saved.params, partitions: saved.partitions, ...keyCount(saved.params) };
  }
  const params = DedupParams.parse(options ?? {});
  if (params.index) params.index = resolve(params.index);
  if (!params.near && !params.exact) throw new Error('nothing to do: both near and exact deduplication are off');
  const abs = inputs.map((i) => resolve(i));
  const partitions = listPartitions(abs, params.partition_bytes);
  mkdirSync(workDir, { recursive: true });
  replaceFileSync(file, JSON.stringify({ params, inputs: abs, partitions }, null, 2) + '\n');
  return { params, partitions, ...keyCount(params) };
}

export const partName = (p: number) => String(p).padStart(5, '0');
export const keyName = (k: number) => `key-${String(k).padStart(2, '0')}.run`;
