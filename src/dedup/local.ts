import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlan, type DedupParamsInput } from './params.js';
import { esmThreadPool } from '../exec/threads.js';
import { STEPS, type StepName } from './steps.js';
import type { StepTask } from './worker.js';

export interface LocalRunOptions {
  /** Worker threads; default every core. 1 runs every step in this thread. */
  workers?: number;
  onStep?: (step: StepName, ms: number) => void;
}

export interface DedupSummary {
  documents: number;
  kept: number;
  dropped: number;
  dropped_published: number;
  malformed: Record<string, number>;
  partitions: number;
}

/**
 * Runs the four steps on this machine: steps 1, 2 and 4 spread over worker threads (one task per
 * partition or band), step 3 in this thread. Step files land in `workDir`.
 */
export async function runDedupLocal(inputs: string[], workDir: string, options: DedupParamsInput = {}, run: LocalRunOptions = {}): Promise<DedupSummary> {
  const plan = loadPlan(inputs, workDir, options);
  const workers = Math.max(1, run.workers ?? availableParallelism());
  const pool = workers > 1 ? esmThreadPool(new URL('./worker.js', import.meta.url), { maxThreads: workers, minThreads: Math.min(workers, 2) }) : null;
  try {
    const stepAll = async (step: StepName, slices: number) => {
      const t0 = performance.now();
      if (!pool || slices <= 1) await STEPS[step](inputs, 0, 1, workDir, plan.params);
      else {
        const tasks: Promise<unknown>[] = [];
        for (let rank = 0; rank < slices; rank++) {
          const task: StepTask = { step, inputs, rank, world: slices, workDir, options: plan.params };
          tasks.push(pool.run(task));
        }
        await Promise.all(tasks);
      }
      run.onStep?.(step, performance.now() - t0);
    };
    await stepAll('signatures', plan.partitions.length);
    await stepAll('buckets', plan.keys);
    const t0 = performance.now();
    await STEPS.clusters(inputs, 0, 1, workDir, plan.params);
    run.onStep?.('clusters', performance.now() - t0);
  } finally {
    await pool?.destroy();
  }
  const done = JSON.parse(readFileSync(join(workDir, 'clusters', 'done.json'), 'utf8')) as Omit<DedupSummary, 'partitions'>;
  return { ...done, partitions: plan.partitions.length };
}
