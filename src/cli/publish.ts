import type { Command } from 'commander';
import { createLogger } from '../pipeline/log.js';
import { openStore } from '../storage/open.js';
import { publishRelease } from '../storage/publish.js';

export function registerPublish(program: Command): void {
  program
    .command('publish')
    .description('publish a release folder to another folder or to S3-compatible storage; resumable')
    .argument('<release>', 'a release folder, e.g. out/demo/1.0.0')
    .requiredOption('--to <location>', 's3://bucket/prefix or a folder (the root that holds catalog.json)')
    .option('--endpoint <url>', 'S3 endpoint (Ceph RGW, MinIO, a sovereign cloud); credentials from AWS_* variables')
    .option('--part-mb <n>', 'multipart part size in MiB', '64')
    .option('--concurrency <n>', 'files uploaded at once', '4')
    .option('--json', 'print the result as JSON')
    .action(async (release: string, opts: { to: string; endpoint?: string; partMb: string; concurrency: string; json?: boolean }) => {
      const log = createLogger();
      const store = openStore(opts.to, { endpoint: opts.endpoint, partBytes: Number(opts.partMb) * 1024 * 1024 });
      const r = await publishRelease(release, store, { log, concurrency: Number(opts.concurrency) });
      if (opts.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`${r.dataset} ${r.version}: ${r.status} to ${store.description} (${r.uploaded.length} files uploaded, ${r.copied.length} copied from the previous version, ${r.kept.length} already there)\n`);
    });
}
