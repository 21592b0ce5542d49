import type { Command } from 'commander';
import { executorFromFlags, type ExecutorFlags } from '../exec/flags.js';
import { addExecutorOptions } from './executor-options.js';
import { refreshRecipe, UNCHANGED_EXIT_CODE } from '../exec/refresh.js';
import { createLogger } from '../pipeline/log.js';
import { createProgress } from '../pipeline/progress.js';

export function registerRefresh(program: Command): void {
  const command = program
    .command('refresh')
    .description(`rebuild a recipe from what changed since the last run and publish a new version only if the release changed (exit 0: published, ${UNCHANGED_EXIT_CODE}: nothing changed)`)
    .argument('<recipe>', 'a datasets/*.yaml file')
    .option('--out <dir>', 'output root (releases and catalog.json)', 'out')
    .option('--json', 'print the result as one JSON line');
  addExecutorOptions(command)
    .option('--work-dir <dir>', 'kept between refreshes (default <out>/.work/<dataset>-<digest>)')
    .action(async (recipe: string, opts: { out: string; json?: boolean } & ExecutorFlags) => {
      const log = createLogger();
      const r = await refreshRecipe(recipe, { outDir: opts.out, log, progress: (label) => createProgress(label, log), executor: executorFromFlags(opts), workDir: opts.workDir });
      const summary = { status: r.status, version: r.manifest.version, release: r.releaseDir, units_processed: r.processedUnits, units_reused: r.reusedUnits };
      if (opts.json) process.stdout.write(JSON.stringify(summary) + '\n');
      else {
        const what = r.status === 'published' ? `published ${r.manifest.dataset} ${r.manifest.version}` : `nothing changed: ${r.manifest.dataset} ${r.manifest.version} stays the latest`;
        process.stdout.write(`${what} (${r.processedUnits} units read, ${r.reusedUnits} reused)\n`);
      }
      if (r.status === 'unchanged') process.exitCode = UNCHANGED_EXIT_CODE;
    });
}
