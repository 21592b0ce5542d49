import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';

type PoolOptions = Omit<NonNullable<ConstructorParameters<typeof Piscina>[0]>, 'filename' | 'workerData'>;

/**
 * Where a module of ours runs on a thread: itself when built, and when we run from the TypeScript
 * sources (tests), its counterpart in the checkout's dist/, since Node cannot load .ts on a thread.
 */
export function builtModule(url: URL): string {
  const path = fileURLToPath(url);
  if (!/[\\/]src[\\/]/.test(path) || existsSync(path)) return path;
  return path.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2').replace(/\.[cm]?ts$/, (ext) => ext.replace('ts', 'js'));
}

/**
 * A piscina pool whose threads run the default export of one of our ES modules (`worker`, given by
 * its URL next to the caller, e.g. `new URL('./worker.js', import.meta.url)`). Threads start through
 * a CommonJS entry that import()s the module: see thread-entry.cts for why.
 */
export function esmThreadPool(worker: URL, options: PoolOptions = {}): Piscina {
  const entry = builtModule(new URL('./thread-entry.cjs', import.meta.url));
  const target = builtModule(worker);
  for (const file of [entry, target]) {
    if (!existsSync(file)) throw new Error(`worker threads run the built code (${file} is missing): run "npm run build", or use one worker`);
  }
  return new Piscina({ ...options, filename: entry, workerData: { esmWorker: pathToFileURL(target).href } });
}
