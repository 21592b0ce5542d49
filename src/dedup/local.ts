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
  /**
   * Resolves when input partition `p` can be read: its signatures are computed then, in this
   * thread, so that a run signs its first units while later ones are still being produced.
   * Default: every input exists, and partitions are signed on worker threads.
   */
  partitionReady?: (p: number) => Promise<void> | void;
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
  // Started on first use: a run whose steps are one task each (exact dedup) never pays for threads.
  let pool: ReturnType<typeof esmThreadPool> | null = null;
  const threads = () => (pool ??= esmThreadPool(new URL('./worker.js', import.meta.url), { maxThreads: workers, minThreads: Math.min(workers, 2) }));
  try {
    const stepAll = async (step: StepName, slices: number) => {
      const t0 = performance.now();
      if (workers <= 1 || slices <= 1) await STEPS[step](inputs, 0, 1, workDir, plan.params);
      else {
        const tasks: Promise<unknown>[] = [];
        for (let rank = 0; rank < slices; rank++) {
          const task: StepTask = { step, inputs, rank, world: slices, workDir, options: plan.params };
          tasks.push(threads().run(task));
        }
        await Promise.all(tasks);
      }
      run.onStep?.(step, performance.now() - t0);
    };
    if (run.partitionReady) {
      // Partitions are signed here, one by one as each is ready (rank p of world n): the producer
      // of the inputs is busy with the cores meanwhile, and this thread would only wait.
      const t0 = performance.now();
      const n = plan.partitions.length;
      for (let p = 0; p < n; p++) {
        await run.partitionReady(p);
        await STEPS.signatures(inputs, p, n, workDir, plan.params);
      }
      run.onStep?.('signatures', performance.now() - t0);
    } else await stepAll('signatures', plan.partitions.length);
    await stepAll('buckets', plan.keys);
    const t0 = performance.now();
    await STEPS.clusters(inputs, 0, 1, workDir, plan.params);
    run.onStep?.('clusters', performance.now() - t0);
  } finally {
    await (pool as ReturnType<typeof esmThreadPool> | null)?.destroy();
  }
  const done = JSON.parse(readFileSync(join(workDir, 'clusters', 'done.json'), 'utf8')) as Omit<DedupSummary, 'partitions'>;
  return { ...done, partitions: plan.partitions.length };
}
