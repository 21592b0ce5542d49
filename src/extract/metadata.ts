import type { CheerioAPI } from 'cheerio';

export interface PageMetadata {
  title: string | null;
  author: string | null;
  date_published: string | null;
  site_name: string | null;
  canonical: string | null;
  lang: string | null;
  description: string | null;
}

/** Every JSON-LD object of the page, `@graph` members included. */
export function jsonLdObjects($: CheerioAPI): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      out.push(o);
      if (o['@graph']) visit(o['@graph']);
    }
  };
  $('script[type="application/ld+json" i]').each((_, el) => {
    try {
      visit(JSON.parse($(el).text().trim()));
    } catch {
      // A broken JSON-LD block is the page's problem: the other sources of metadata still count.
    }
  });
  return out;
}

const ARTICLE_TYPES = /Article|BlogPosting|NewsArticle|Report|WebPage|TechArticle|DiscussionForumPosting|Question/;

function name(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (Array.isArray(v)) return v.map(name).filter(Boolean).join(', ') || null;
  if (v && typeof v === 'object') return name((v as Record<string, unknown>).name);
  return null;
}

/** ISO 8601 form of a date a page states, or null when it is not a date. */
export function isoDate(v: string | null | undefined): string | null {
  if (!v) return null;
  const s = v.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

/**
 * Title, author, publication date, site name, canonical URL and language of a page, each from the
 * most explicit place that states it: JSON-LD, then Open Graph / article / Dublin Core meta, then
 * HTML (`<time>`, `<title>`, `<h1>`, `rel=author`).
 */
export function readMetadata($: CheerioAPI, baseUrl?: string): PageMetadata {
  const meta = (...names: string[]) => {
    for (const n of names) {
      const v = $(`meta[name="${n}" i], meta[property="${n}" i], meta[itemprop="${n}" i]`).first().attr('content')?.trim();
      if (v) return v;
    }
    return null;
  };
  const ld = jsonLdObjects($).filter((o) => ARTICLE_TYPES.test(String(o['@type'] ?? '')));
  const fromLd = (k: string) => {
    for (const o of ld) {
      const v = name(o[k]);
      if (v) return v;
    }
    return null;
  };
  const canonicalHref = $('link[rel~="canonical" i]').attr('href') ?? meta('og:url');
  let canonical: string | null = null;
  if (canonicalHref) {
    try {
      canonical = new URL(canonicalHref, baseUrl).href;
    } catch {
      canonical = null;
    }
  }
  const title = fromLd('headline') ?? meta('og:title', 'twitter:title', 'dc.title', 'dcterms.title') ?? ($('title').first().text().replace(/\s+/g, ' ').trim() || null) ?? ($('h1').first().text().trim() || null);
  const author =
    fromLd('author') ??
    meta('author', 'article:author', 'dc.creator', 'dcterms.creator', 'byl') ??
    ($('[rel="author"], [itemprop="author"]').first().text().replace(/\s+/g, ' ').trim() || null);
  const date =
    isoDate(fromLd('datePublished')) ??
    isoDate(meta('article:published_time', 'datePublished', 'dc.date', 'dcterms.date', 'dcterms.issued', 'date', 'pubdate')) ??
    isoDate($('time[datetime]').first().attr('datetime'));
  const site = meta('og:site_name', 'application-name') ?? (ld.map((o) => name(o.publisher)).find(Boolean) ?? null);
  const lang = $('html').attr('lang')?.trim() || meta('dc.language', 'content-language') || null;
  return { title, author, date_published: date, site_name: site, canonical, lang, description: meta('description', 'og:description') };
}
