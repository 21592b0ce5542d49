import type { Command } from 'commander';
import { createLogger } from '../pipeline/log.js';
import { openStore } from '../storage/open.js';
import { pullRelease } from '../storage/pull.js';

export function registerPull(program: Command): void {
  program
    .command('pull')
    .description('download a published release, verifying every file against its manifest; resumable')
    .argument('<from>', 'catalog URL (http(s)://.../catalog.json), s3://bucket/prefix or a folder')
    .argument('<dataset>', '<dataset>[@version]; latest by default')
    .requiredOption('--out <dir>', 'where to put <dataset>/<version>/')
    .option('--source <id>', 'only the shards holding documents of this source')
    .option('--license <id>', 'only the shards holding documents under this licence')
    .option('--endpoint <url>', 'S3 endpoint; credentials from AWS_* variables')
    .option('--json', 'print the result as JSON')
    .action(async (from: string, spec: string, opts: { out: string; source?: string; license?: string; endpoint?: string; json?: boolean }) => {
      const log = createLogger();
      const root = /^https?:\/\//.test(from) ? from.replace(/catalog\.json$/, '') : from;
      const store = openStore(root, { endpoint: opts.endpoint });
      const r = await pullRelease(store, spec, { out: opts.out, source: opts.source, license: opts.license, log });
      if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`${r.dataset} ${r.version}: ${r.files.length} files verified in ${r.dir}${r.skipped_shards ? ` (${r.skipped_shards} shards skipped by filters)` : ''}\n`);
    });
}
