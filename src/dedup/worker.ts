import { STEPS, type StepName } from './steps.js';
import type { DedupParamsInput } from './params.js';

/** A piscina task: one step for one (rank, world) slice. */
export interface StepTask {
  step: StepName;
  inputs: string[];
  rank: number;
  world: number;
  workDir: string;
  options?: DedupParamsInput;
}

export default function runStepTask(task: StepTask) {
  return STEPS[task.step](task.inputs, task.rank, task.world, task.workDir, task.options);
}
