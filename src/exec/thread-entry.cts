// Piscina loads its worker file with require() first. On Node 20.19+ require() of an ES module is
// allowed, and in a pool of threads it can abort the whole process (V8 fatal error
// "IsGraphAsync must be used on an instantiated module", seen in our CI on Node 20.20). This file is
// what piscina requires; it loads the real, ES module worker with import(), which has no such race.
import { workerData } from 'piscina';

type Handler = (task: unknown) => unknown;
let handler: Promise<Handler> | undefined;

function load(): Promise<Handler> {
  const target = (workerData as { esmWorker?: string } | undefined)?.esmWorker;
  if (!target) return Promise.reject(new Error('thread-entry: the pool was started without workerData.esmWorker'));
  return import(target).then((m: { default?: Handler }) => {
    if (typeof m.default !== 'function') throw new Error(`thread-entry: ${target} has no default export function`);
    return m.default;
  });
}

export = function runOnThread(task: unknown): Promise<unknown> {
  handler ??= load();
  return handler.then((run) => run(task));
};
