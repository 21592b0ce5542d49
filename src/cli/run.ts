import { Option, type Command } from 'commander';
import { executorFromFlags, type ExecutorFlags } from '../exec/flags.js';
import { positiveInt } from './task.js';
import { runRecipe } from '../pipeline/run.js';
import { createLogger } from '../pipeline/log.js';
import { createProgress } from '../pipeline/progress.js';
import { formatSummary } from './summary.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a dataset recipe end to end and publish its release under the output folder')
    .argument('<recipe>', 'a datasets/*.yaml file')
    .option('--out <dir>', 'output root (releases and catalog.json)', 'out')
    .option('--json', 'print the result as JSON instead of a summary table')
    .addOption(new Option('--executor <name>', 'where the tasks run').choices(['local', 'slurm']).default('local'))
    .option('--workers <n>', 'local: tasks at once, on worker threads (default 1)', positiveInt)
    .option('--tasks <n>', 'slurm: array tasks of the per-document stage (default 4)', positiveInt)
    .option('--partition <p>', 'slurm: partition')
    .option('--account <a>', 'slurm: account')
    .option('--time <t>', 'slurm: time limit per task, e.g. 2:00:00')
    .option('--mem <m>', 'slurm: memory per task, e.g. 4G')
    .option('--cpus <c>', 'slurm: CPUs per task', positiveInt)
    .option('--retries <n>', 'slurm: resubmissions of failed array tasks (default 2)', Number)
    .option('--work-dir <dir>', 'task outputs and completion markers (default <out>/.work/<dataset>-<digest>)')
    .option('--keep-work', 'keep the work folder (unit outputs, markers, task reports) after publishing')
    .action(async (recipe: string, opts: { out: string; json?: boolean; keepWork?: boolean } & ExecutorFlags) => {
      const log = createLogger();
      const result = await runRecipe(recipe, { outDir: opts.out, log, progress: (label) => createProgress(label, log), executor: executorFromFlags(opts), workDir: opts.workDir, keepWork: opts.keepWork });
      if (opts.json) process.stdout.write(JSON.stringify({ status: result.status, release: result.releaseDir, manifest: result.manifest }) + '\n');
      else process.stdout.write(formatSummary(result) + '\n');
    });
}
