import { Option, type Command } from 'commander';
import { executorFromFlags, type ExecutorFlags } from '../exec/flags.js';
import { refreshRecipe, UNCHANGED_EXIT_CODE } from '../exec/refresh.js';
import { createLogger } from '../pipeline/log.js';
import { createProgress } from '../pipeline/progress.js';
import { positiveInt } from './task.js';

export function registerRefresh(program: Command): void {
  program
    .command('refresh')
    .description(`rebuild a recipe from what changed since the last run and publish a new version only if the release changed (exit 0: published, ${UNCHANGED_EXIT_CODE}: nothing changed)`)
    .argument('<recipe>', 'a datasets/*.yaml file')
    .option('--out <dir>', 'output root (releases and catalog.json)', 'out')
    .option('--json', 'print the result as one JSON line')
    .addOption(new Option('--executor <name>', 'where the tasks run').choices(['local', 'slurm']).default('local'))
    .option('--workers <n>', 'local: tasks at once, on worker threads (default 1)', positiveInt)
    .option('--tasks <n>', 'slurm: array tasks (default 4)', positiveInt)
    .option('--partition <p>', 'slurm: partition')
    .option('--account <a>', 'slurm: account')
    .option('--time <t>', 'slurm: time limit per task')
    .option('--mem <m>', 'slurm: memory per task')
    .option('--cpus <c>', 'slurm: CPUs per task', positiveInt)
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
