import type { Command } from 'commander';
import { executorFromFlags, type ExecutorFlags } from '../exec/flags.js';
import { addExecutorOptions } from './executor-options.js';
import { runRecipe } from '../pipeline/run.js';
import { createLogger } from '../pipeline/log.js';
import { createProgress } from '../pipeline/progress.js';
import { formatSummary } from './summary.js';

export function registerRun(program: Command): void {
  const command = program
    .command('run')
    .description('run a dataset recipe end to end and publish its release under the output folder')
    .argument('<recipe>', 'a datasets/*.yaml file')
    .option('--out <dir>', 'output root (releases and catalog.json)', 'out')
    .option('--json', 'print the result as JSON instead of a summary table');
  addExecutorOptions(command)
    .option('--work-dir <dir>', 'task outputs and completion markers (default <out>/.work/<dataset>-<digest>)')
    .option('--keep-work', 'keep the work folder (unit outputs, markers, task reports) after publishing')
    .action(async (recipe: string, opts: { out: string; json?: boolean; keepWork?: boolean } & ExecutorFlags) => {
      const log = createLogger();
      const result = await runRecipe(recipe, { outDir: opts.out, log, progress: (label) => createProgress(label, log), executor: executorFromFlags(opts), workDir: opts.workDir, keepWork: opts.keepWork });
      if (opts.json) process.stdout.write(JSON.stringify({ status: result.status, release: result.releaseDir, manifest: result.manifest }) + '\n');
      else process.stdout.write(formatSummary(result) + '\n');
    });
}
