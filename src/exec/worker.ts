import type { MessagePort } from 'node:worker_threads';
import { runTask, type TaskReport } from './task.js';

/** What the local executor hands a worker thread: one task of the run. */
export interface WorkerTask {
  workDir: string;
  rank: number;
  world: number;
  port: MessagePort;
}

export default async function runWorkerTask(task: WorkerTask): Promise<TaskReport> {
  try {
    return await runTask(task.workDir, { rank: task.rank, world: task.world }, {
      onUnit: (unit, reused) => task.port.postMessage({ key: unit.key, reused }),
    });
  } finally {
    task.port.close();
  }
}
