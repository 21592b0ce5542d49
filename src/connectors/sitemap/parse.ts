import { peekFirstChunk } from '../io/peek.js';
import { child, childText, textOf, XmlRecordReader, XmlRefusal, type XmlElement, type XmlLimits, DEFAULT_XML_LIMITS } from '../io/xml-records.js';
import { isoDate } from '../io/open-input.js';
import { atomEntry, rssItem, type UrlEntry } from '../feed/parse.js';

const NEWS = 'http://www.google.com/schemas/sitemap-news/0.9';

function sitemapEntry(el: XmlElement): UrlEntry | null {
  // Some servers write the index entry's URL as bare text, without <loc>.
  const url = (child(el, 'loc') ? childText(el, 'loc') : el.children.length === 0 ? textOf(el) : '').trim();
  if (!url) return null;
  const lastmodRaw = childText(el, 'lastmod') || null;
  const news = el.children.find((c) => c.name === 'news' && c.uri === NEWS);
  const newsDate = news ? childText(news, 'publication_date') || null : null;
  const date = isoDate(lastmodRaw) ?? isoDate(newsDate);
  const extra: Record<string, unknown> = {};
  const changefreq = childText(el, 'changefreq');
  if (changefreq) extra.changefreq = changefreq;
  const priority = childText(el, 'priority');
  if (priority) extra.priority = Number(priority);
  if (news) {
    const publication = child(news, 'publication');
    extra.news = {
      title: childText(news, 'title') || null,
      publication_date: newsDate,
      publication: publication ? childText(publication, 'name') || null : null,
      language: publication ? childText(publication, 'language') || null : null,
    };
  }
  return {
    url,
    title: news ? childText(news, 'title') || null : null,
    date,
    raw_date: !date ? (lastmodRaw ?? newsDate) : null,
    summary: null,
    kind: el.name === 'sitemap' ? 'sitemap' : 'page',
    extra,
  };
}

function startsWithXml(head: string): boolean {
  return /^\s*</.test(head);
}

/**
 * Sitemap entries from XML (urlset or sitemapindex, whatever namespace or prefix, news extension),
 * plain text (one URL a line) or an RSS/Atom feed used as a sitemap, told apart by content.
 */
export async function* sitemapEntries(bytes: AsyncIterable<Uint8Array>, limits: XmlLimits = DEFAULT_XML_LIMITS): AsyncIterable<UrlEntry | null> {
  const peeked = await peekFirstChunk(bytes);
  if (!peeked) return;
  const { first, all } = peeked;
  const head = Buffer.from(first).toString('utf8').replace(/^\uFEFF/, '');
  if (!startsWithXml(head)) {
    yield* textSitemap(all, limits.maxRecordChars);
    return;
  }
  const reader = new XmlRecordReader((name, _uri, depth) => (depth === 1 && (name === 'url' || name === 'sitemap' || name === 'entry' || name === 'channel')), limits);
  for await (const el of reader.records(all)) {
    if (el.name === 'entry') yield atomEntry(el);
    else if (el.name === 'channel') for (const item of el.children.filter((c) => c.name === 'item')) yield rssItem(item);
    else yield sitemapEntry(el);
  }
  const root = reader.root?.name;
  if (!['urlset', 'sitemapindex', 'feed', 'rss'].includes(root ?? '')) throw new XmlRefusal('malformed', `not a sitemap (root <${root}>)`);
}

async function* textSitemap(bytes: AsyncIterable<Uint8Array>, maxLine: number): AsyncIterable<UrlEntry | null> {
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  const lineEntry = (line: string): UrlEntry | null | undefined => {
    const url = line.replace(/^\uFEFF/, '').trim();
    if (url === '') return undefined;
    if (url.length > maxLine || !/^https?:\/\/\S+$/i.test(url)) return null;
    return { url, title: null, date: null, raw_date: null, summary: null, kind: 'page', extra: {} };
  };
  for await (const chunk of bytes) {
    rest += decoder.decode(chunk, { stream: true });
    const lines = rest.split(/\r\n|\r|\n/);
    rest = lines.pop()!;
    if (rest.length > maxLine) throw new XmlRefusal('record_too_large', `line over ${maxLine} characters`);
    for (const l of lines) {
      const e = lineEntry(l);
      if (e !== undefined) yield e;
    }
  }
  const e = lineEntry(rest + decoder.decode());
  if (e !== undefined) yield e;
}
