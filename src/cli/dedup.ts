import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { runDedupLocal } from '../dedup/local.js';
import { loadPlan, partName } from '../dedup/params.js';
import { updateReleaseIndex } from '../dedup/release-index.js';
import { parseBytes } from '../schema/recipe.js';

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
  return n;
};

const size = (v: string) => {
  try {
    return /^\d+$/.test(v) ? Number(v) : parseBytes(v);
  } catch {
    throw new InvalidArgumentError('a size such as 65536, 64MiB or 512KB');
  }
};

export function registerDedup(program: Command): void {
  program
    .command('dedup')
    .description('find exact and near duplicates (MinHash LSH) in JSON lines {id, text, license?, date_published?}; writes one {id, cluster, size, keep} line per document')
    .requiredOption('--in <file...>', 'input JSON-lines files (.jsonl, or .jsonl.gz)')
    .requiredOption('--out <file>', 'where to write the clusters JSON lines ("-" for stdout)')
    .option('--workers <n>', 'worker threads (default: every core)', int('--workers'))
    .option('--bands <n>', 'LSH bands', int('--bands'), 14)
    .option('--rows <n>', 'rows per band', int('--rows'), 8)
    .option('--ngram <n>', 'words per shingle', int('--ngram'), 5)
    .option('--scheme <name>', 'permutations | one-permutation', 'one-permutation')
    .option('--no-near', 'exact duplicates only')
    .option('--index <dir>', 'release index: documents duplicating it are dropped')
    .option('--update-index <dir>', 'after the run, write the index of (index + kept documents) there')
    .option('--verbose', 'print the time of each step and the peak RSS on stderr')
    .option('--work-dir <dir>', 'keep step files there (default: a temporary folder, removed after)')
    .option('--partition-size <size>', 'input bytes per partition task, e.g. 64MiB', size, 64 * 1024 * 1024)
    .action(async (opts: { in: string[]; out: string; workers?: number; bands: number; rows: number; ngram: number; scheme: string; near: boolean; index?: string; updateIndex?: string; workDir?: string; partitionSize: number; verbose?: boolean }) => {
      if (opts.scheme !== 'permutations' && opts.scheme !== 'one-permutation') throw new Error(`--scheme must be permutations or one-permutation, not ${opts.scheme}`);
      const workDir = opts.workDir ?? mkdtempSync(join(tmpdir(), 'villers-dedup-'));
      try {
        const params = {
          minhash: { bands: opts.bands, rows: opts.rows, ngram: opts.ngram, scheme: opts.scheme as 'permutations' | 'one-permutation' },
          near: opts.near,
          partition_bytes: opts.partitionSize,
          ...(opts.index ? { index: opts.index } : {}),
        };
        const t0 = performance.now();
        const summary = await runDedupLocal(opts.in, workDir, params, {
          workers: opts.workers,
          onStep: opts.verbose ? (step, ms) => process.stderr.write(`villers dedup: step ${step} ${Math.round(ms)} ms\n`) : undefined,
        });
        const plan = loadPlan(opts.in, workDir);
        const out = opts.out === '-' ? process.stdout : createWriteStream(opts.out);
        for (let p = 0; p < plan.partitions.length; p++) await pipeline(createReadStream(join(workDir, 'clusters', `${partName(p)}.jsonl`)), out, { end: false });
        if (out !== process.stdout) await new Promise<void>((res) => out.end(() => res()));
        if (opts.updateIndex) updateReleaseIndex(opts.in, workDir, opts.updateIndex);
        const bad = Object.entries(summary.malformed);
        for (const [reason, n] of bad) process.stderr.write(`villers dedup: skipped ${n} malformed line(s): dedup.${reason}\n`);
        process.stderr.write(
          `villers dedup: ${summary.documents} documents, ${summary.kept} kept, ${summary.dropped} duplicates` +
            (summary.dropped_published ? ` (${summary.dropped_published} of the index)` : '') +
            ` in ${Math.round(performance.now() - t0)} ms\n`,
        );
        if (opts.verbose) process.stderr.write(`villers dedup: peak_rss_bytes=${process.resourceUsage().maxRSS * 1024}\n`);
      } finally {
        if (!opts.workDir) rmSync(workDir, { recursive: true, force: true });
      }
    });
}
