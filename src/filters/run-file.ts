import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { availableParallelism } from 'node:os';
import { esmThreadPool } from '../exec/threads.js';
import type { CleaningOptions } from './clean.js';
import cleanBatch from './worker.js';

export interface FilterFileOptions {
  input: string;
  output: string;
  rejects?: string;
  /** Threads; 1 cleans in this thread. Default: every core. */
  workers?: number;
  options?: Partial<CleaningOptions>;
  batchLines?: number;
}

export interface FilterFileResult {
  read: number;
  kept: number;
  rejected: Record<string, number>;
  ms: number;
}

/**
 * Cleans a JSONL file with the default French cleaning, in batches spread over worker threads.
 * Output keeps the input order (batches are written in the order they were read).
 */
export async function filterFile(o: FilterFileOptions): Promise<FilterFileResult> {
  const t0 = performance.now();
  const workers = o.workers ?? availableParallelism();
  const batchLines = o.batchLines ?? 256;
  const pool = workers > 1 ? esmThreadPool(new URL('./worker.js', import.meta.url), { minThreads: workers, maxThreads: workers }) : null;
  const run = (lines: string[]) => (pool ? pool.run({ lines, options: o.options ?? {} }) : cleanBatch({ lines, options: o.options ?? {} })) as ReturnType<typeof cleanBatch>;
  const out = createWriteStream(o.output);
  const rej = o.rejects ? createWriteStream(o.rejects) : null;
  const result: FilterFileResult = { read: 0, kept: 0, rejected: {}, ms: 0 };
  const pending: ReturnType<typeof cleanBatch>[] = [];
  const maxPending = Math.max(2, workers * 2);

  const drainOne = async () => {
    const r = await pending.shift()!;
    result.kept += r.kept.length;
    for (const [k, n] of Object.entries(r.reasons)) result.rejected[k] = (result.rejected[k] ?? 0) + n;
    await write(out, r.kept);
    if (rej) await write(rej, r.rejected);
  };

  try {
    const input = o.input === '-' ? process.stdin : createReadStream(o.input);
    let batch: string[] = [];
    for await (const line of createInterface({ input, crlfDelay: Infinity })) {
      if (line.trim() === '') continue;
      result.read++;
      batch.push(line);
      if (batch.length === batchLines) {
        pending.push(run(batch));
        batch = [];
        if (pending.length >= maxPending) await drainOne();
      }
    }
    if (batch.length) pending.push(run(batch));
    while (pending.length) await drainOne();
  } finally {
    await Promise.all([close(out), rej ? close(rej) : undefined]);
    await pool?.destroy();
  }
  result.ms = Math.round(performance.now() - t0);
  return result;
}

async function write(stream: WriteStream, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  if (!stream.write(lines.join('\n') + '\n')) await once(stream, 'drain');
}

function close(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
