import type { Command } from 'commander';
import { createLogger } from '../pipeline/log.js';
import { buildSite } from '../site/build.js';

export function registerSite(program: Command): void {
  program
    .command('site')
    .description('write the static catalog website (French and English) for a catalog.json')
    .argument('<catalog>', 'catalog.json: a path or an http(s) URL')
    .requiredOption('--out <dir>', 'folder to write the site into')
    .option('--data-url <url>', 'base URL of the data (shards, manifests); default: where the catalog is')
    .option('--sample-rows <n>', 'rows read per version for the distributions', (v) => Number.parseInt(v, 10), 20000)
    .option('--json', 'print the result as JSON')
    .action(async (catalog: string, opts: { out: string; dataUrl?: string; sampleRows: number; json?: boolean }) => {
      const log = createLogger();
      const result = await buildSite({ catalog, outDir: opts.out, dataUrl: opts.dataUrl, sampleRows: opts.sampleRows }, log);
      if (opts.json) process.stdout.write(JSON.stringify(result) + '\n');
      else process.stdout.write(`${result.pages.length} pages written to ${result.outDir} (data at ${result.dataBase || './'})\n`);
    });
}
