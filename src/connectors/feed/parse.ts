import { child, childText, textOf, XmlRecordReader, type XmlElement, type XmlLimits, DEFAULT_XML_LIMITS } from '../io/xml-records.js';
import { isoDate } from '../io/open-input.js';

/** One link a feed or sitemap offers to the crawler, with what it says about it. */
export interface UrlEntry {
  url: string;
  title: string | null;
  /** Last change (sitemap lastmod, Atom updated) or publication (RSS pubDate), as an ISO instant or date. */
  date: string | null;
  /** The date as written, when it could not be read. */
  raw_date: string | null;
  summary: string | null;
  kind: 'page' | 'sitemap';
  extra: Record<string, unknown>;
}

const ATOM = 'http://www.w3.org/2005/Atom';

function atomLink(entry: XmlElement): string | null {
  const links = entry.children.filter((c) => c.name === 'link' && c.uri === ATOM);
  const alt = links.find((l) => !l.attrs.rel || l.attrs.rel === 'alternate');
  return alt?.attrs.href?.trim() || null;
}

function dated(raw: string | null): { date: string | null; raw_date: string | null } {
  const date = isoDate(raw);
  return { date, raw_date: raw && !date ? raw : null };
}

export function rssItem(item: XmlElement): UrlEntry | null {
  const url = childText(item, 'link') || (child(item, 'guid')?.attrs.isPermaLink !== 'false' ? childText(item, 'guid') : '');
  if (!url) return null;
  const pub = childText(item, 'pubDate') || childText(item, 'date') || null;
  return { url, title: childText(item, 'title') || null, ...dated(pub), summary: childText(item, 'description') || null, kind: 'page', extra: { guid: childText(item, 'guid') || null } };
}

export function atomEntry(entry: XmlElement): UrlEntry | null {
  const url = atomLink(entry);
  if (!url) return null;
  const when = childText(entry, 'updated') || childText(entry, 'published') || null;
  const summary = childText(entry, 'summary') || textOf(child(entry, 'content')) || null;
  return { url, title: childText(entry, 'title') || null, ...dated(when), summary, kind: 'page', extra: { id: childText(entry, 'id') || null, published: childText(entry, 'published') || null } };
}

/** RSS 2.0 items and Atom entries, streamed. Entries without a link come back as null, to be rejected. */
export async function* feedEntries(bytes: AsyncIterable<Uint8Array>, limits: XmlLimits = DEFAULT_XML_LIMITS): AsyncIterable<{ entry: UrlEntry | null; element: XmlElement }> {
  const reader = new XmlRecordReader((name, uri, depth) => (depth === 2 && name === 'item') || (depth === 1 && uri === ATOM && name === 'entry') || (depth === 1 && name === 'item'), limits);
  for await (const el of reader.records(bytes)) {
    yield { entry: el.name === 'entry' ? atomEntry(el) : rssItem(el), element: el };
  }
  const root = reader.root?.name;
  if (root !== 'rss' && root !== 'feed' && root !== 'RDF') throw new Error(`not an RSS or Atom feed (root <${root}>)`);
}
