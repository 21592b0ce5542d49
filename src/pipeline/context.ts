import type { Doc } from './doc.js';
import type { Logger } from './log.js';
import type { Progress } from './progress.js';
import type { Stats } from './stats.js';
import type { RejectsWriter } from './rejects.js';

export interface Task {
  rank: number;
  world: number;
}

export interface RunContext {
  stats: Stats;
  /** Drops a document for good: counted under `reason` and written whole to `rejects/<stage>.jsonl.gz`. */
  reject(doc: Doc, stage: string, reason: string, detail?: unknown): void;
  log: Logger;
  progress: Progress;
  signal: AbortSignal;
  task: Task;
}

export function createContext(parts: {
  stats: Stats;
  rejects: RejectsWriter;
  log: Logger;
  progress: Progress;
  signal?: AbortSignal;
  task?: Task;
}): RunContext {
  return {
    stats: parts.stats,
    log: parts.log,
    progress: parts.progress,
    signal: parts.signal ?? new AbortController().signal,
    task: parts.task ?? { rank: 0, world: 1 },
    reject(doc, stage, reason, detail) {
      parts.stats.countReject(stage, reason);
      parts.rejects.write(stage, reason, doc, detail);
    },
  };
}
