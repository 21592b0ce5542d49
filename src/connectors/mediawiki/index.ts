import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc, type Doc } from '../../pipeline/doc.js';
import { checkLicenseId } from '../../licenses/spdx.js';
import { HttpOptions } from '../io/http.js';
import { DecompressionLimit } from '../io/bounded-gunzip.js';
import { CorruptCompression } from '../io/bounded-bunzip2.js';
import { expandTargets, isUrl, openDecoded, resolveTarget, targetName } from '../io/archive-input.js';
import { child, childText, children, textOf, DEFAULT_XML_LIMITS, XmlRecordReader, XmlRefusal, type XmlElement } from '../io/xml-records.js';
import { DEFAULT_WIKITEXT_OPTIONS, wikitextToText } from './wikitext.js';

const MiB = 1024 * 1024;

export const MediawikiOptions = z
  .object({
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('XML export dumps (.xml, .xml.bz2, .xml.gz): files, folders or URLs'),
    site_url: z.url().optional().describe('the wiki\'s root, e.g. https://fr.wikipedia.org; default: from <siteinfo><base> (wrong in some test dumps)'),
    site_name: z.string().optional().describe('name used in attributions, e.g. Wikipédia; default: <siteinfo><sitename>'),
    namespaces: z.array(z.number().int()).default([0]).describe('namespaces kept (0: articles)'),
    min_text_chars: z.number().int().min(0).default(1).describe('pages whose clean text is shorter are rejected'),
    max_text_chars: z.number().int().positive().default(10_000_000),
    max_page_chars: z.number().int().positive().default(64 * MiB).describe('largest <page> element, in characters'),
    max_decompressed_bytes: z.number().int().positive().default(256 * 1024 * MiB).describe('largest expanded dump (bz2/gzip bombs stop here)'),
    drop_sections: z.array(z.string()).default(DEFAULT_WIKITEXT_OPTIONS.dropSections),
    http: HttpOptions,
  })
  .strict();
export type MediawikiOptions = z.output<typeof MediawikiOptions>;

interface SiteInfo {
  siteUrl: string | null;
  siteName: string;
  dbname: string | null;
  fileNamespaces: string[];
  categoryNamespaces: string[];
}

function readSiteInfo(el: XmlElement, o: MediawikiOptions): SiteInfo {
  const base = childText(el, 'base');
  const nsName = (key: string) => {
    const ns = child(el, 'namespaces');
    return ns ? children(ns, 'namespace').filter((n) => n.attrs.key === key).map((n) => textOf(n)) : [];
  };
  let siteUrl = o.site_url ?? null;
  if (!siteUrl && base) {
    try {
      siteUrl = new URL(base).origin;
    } catch {
      siteUrl = null;
    }
  }
  return {
    siteUrl: siteUrl?.replace(/\/$/, '') ?? null,
    siteName: o.site_name ?? (childText(el, 'sitename') || 'MediaWiki'),
    dbname: childText(el, 'dbname') || null,
    fileNamespaces: [...DEFAULT_WIKITEXT_OPTIONS.fileNamespaces, ...nsName('6')].filter(Boolean),
    categoryNamespaces: [...DEFAULT_WIKITEXT_OPTIONS.categoryNamespaces, ...nsName('14')].filter(Boolean),
  };
}

/** MediaWiki's URL form of a title: spaces as underscores, the rest percent-encoded but `/` and `:`. */
export function titlePath(title: string): string {
  return encodeURIComponent(title.replace(/ /g, '_')).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%2C/g, ',');
}

const LICENSE = checkLicenseId('CC-BY-SA-4.0');

/**
 * MediaWiki XML export dumps (schemas 0.8 to 0.11; plain, .bz2 or .gz, streamed): one document per
 * article, the last revision's wikitext made clean text, licensed CC BY-SA 4.0 with the attribution
 * the licence asks for (the page and its history, where the authors are listed).
 */
export const mediawikiConnector = defineConnector({
  name: 'mediawiki',
  options: MediawikiOptions,
  async *read(o, input, ctx) {
    const targets = (Array.isArray(o.input) ? o.input : [o.input]).map((t) => resolveTarget(input.baseDir, t));
    const files = await expandTargets(targets, (n) => /\.xml(\.bz2|\.gz)?$/i.test(n));
    const stage = 'mediawiki';
    const license = input.source.license ?? (LICENSE.ok ? LICENSE.id : 'CC-BY-SA-4.0');
    for (const file of files) {
      const name = isUrl(file) ? file : targetName(file);
      const retrieved = input.source.date_retrieved ?? (isUrl(file) ? new Date().toISOString() : (await stat(file)).mtime.toISOString());
      let site: SiteInfo = readSiteInfo({ name: 'siteinfo', uri: '', attrs: {}, children: [], nodes: [] }, o);
      const reader = new XmlRecordReader((local, _uri, depth) => depth === 1 && (local === 'page' || local === 'siteinfo'), {
        ...DEFAULT_XML_LIMITS,
        maxRecordChars: o.max_page_chars,
        maxDocumentChars: Number.MAX_SAFE_INTEGER,
      });
      const counts = { pages: 0, docs: 0, redirects: 0, other_namespace: 0, rejected: 0 };
      const bad = (id: string, reason: string, detail: Record<string, unknown>, extra: Partial<Doc> = {}) => {
        counts.rejected++;
        ctx.reject(makeDoc({ id: `${input.source.id}/${id}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { dump_file: name }, ...extra }), stage, `${stage}.${reason}`, { file: name, ...detail });
      };
      try {
        const bytes = await openDecoded(file, { http: o.http, log: ctx.log, signal: ctx.signal, maxDecompressedBytes: o.max_decompressed_bytes });
        for await (const el of reader.records(bytes)) {
          if (el.name === 'siteinfo') {
            site = readSiteInfo(el, o);
            continue;
          }
          if (reader.root && reader.root.name !== 'mediawiki') throw new XmlRefusal('malformed', `root element is <${reader.root.name}>, not a MediaWiki export <mediawiki>`);
          counts.pages++;
          const outcome = pageToDoc(el, { o, site, sourceId: input.source.id, retrieved, file: name, license, sourceEvidence: input.source.license_evidence, attribution: input.source.attribution });
          if (outcome.kind === 'doc') {
            counts.docs++;
            yield outcome.doc;
          } else if (outcome.kind === 'skip') counts[outcome.why]++;
          else bad(outcome.id, outcome.reason, outcome.detail, outcome.extra);
        }
      } catch (e) {
        if (!(e instanceof XmlRefusal || e instanceof CorruptCompression || e instanceof DecompressionLimit)) throw e;
        const reason = e instanceof XmlRefusal ? `xml_${e.reason}` : e instanceof DecompressionLimit ? 'decompressed_too_large' : 'corrupt_compressed_stream';
        bad(`${name}@page-${counts.pages + 1}`, reason, { error: e.message, pages_read: counts.pages });
      }
      ctx.log.info(`mediawiki: ${name}`, { ...counts, site: site.siteUrl, dbname: site.dbname });
    }
  },
});

type PageOutcome =
  | { kind: 'doc'; doc: Doc }
  | { kind: 'skip'; why: 'redirects' | 'other_namespace' }
  | { kind: 'reject'; id: string; reason: string; detail: Record<string, unknown>; extra?: Partial<Doc> };

function pageToDoc(
  page: XmlElement,
  c: { o: MediawikiOptions; site: SiteInfo; sourceId: string; retrieved: string; file: string; license: string; sourceEvidence: string | undefined; attribution: string | undefined },
): PageOutcome {
  const title = childText(page, 'title');
  const pageId = childText(page, 'id');
  const ns = Number(childText(page, 'ns') || '0');
  if (!title || !pageId) return { kind: 'reject', id: `${c.file}@${title || 'untitled'}`, reason: 'missing_title_or_id', detail: { title, id: pageId } };
  if (!c.o.namespaces.includes(ns)) return { kind: 'skip', why: 'other_namespace' };
  if (child(page, 'redirect')) return { kind: 'skip', why: 'redirects' };
  const revisions = children(page, 'revision');
  const rev = revisions[revisions.length - 1];
  if (!rev) return { kind: 'reject', id: pageId, reason: 'no_revision', detail: { title } };
  const wikitext = (child(rev, 'text')?.nodes ?? []).filter((n): n is string => typeof n === 'string').join('');
  if (/^\s*#(redirect|redirection)\b/i.test(wikitext)) return { kind: 'skip', why: 'redirects' };
  const revisionId = childText(rev, 'id');
  const timestamp = childText(rev, 'timestamp') || null;
  const siteUrl = c.site.siteUrl;
  const url = siteUrl ? `${siteUrl}/wiki/${titlePath(title)}` : null;
  const historyUrl = siteUrl ? `${siteUrl}/w/index.php?title=${titlePath(title)}&action=history` : null;
  const metadata = {
    page_id: pageId,
    namespace: ns,
    revision_id: revisionId || null,
    revision_url: siteUrl && revisionId ? `${siteUrl}/w/index.php?oldid=${revisionId}` : null,
    history_url: historyUrl,
    dbname: c.site.dbname,
    dump_file: c.file,
    wikitext_chars: wikitext.length,
  };
  const text = wikitextToText(wikitext, { fileNamespaces: c.site.fileNamespaces, categoryNamespaces: c.site.categoryNamespaces, dropSections: c.o.drop_sections });
  const base = {
    id: `${c.sourceId}/${pageId}`,
    source: c.sourceId,
    url,
    title,
    date_published: timestamp,
    date_retrieved: c.retrieved,
    license: c.license,
    license_evidence:
      c.sourceEvidence ??
      `${siteUrl ?? c.site.siteName}: text under CC BY-SA 4.0 (Wikimedia Terms of Use, https://foundation.wikimedia.org/wiki/Policy:Terms_of_Use)`,
    attribution: c.attribution ?? `« ${title} », ${c.site.siteName}${url ? `, ${url}` : ''}${historyUrl ? ` ; auteurs : ${historyUrl}` : ''}`,
    metadata,
  };
  if (text.length > c.o.max_text_chars) return { kind: 'reject', id: pageId, reason: 'text_too_long', detail: { chars: text.length, limit: c.o.max_text_chars }, extra: { ...base, text: '' } };
  if (text.length < c.o.min_text_chars) return { kind: 'reject', id: pageId, reason: 'empty_text', detail: { chars: text.length, wikitext_chars: wikitext.length }, extra: { ...base, text } };
  return { kind: 'doc', doc: makeDoc({ ...base, text }) };
}
