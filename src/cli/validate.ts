import type { Command } from 'commander';
import { validateRelease } from '../release/validate.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('re-read every shard of a release and check rows, sha256 and schema against its manifest')
    .argument('<release-dir>', 'a release folder, e.g. out/demo/1.0.0')
    .option('--json', 'print the report as JSON')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const report = await validateRelease(dir);
      if (opts.json) process.stdout.write(JSON.stringify(report) + '\n');
      else {
        for (const s of report.shards) process.stdout.write(`${s.ok ? 'ok  ' : 'FAIL'} ${s.path} (${s.rows} rows)\n`);
        for (const p of report.problems) process.stdout.write(`problem: ${p}\n`);
        process.stdout.write(report.ok ? `${dir}: valid\n` : `${dir}: INVALID (${report.problems.length} problems)\n`);
      }
      if (!report.ok) process.exitCode = 1;
    });
}
