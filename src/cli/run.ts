import type { Command } from 'commander';
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
    .action(async (recipe: string, opts: { out: string; json?: boolean }) => {
      const log = createLogger();
      const result = await runRecipe(recipe, { outDir: opts.out, log, progress: (label) => createProgress(label, log) });
      if (opts.json) process.stdout.write(JSON.stringify({ status: result.status, release: result.releaseDir, manifest: result.manifest }) + '\n');
      else process.stdout.write(formatSummary(result) + '\n');
    });
}
