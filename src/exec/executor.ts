import type { Logger } from '../pipeline/log.js';
import type { Progress } from '../pipeline/progress.js';
import type { Plan, PlanUnit } from './plan.js';

export interface ExecHooks {
  log: Logger;
  progress: Progress;
  signal?: AbortSignal;
  /** Called once per unit as soon as it is finished (or found finished), so a merge can start on it. */
  unitFinished?: (unit: PlanUnit) => void;
}

/**
 * Runs the tasks of a planned run. `runTasks` resolves once every unit is finished. An executor
 * whose merge runs elsewhere (a Slurm job) provides `runMerge`, which resolves with what the merge
 * wrote to `result.json`; otherwise the caller merges in its own process.
 */
export interface Executor {
  name: string;
  runTasks(plan: Plan, hooks: ExecHooks): Promise<void>;
  runMerge?(plan: Plan, hooks: ExecHooks): Promise<unknown>;
}
