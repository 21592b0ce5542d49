import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc, type Doc } from '../../pipeline/doc.js';
import type { RunContext } from '../../pipeline/context.js';
import type { Source } from '../../schema/source.js';
import { mapLicense, PUBLIC_DOMAIN } from '../../licenses/table.js';
import { HttpOptions, readAll } from '../io/http.js';
import { DecompressionLimit } from '../io/bounded-gunzip.js';
import { CorruptCompression } from '../io/bounded-bunzip2.js';
import { expandTargets, isUrl, openDecoded, resolveTarget, targetName, type OpenOptions } from '../io/archive-input.js';
import { DEFAULT_XML_LIMITS, XmlRecordReader, XmlRefusal } from '../io/xml-records.js';
import { decodeEbook, languageCode, parseHeader, stripBoilerplate } from './boilerplate.js';
import { parseEbook, type CatalogEntry } from './rdf.js';

const MiB = 1024 * 1024;

export const GutenbergOptions = z
  .object({
    input: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('eBook texts (.txt) and/or RDF catalogue records (.rdf, or the rdf-files .tar/.tar.gz/.tar.bz2): files, folders or URLs'),
    languages: z.array(z.string()).default(['fr']).describe('catalogue mode: dcterms:language codes kept'),
    text_url: z.string().default('https://www.gutenberg.org/cache/epub/{id}/pg{id}.txt').describe('catalogue mode: where the text of eBook {id} is fetched (prefer a mirror)'),
    public_domain: z
      .enum(['eu', 'us'])
      .default('eu')
      .describe('catalogue mode: "eu" also requires every creator to have died more than 70 years ago (public domain in France); "us": Project Gutenberg\'s own US status'),
    delay_ms: z.number().int().min(0).default(2000).describe('catalogue mode: pause between text downloads (Project Gutenberg asks robots to go slowly)'),
    max_text_bytes: z.number().int().positive().default(64 * MiB),
    max_decompressed_bytes: z.number().int().positive().default(16 * 1024 * MiB),
    http: HttpOptions,
  })
  .strict();
export type GutenbergOptions = z.output<typeof GutenbergOptions>;

const STAGE = 'gutenberg';

const ebookUrl = (id: string) => `https://www.gutenberg.org/ebooks/${id}`;

function rightsToLicense(rights: string | null): { ok: true; id: string; evidence: string } | { ok: false; reason: string; why: string } {
  if (!rights) return { ok: false, reason: 'rights_missing', why: 'the catalogue record has no dcterms:rights' };
  if (/^public domain\b/i.test(rights.trim())) return { ok: true, id: PUBLIC_DOMAIN, evidence: `Project Gutenberg catalogue dcterms:rights "${rights}"` };
  if (/^copyrighted\b/i.test(rights.trim())) return { ok: false, reason: 'copyrighted', why: `dcterms:rights "${rights}"` };
  const m = mapLicense(rights, 'dcterms:rights');
  return m.ok ? { ok: true, id: m.id, evidence: m.evidence } : { ok: false, reason: 'rights_unknown', why: m.why };
}

interface TextInfo {
  ebook: string;
  url: string | null;
  title: string | null;
  author: string | null;
  language: string | null;
  date_published: string | null;
  license: string;
  license_evidence: string;
  extra: Record<string, unknown>;
}

/** A Gutenberg text as a document, boilerplate removed; a reject when its START line is missing. */
function textToOutcome(bytes: Uint8Array, where: string, source: Source, retrieved: string, known: Partial<TextInfo>): { doc: Doc } | { reject: Doc; reason: string; detail: Record<string, unknown> } {
  const { text, charset } = decodeEbook(bytes);
  const stripped = stripBoilerplate(text);
  const header = parseHeader(stripped?.header ?? text.slice(0, 5000));
  const ebook = known.ebook ?? header.ebook ?? where;
  const base = {
    id: `${source.id}/${ebook}`,
    source: source.id,
    url: known.url ?? (header.ebook ? ebookUrl(header.ebook) : null),
    title: known.title ?? header.title,
    date_retrieved: retrieved,
    metadata: { ebook, file: where, charset, header_language: header.language, translator: header.translator, release_date: header.releaseDate, ...known.extra },
  };
  if (!stripped) return { reject: makeDoc({ ...base, text: '' }), reason: `${STAGE}.no_start_marker`, detail: { file: where, why: 'no "*** START OF THE PROJECT GUTENBERG EBOOK" line: the boilerplate cannot be removed safely' } };
  if (stripped.body.trim() === '') return { reject: makeDoc({ ...base, text: '' }), reason: `${STAGE}.empty_text`, detail: { file: where } };
  const author = known.author ?? header.author;
  return {
    doc: makeDoc({
      ...base,
      text: stripped.body,
      license: source.license ?? known.license ?? PUBLIC_DOMAIN,
      license_evidence:
        source.license_evidence ??
        known.license_evidence ??
        `Project Gutenberg eBook #${ebook}: released as a public domain work in the USA ("for the use of anyone anywhere in the United States")`,
      attribution: source.attribution ?? [author, known.title ?? header.title].filter(Boolean).join(', ') + ` (source : Project Gutenberg, eBook #${ebook})`,
      date_published: known.date_published ?? null,
      metadata: { ...base.metadata, language_code: known.language ?? languageCode(header.language), start_marker: stripped.startMarker, end_marker: stripped.endMarker },
    }),
  };
}

async function* catalogEntries(target: string, open: OpenOptions): AsyncIterable<{ entry: CatalogEntry | null; where: string }> {
  const bytes = await openDecoded(target, open);
  const name = targetName(target);
  const reader = () => new XmlRecordReader((local, _uri, depth) => depth === 1 && local === 'ebook', { ...DEFAULT_XML_LIMITS, maxDocumentChars: Number.MAX_SAFE_INTEGER });
  if (!/\.tar(\.gz|\.bz2)?$/i.test(name)) {
    for await (const el of reader().records(bytes)) yield { entry: parseEbook(el), where: name };
    return;
  }
  const extract = tar.extract();
  Readable.from(bytes).pipe(extract);
  for await (const entry of extract) {
    if (entry.header.type !== 'file' || !/\.rdf$/i.test(entry.header.name)) {
      entry.resume();
      continue;
    }
    const where = `${name}:${entry.header.name}`;
    for await (const el of reader().records(entry as unknown as AsyncIterable<Uint8Array>)) yield { entry: parseEbook(el), where };
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (ms === 0) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

/**
 * Project Gutenberg: eBook texts read directly, or the RDF catalogue filtered by language and
 * rights, each kept eBook's text fetched. The header and footer boilerplate is removed (the
 * Project Gutenberg licence's condition for using the text without its trademark); the source is
 * named in the attribution and metadata.
 */
export const gutenbergConnector = defineConnector({
  name: 'gutenberg',
  options: GutenbergOptions,
  async *read(o, input, ctx) {
    const open: OpenOptions = { http: o.http, log: ctx.log, signal: ctx.signal, maxDecompressedBytes: o.max_decompressed_bytes };
    const targets = (Array.isArray(o.input) ? o.input : [o.input]).map((t) => resolveTarget(input.baseDir, t));
    const files = await expandTargets(targets, (n) => /\.(txt|rdf|tar|tar\.gz|tar\.bz2)$/i.test(n));
    const now = new Date().toISOString();
    const reject = (doc: Doc, reason: string, detail: Record<string, unknown>) => ctx.reject(doc, STAGE, reason, detail);
    for (const file of files) {
      const name = isUrl(file) ? file : targetName(file);
      const retrieved = input.source.date_retrieved ?? (isUrl(file) ? now : (await stat(file)).mtime.toISOString());
      const stub = (id: string, extra: Record<string, unknown> = {}) => makeDoc({ id: `${input.source.id}/${id}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { file: name, ...extra } });
      try {
        if (/\.txt$/i.test(name)) {
          const bytes = await readAll(await openDecoded(file, { ...open, maxDecompressedBytes: o.max_text_bytes }));
          const out = textToOutcome(bytes, name, input.source, retrieved, {});
          if ('doc' in out) yield out.doc;
          else reject(out.reject, out.reason, out.detail);
          continue;
        }
        let first = true;
        for await (const { entry, where } of catalogEntries(file, open)) {
          if (!entry) {
            reject(stub(`${where}@ebook`), `${STAGE}.bad_catalog_record`, { file: where, why: 'pgterms:ebook without an ebooks/N identifier' });
            continue;
          }
          yield* fromCatalog(entry, where, o, input.source, ctx, open, stub, first);
          first = false;
        }
      } catch (e) {
        if (!(e instanceof XmlRefusal || e instanceof CorruptCompression || e instanceof DecompressionLimit)) throw e;
        const reason = e instanceof XmlRefusal ? `xml_${e.reason}` : e instanceof DecompressionLimit ? 'decompressed_too_large' : 'corrupt_compressed_stream';
        reject(stub(name), `${STAGE}.${reason}`, { file: name, error: e.message });
      }
    }
  },
});

async function* fromCatalog(
  entry: CatalogEntry,
  where: string,
  o: GutenbergOptions,
  source: Source,
  ctx: RunContext,
  open: OpenOptions,
  stub: (id: string, extra?: Record<string, unknown>) => Doc,
  first: boolean,
): AsyncIterable<Doc> {
  const meta = { ebook: entry.id, catalog: where, title: entry.title, languages: entry.languages, rights: entry.rights };
  const no = (reason: string, detail: Record<string, unknown>) => ctx.reject({ ...stub(entry.id, meta), url: ebookUrl(entry.id), title: entry.title }, STAGE, `${STAGE}.${reason}`, { ebook: entry.id, ...detail });
  if (!entry.languages.some((l) => o.languages.includes(l))) return; // another language: not this source's
  if (entry.type && entry.type !== 'Text') return no('not_text', { type: entry.type });
  const lic = rightsToLicense(entry.rights);
  if (!lic.ok) return no(lic.reason, { why: lic.why });
  if (o.public_domain === 'eu' && lic.id === PUBLIC_DOMAIN) {
    const limit = new Date().getUTCFullYear() - 71;
    const people = entry.creators;
    const unproven = people.length === 0 ? ['(no creator listed)'] : people.filter((p) => p.death === null || p.death > limit).map((p) => `${p.name} (${p.role}, died ${p.death ?? 'unknown'})`);
    if (unproven.length) return no('not_public_domain_in_eu', { why: `public domain in France needs every author dead before ${limit + 1}`, creators: unproven });
  }
  if (!first && o.delay_ms) await sleep(o.delay_ms, ctx.signal);
  const url = o.text_url.replaceAll('{id}', entry.id);
  let bytes: Buffer;
  try {
    bytes = await readAll(await openDecoded(url, { ...open, maxDecompressedBytes: o.max_text_bytes }));
  } catch (e) {
    return no('text_unavailable', { url, error: (e as Error).message });
  }
  const creator = entry.creators.find((c) => c.role === 'creator');
  const out = textToOutcome(bytes, url, source, new Date().toISOString(), {
    ebook: entry.id,
    url: ebookUrl(entry.id),
    title: entry.title,
    author: creator?.name ?? null,
    language: entry.languages[0] ?? null,
    date_published: null,
    license: lic.id,
    license_evidence: `${lic.evidence}${o.public_domain === 'eu' ? `; all creators died before ${new Date().getUTCFullYear() - 70} (public domain in the EU)` : ''}`,
    extra: { catalog: where, creators: entry.creators, bookshelves: entry.bookshelves, subjects: entry.subjects, issued: entry.issued, text_url: url },
  });
  if ('doc' in out) yield out.doc;
  else ctx.reject(out.reject, STAGE, out.reason, out.detail);
}
