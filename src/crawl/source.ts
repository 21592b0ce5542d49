import { loadYaml } from '../schema/load.js';
import { SourceSchema, type Source } from '../schema/source.js';
import { CrawlOptions } from './options.js';

/** A `sources/*.yaml` whose connector is `crawl`, with its options checked. */
export async function loadCrawlSource(file: string): Promise<{ source: Source; options: CrawlOptions }> {
  const source = await loadYaml(file, SourceSchema);
  if (source.connector !== 'crawl') throw new Error(`${file}: connector is "${source.connector}", villers crawl needs "crawl"`);
  const parsed = CrawlOptions.safeParse(source.options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: options.${issue.path.join('.')}: ${issue.message}`);
  }
  return { source, options: parsed.data };
}
