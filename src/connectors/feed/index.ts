import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { DEFAULT_XML_LIMITS, XmlRefusal } from '../io/xml-records.js';
import { BrokenGzip, DecompressionLimit } from '../io/bounded-gunzip.js';
import { InputLocation, openInput } from '../io/open-input.js';
import { feedEntries } from './parse.js';
import { entryDoc, isSince } from './entry-doc.js';

export const FeedOptions = z
  .object({
    ...InputLocation,
    since: z.string().optional().describe('only entries dated at or after this instant (incremental runs); undated entries are kept'),
    max_entry_chars: z.number().int().positive().default(1024 * 1024),
  })
  .strict()
  .refine((o) => Boolean(o.url) !== Boolean(o.path), 'give exactly one of url and path');

/** RSS 2.0 and Atom feeds as URL lists (with titles, dates and summaries) for the crawler. */
export const feedConnector = defineConnector({
  name: 'feed',
  options: FeedOptions,
  async *read(options, input, ctx) {
    const retrieved = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const { name, bytes } = await openInput(options, input.baseDir, ctx);
    let older = 0;
    let n = 0;
    try {
      for await (const { entry, element } of feedEntries(bytes, { ...DEFAULT_XML_LIMITS, maxRecordChars: options.max_entry_chars, maxDocumentChars: options.max_bytes })) {
        n++;
        if (!entry) {
          ctx.reject(makeDoc({ id: `${input.source.id}/${name}#${n}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { from: name, element: element.name } }), 'feed', 'feed.no_link', { from: name, entry: n });
          continue;
        }
        if (!isSince(entry, options.since)) {
          older++;
          continue;
        }
        yield entryDoc(entry, input.source.id, name, retrieved);
      }
    } catch (e) {
      const reason = e instanceof XmlRefusal || e instanceof DecompressionLimit || e instanceof BrokenGzip ? e.reason : 'not_a_feed';
      if (!(e instanceof XmlRefusal || e instanceof DecompressionLimit || e instanceof BrokenGzip || /not an RSS or Atom feed/.test((e as Error).message))) throw e;
      ctx.reject(makeDoc({ id: `${input.source.id}/${name}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { from: name } }), 'feed', `feed.${reason}`, { from: name, after_entries: n, error: (e as Error).message });
    }
    if (older) ctx.log.info(`feed: ${older} entries older than ${options.since} left out`, { from: name });
  },
});
