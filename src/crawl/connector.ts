import { resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector } from '../connectors/connector.js';
import { makeDoc, type Doc } from '../pipeline/doc.js';
import { crawl, type CrawledPage } from './crawler.js';
import { CrawlOptions } from './options.js';

export const CrawlConnectorOptions = CrawlOptions.extend({
  dir: z.string().optional().describe('crawl folder (journal and WARC files), relative to the source YAML; default crawls/<source id>'),
}).strict();

/** Outcomes that are a decision about a page we did not collect: rejected with their reason. */
const REJECTED = new Set(['reserved', 'disallowed_robots', 'refused_address', 'too_large', 'content_type_refused', 'http_error', 'network_error', 'gave_up', 'too_many_redirects', 'redirect_out_of_scope', 'noindex', 'duplicate_canonical', 'duplicate_content', 'crawler_error']);

/**
 * `connector: crawl`: runs (or resumes) the crawl and passes each collected page on as HTML with its
 * raw bytes, for the extract stage. Pages not collected are rejected as `crawl.<outcome>` with the
 * evidence (robots.txt, TDMRep) the crawler recorded.
 */
export const crawlConnector = defineConnector({
  name: 'crawl',
  options: CrawlConnectorOptions,
  async *read(options, input, ctx) {
    const { dir, ...crawlOptions } = options;
    const queue: Doc[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: Error | null = null;
    const push = (d: Doc) => {
      queue.push(d);
      wake?.();
    };
    const toDoc = (p: CrawledPage): Doc =>
      makeDoc({
        id: `${input.source.id}/${p.canonical ?? p.url}`,
        source: input.source.id,
        text: '',
        media_type: 'text/html',
        raw: p.body,
        ...(p.charset ? { charset: p.charset } : {}),
        url: p.canonical ?? p.url,
        date_retrieved: p.fetchedAt,
        metadata: { fetched_url: p.url, http_status: p.status, depth: p.depth, tdm: p.tdm, warc_record_id: p.warcRecordId },
      });
    const run = crawl(crawlOptions, {
      dir: resolve(input.baseDir, dir ?? `crawls/${input.source.id}`),
      sourceId: input.source.id,
      signal: ctx.signal,
      log: (m) => ctx.log.info(`crawl: ${m}`),
      onPage: (p) => push(toDoc(p)),
      onDone: (r) => {
        if (!REJECTED.has(r.outcome)) return;
        const doc = makeDoc({ id: `${input.source.id}/${r.url}`, source: input.source.id, text: '', url: r.url, date_retrieved: new Date().toISOString() });
        ctx.reject(doc, 'crawl', `crawl.${r.outcome}`, r);
      },
    }).then(
      () => void (finished = true),
      (e: Error) => void ((failure = e), (finished = true)),
    ).finally(() => wake?.());
    for (;;) {
      const next = queue.shift();
      if (next) {
        yield next;
        continue;
      }
      if (finished) break;
      await new Promise<void>((r) => (wake = r));
      wake = null;
    }
    await run;
    if (failure) throw failure;
  },
});
