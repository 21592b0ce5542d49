import type { Executor } from './executor.js';
import { localExecutor } from './local.js';
import { slurmExecutor } from './slurm.js';

/** The executor options `villers run` and `villers refresh` share. */
export interface ExecutorFlags {
  executor?: string;
  workers?: number;
  tasks?: number;
  partition?: string;
  account?: string;
  time?: string;
  mem?: string;
  cpus?: number;
  retries?: number;
  workDir?: string;
}

export function executorFromFlags(f: ExecutorFlags): Executor {
  if (f.executor === 'slurm') {
    return slurmExecutor({ tasks: f.tasks, partition: f.partition, account: f.account, time: f.time, mem: f.mem, cpus: f.cpus, retries: f.retries });
  }
  return localExecutor({ workers: f.workers ?? 1 });
}
