import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { z } from 'zod';
import type { Executor, ExecHooks } from './executor.js';
import type { Plan, PlanUnit } from './plan.js';
import { runTask } from './task.js';
import { esmThreadPool } from './threads.js';
import type { WorkerTask } from './worker.js';

export const LocalOptions = z
  .object({
    workers: z.number().int().min(1).max(1024).default(1).describe('tasks run at once, each in its own worker thread; 1 runs in-process'),
  })
  .strict();
export type LocalOptions = z.input<typeof LocalOptions>;

/** This machine: `workers` tasks (rank 0..workers-1) at once, on worker threads when more than one. */
export function localExecutor(input: LocalOptions = {}): Executor {
  const { workers } = LocalOptions.parse(input);
  return {
    name: 'local',
    async runTasks(plan, hooks) {
      const world = Math.max(1, Math.min(workers, plan.units.length));
      const onUnit = trackUnits(plan, hooks);
      if (world === 1) {
        await runTask(plan.work_dir, { rank: 0, world: 1 }, { log: hooks.log, onUnit, signal: hooks.signal });
        return;
      }
      await runOnThreads(plan, world, hooks, onUnit);
    },
  };
}

/** Progress in input bytes, one unit at a time. */
function trackUnits(plan: Plan, hooks: ExecHooks): (unit: PlanUnit, reused: boolean) => void {
  hooks.progress.addTotal(plan.units.reduce((a, u) => a + u.bytes, 0));
  return (unit) => {
    hooks.progress.advance(unit.bytes);
    hooks.unitFinished?.(unit);
  };
}

async function runOnThreads(plan: Plan, world: number, hooks: ExecHooks, onUnit: (unit: PlanUnit, reused: boolean) => void): Promise<void> {
  const pool = esmThreadPool(new URL('./worker.js', import.meta.url), { minThreads: world, maxThreads: world, idleTimeout: 1000 });
  const byKey = new Map(plan.units.map((u) => [u.key, u]));
  try {
    await Promise.all(
      Array.from({ length: world }, (_, rank) => {
        const { port1, port2 } = new MessageChannel();
        port1.on('message', (m: { key: string; reused: boolean }) => onUnit(byKey.get(m.key)!, m.reused));
        const task: WorkerTask = { workDir: plan.work_dir, rank, world, port: port2 };
        return pool.run(task, { transferList: [port2], signal: hooks.signal }).finally(() => port1.close());
      }),
    );
  } finally {
    await pool.destroy();
  }
}

export const defaultWorkers = (): number => availableParallelism();
