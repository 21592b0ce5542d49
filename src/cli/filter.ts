import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { positiveInt } from './task.js';
import { parseYaml } from '../schema/load.js';
import { CleaningOptions } from '../filters/clean.js';
import { filterFile } from '../filters/run-file.js';

export function registerFilter(program: Command): void {
  program
    .command('filter')
    .description('clean {id, text, ...} JSON lines with the default French recipe (lang, normalise, Gopher, FineWeb); kept lines gain lang, lang_score and signals')
    .requiredOption('--in <file>', 'input JSONL ("-" for stdin)')
    .requiredOption('--out <file>', 'kept lines, every input field preserved')
    .option('--rejects <file>', 'rejected lines, each with reject: {stage, reason, signals}')
    .option('--workers <n>', 'worker threads (default: every core)', positiveInt)
    .option('--options <file>', 'YAML/JSON overriding thresholds: {lang: {threshold}, gopher_quality: {...}, c4: {enabled: true}, ...}')
    .option('--json', 'print the counts as one JSON line')
    .action(async (opts: { in: string; out: string; rejects?: string; workers?: number; options?: string; json?: boolean }) => {
      const options = opts.options ? parseYaml(await readFile(opts.options, 'utf8'), CleaningOptions, opts.options) : undefined;
      const r = await filterFile({ input: opts.in, output: opts.out, rejects: opts.rejects, workers: opts.workers, options });
      if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
      else {
        process.stdout.write(`read ${r.read}  kept ${r.kept}  rejected ${r.read - r.kept}  (${r.ms} ms)\n`);
        for (const [reason, n] of Object.entries(r.rejected).sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${reason} ${n}\n`);
      }
    });
}
