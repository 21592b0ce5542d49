import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { parseSitemap, parseSitemapIndex } from 'sitemap';
import { SaxesParser } from 'saxes';
import * as cheerio from 'cheerio';

/** URLs a sitemap lists: pages from a `<urlset>`, child sitemaps from a `<sitemapindex>`, or text lines. */
export async function readSitemap(body: Uint8Array): Promise<{ pages: string[]; sitemaps: string[] }> {
  const bytes = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : Buffer.from(body);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (/<sitemapindex[\s>]/i.test(text.slice(0, 4096))) {
    const items = await parseSitemapIndex(Readable.from([bytes]));
    return { pages: [], sitemaps: items.map((i) => i.url) };
  }
  if (/<urlset[\s>]/i.test(text.slice(0, 4096))) {
    const items = await parseSitemap(Readable.from([bytes]));
    return { pages: items.map((i) => i.url), sitemaps: [] };
  }
  // sitemaps.org "text file" form: one absolute URL a line.
  const pages = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^https?:\/\//i.test(l));
  return { pages, sitemaps: [] };
}

/** Item links of an RSS 2.0 / RSS 1.0 / Atom feed, in document order. */
export function readFeed(body: Uint8Array): string[] {
  const parser = new SaxesParser({ xmlns: false });
  const links: string[] = [];
  const stack: string[] = [];
  let text = '';
  parser.on('opentag', (tag) => {
    const name = tag.name.toLowerCase().replace(/^.*:/, '');
    stack.push(name);
    text = '';
    const inEntry = stack.includes('entry');
    if (name === 'link' && inEntry) {
      const rel = String(tag.attributes.rel ?? 'alternate');
      const href = tag.attributes.href;
      if (rel === 'alternate' && typeof href === 'string') links.push(href);
    }
  });
  parser.on('text', (t) => (text += t));
  parser.on('cdata', (t) => (text += t));
  parser.on('closetag', () => {
    const name = stack.pop();
    if (name === 'link' && stack.includes('item') && text.trim()) links.push(text.trim());
    text = '';
  });
  parser.write(Buffer.from(body).toString('utf8').replace(/^\uFEFF/, '')).close();
  return links;
}

export interface PageLinks {
  links: string[];
  canonical: string | null;
  nofollow: boolean;
  noindex: boolean;
}

/** Links to follow from an HTML page, its canonical URL and its robots meta directives. */
export function readPageLinks(html: string, baseUrl: string): PageLinks {
  const $ = cheerio.load(html);
  const baseHref = $('base[href]').attr('href');
  const base = baseHref ? safeUrl(baseHref, baseUrl) ?? baseUrl : baseUrl;
  const robots = $('meta[name="robots" i]').attr('content')?.toLowerCase() ?? '';
  const links: string[] = [];
  $('a[href], area[href]').each((_, el) => {
    const rel = ($(el).attr('rel') ?? '').toLowerCase().split(/\s+/);
    if (rel.includes('nofollow')) return;
    const abs = safeUrl($(el).attr('href')!, base);
    if (abs) links.push(abs);
  });
  const canonicalHref = $('link[rel~="canonical" i]').attr('href');
  return {
    links,
    canonical: canonicalHref ? safeUrl(canonicalHref, base) : null,
    nofollow: /\b(nofollow|none)\b/.test(robots),
    noindex: /\b(noindex|none)\b/.test(robots),
  };
}

function safeUrl(href: string, base: string): string | null {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}
