import { resolve } from 'node:path';
import type { Command } from 'commander';
import { crawl } from '../crawl/crawler.js';
import { loadCrawlSource } from '../crawl/source.js';

export function registerCrawl(program: Command): void {
  program
    .command('crawl')
    .description('crawl a source (connector: crawl) politely: robots.txt, TDMRep, rate limits; archives every response as WARC')
    .argument('<source.yaml>', 'a source file whose options hold seeds, sitemaps, feeds and scope')
    .option('--out <dir>', 'crawl folder (journal frontier.jsonl, warc/); default crawls/<source id>')
    .option('--refresh', 'fetch every page again with If-None-Match / If-Modified-Since; unchanged pages are skipped')
    .option('--json', 'print each URL outcome as a JSON line')
    .option('--quiet', 'no progress messages on stderr')
    .action(async (file: string, opts: { out?: string; refresh?: boolean; json?: boolean; quiet?: boolean }) => {
      const { source, options } = await loadCrawlSource(file);
      const dir = resolve(opts.out ?? `crawls/${source.id}`);
      const abort = new AbortController();
      process.once('SIGINT', () => abort.abort());
      process.once('SIGTERM', () => abort.abort());
      const summary = await crawl(
        options,
        {
          dir,
          sourceId: source.id,
          signal: abort.signal,
          log: opts.quiet ? undefined : (m) => process.stderr.write(`crawl: ${m}\n`),
          onDone: (r) => process.stdout.write(opts.json ? JSON.stringify(r) + '\n' : `${r.outcome}\t${r.url}\n`),
        },
        { refresh: opts.refresh ?? false },
      );
      const counts = Object.entries(summary.outcomes).map(([k, v]) => `${k} ${v}`).join(', ');
      process.stderr.write(`crawl: ${dir}: ${counts || 'nothing to do'}; ${summary.pending} left to do; ${summary.warcFiles.length} WARC file(s)\n`);
    });
}
