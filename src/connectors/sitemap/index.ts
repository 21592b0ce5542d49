import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { DEFAULT_XML_LIMITS, XmlRefusal } from '../io/xml-records.js';
import { BrokenGzip, DecompressionLimit } from '../io/bounded-gunzip.js';
import { HttpError } from '../io/http.js';
import { InputLocation, openInput, type Located } from '../io/open-input.js';
import { sitemapEntries } from './parse.js';
import { entryDoc, isSince } from '../feed/entry-doc.js';

export const SitemapOptions = z
  .object({
    ...InputLocation,
    since: z.string().optional().describe('only URLs whose lastmod is at or after this instant (incremental runs); undated URLs are kept'),
    follow_index: z.boolean().default(true).describe('read the sitemaps a sitemap index lists (same origin only)'),
    max_sitemaps: z.number().int().positive().default(1000),
    max_url_chars: z.number().int().positive().default(2048),
  })
  .strict()
  .refine((o) => Boolean(o.url) !== Boolean(o.path), 'give exactly one of url and path');

/**
 * Sitemaps (XML urlset and index, gzip, plain text, news extension, feeds used as sitemaps) as URL
 * lists with their lastmod dates, for the crawler. An index is followed breadth-first, only to
 * sitemaps on its own origin (the sitemaps protocol's rule), up to `max_sitemaps`.
 */
export const sitemapConnector = defineConnector({
  name: 'sitemap',
  options: SitemapOptions,
  async *read(options, input, ctx) {
    const retrieved = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const source = input.source.id;
    const queue: Located[] = [options];
    const seen = new Set<string>();
    let read = 0;
    let older = 0;
    const bad = (id: string, reason: string, detail: unknown) => ctx.reject(makeDoc({ id: `${source}/${id}`, source, text: '', date_retrieved: retrieved }), 'sitemap', `sitemap.${reason}`, detail);
    while (queue.length) {
      const where = queue.shift()!;
      if (read++ >= options.max_sitemaps) {
        bad(where.url ?? where.path ?? '?', 'too_many_sitemaps', { limit: options.max_sitemaps });
        continue;
      }
      let name = where.url ?? where.path ?? '';
      let n = 0;
      try {
        const opened = await openInput(where, input.baseDir, ctx);
        name = opened.name;
        for await (const entry of sitemapEntries(opened.bytes, { ...DEFAULT_XML_LIMITS, maxDocumentChars: options.max_bytes })) {
          n++;
          if (!entry || entry.url.length > options.max_url_chars || !/^https?:\/\//i.test(entry.url)) {
            bad(`${name}#${n}`, 'bad_url', { from: name, entry: n, url: entry?.url.slice(0, 200) ?? null });
            continue;
          }
          if (entry.kind === 'sitemap' && options.follow_index) {
            const parent = where.url ? new URL(where.url).origin : null;
            if (parent && new URL(entry.url).origin === parent) {
              if (!seen.has(entry.url)) {
                seen.add(entry.url);
                queue.push({ ...options, url: entry.url, path: undefined });
              }
              continue;
            }
            ctx.log.warn('sitemap: index entry not followed (other origin, or the index is a local file)', { from: name, url: entry.url });
          }
          if (!isSince(entry, options.since)) {
            older++;
            continue;
          }
          yield entryDoc(entry, source, name, retrieved);
        }
      } catch (e) {
        if (e instanceof XmlRefusal || e instanceof DecompressionLimit || e instanceof BrokenGzip) bad(name, e.reason, { from: name, after_entries: n, error: e.message });
        else if (e instanceof HttpError && where !== options) bad(name, 'unavailable', { from: name, error: e.message });
        else throw e;
      }
    }
    if (older) ctx.log.info(`sitemap: ${older} URLs older than ${options.since} left out`);
  },
});
