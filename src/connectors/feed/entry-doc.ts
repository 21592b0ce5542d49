import { makeDoc, type Doc } from '../../pipeline/doc.js';
import type { UrlEntry } from './parse.js';

/**
 * A feed or sitemap entry as a document: a URL for the crawler, with its title, date and the
 * summary the feed gives (empty for sitemaps). It carries no licence: that is for the crawled page.
 */
export function entryDoc(entry: UrlEntry, source: string, from: string, retrieved: string): Doc {
  return makeDoc({
    id: `${source}/${entry.url}`,
    source,
    text: entry.summary ?? '',
    url: entry.url,
    title: entry.title,
    date_published: entry.date,
    date_retrieved: retrieved,
    metadata: { kind: entry.kind, from, ...(entry.raw_date ? { raw_date: entry.raw_date } : {}), ...entry.extra },
  });
}

/** Whether an entry is new enough for an incremental run; undated entries always are. */
export function isSince(entry: UrlEntry, since: string | undefined): boolean {
  if (!since || !entry.date) return true;
  return Date.parse(entry.date) >= Date.parse(since);
}
