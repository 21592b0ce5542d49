import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { DEFAULT_XML_LIMITS, parseXmlDocument, XmlRefusal } from '../io/xml-records.js';
import { DecompressionLimit } from '../io/bounded-gunzip.js';
import { BrokenArchive, listArchives, tarEntries } from './archives.js';
import { readArticle } from './article.js';

export const DilaOptions = z
  .object({
    path: z.string().min(1).describe('a .tar.gz archive or a folder of them (global dump + incrementals), relative to the source YAML'),
    status: z.array(z.string()).default(['VIGUEUR']).describe('article states (ETAT) kept; others are rejected as dila.not_selected_status'),
    max_archive_bytes: z.number().int().positive().default(64 * 1024 * 1024 * 1024).describe('largest expanded size of one archive'),
    max_entry_bytes: z.number().int().positive().default(16 * 1024 * 1024),
    license: z.string().default('etalab-2.0'),
    license_evidence: z.string().default('DILA open data (https://echanges.dila.gouv.fr/OPENDATA/): Licence Ouverte 2.0'),
    attribution: z.string().default('DILA (Direction de l’information légale et administrative)'),
  })
  .strict();

/** The article id a tar entry holds, from its file name (`.../LEGIARTI000006419280.xml`). */
function articleIdOf(name: string): string | null {
  const m = /([A-Z]{4}ARTI\d{12})\.xml$/.exec(name);
  return m ? m[1]! : null;
}

const URLS: Record<string, string> = { LEGI: 'https://www.legifrance.gouv.fr/codes/article_lc/', JORF: 'https://www.legifrance.gouv.fr/jorf/article_jo/', KALI: 'https://www.legifrance.gouv.fr/conv_coll/article/' };

/**
 * Légifrance open data (DILA LEGI, JORF, KALI): articles with their text, the code or text title,
 * number, validity dates and state, NOR and ELI where present. Archives are applied in order:
 * a first pass over the entry names finds the last version of each article and the deletions
 * (`liste_suppression_*.dat`), the second emits each article once, from its last archive.
 */
export const dilaConnector = defineConnector({
  name: 'dila',
  options: DilaOptions,
  async *read(options, input, ctx) {
    const archives = await listArchives(resolve(input.baseDir, options.path));
    const source = input.source.id;
    const retrieved = input.source.date_retrieved ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const reject = (id: string, reason: string, detail: unknown, text = '', metadata: Record<string, unknown> = {}) =>
      ctx.reject(makeDoc({ id: `${source}/${id}`, source, text, date_retrieved: retrieved, metadata }), 'dila', `dila.${reason}`, detail);

    // Pass 1: where each article's last version is; -1 when its last word is a deletion.
    const last = new Map<string, number>();
    const deletedIn = new Map<string, string>();
    const broken = new Set<number>();
    for (const [i, archive] of archives.entries()) {
      try {
        for await (const entry of tarEntries(archive, options.max_archive_bytes)) {
          const id = articleIdOf(entry.name);
          if (id) last.set(id, i);
          else if (/liste_suppression[^/]*\.dat$/.test(entry.name)) {
            for (const line of (await entry.read()).toString('utf8').split(/\r?\n/)) {
              const gone = /([A-Z]{4}ARTI\d{12})\s*$/.exec(line.trim())?.[1];
              if (gone) {
                last.set(gone, -1);
                deletedIn.set(gone, basename(archive));
              }
            }
          }
        }
      } catch (e) {
        if (!(e instanceof DecompressionLimit || e instanceof BrokenArchive)) throw e;
        broken.add(i);
        reject(basename(archive), e instanceof DecompressionLimit ? e.reason : 'broken_archive', { archive: basename(archive), error: (e as Error).message });
      }
    }
    for (const [id, where] of last) if (where === -1) reject(id, 'takedown', { takedown: true, article: id, deleted_in: deletedIn.get(id) });

    // Pass 2: each article from its last archive.
    for (const [i, archive] of archives.entries()) {
      if (broken.has(i)) continue;
      const name = basename(archive);
      try {
        for await (const entry of tarEntries(archive, options.max_archive_bytes)) {
          const id = articleIdOf(entry.name);
          if (!id || last.get(id) !== i) continue;
          if (entry.size > options.max_entry_bytes) {
            reject(id, 'entry_too_large', { archive: name, entry: entry.name, bytes: entry.size, limit: options.max_entry_bytes });
            continue;
          }
          const bytes = await entry.read();
          let article;
          try {
            const root = await parseXmlDocument((async function* () { yield bytes; })(), { ...DEFAULT_XML_LIMITS, maxRecordChars: options.max_entry_bytes, maxDocumentChars: options.max_entry_bytes });
            article = readArticle(root);
          } catch (e) {
            if (!(e instanceof XmlRefusal)) throw e;
            reject(id, e.reason, { archive: name, entry: entry.name, error: e.message });
            continue;
          }
          if (!article) {
            reject(id, 'not_an_article', { archive: name, entry: entry.name, expected: '<ARTICLE> with META_COMMUN/ID' });
            continue;
          }
          const { text: _text, ...fields } = article;
          const metadata = { ...fields, archive: name, entry: entry.name };
          if (!options.status.includes(article.etat ?? '')) {
            reject(id, 'not_selected_status', { status: article.etat, kept: options.status }, article.text, metadata);
            continue;
          }
          if (!article.text) {
            reject(id, 'no_text', { archive: name, entry: entry.name }, '', metadata);
            continue;
          }
          const fund = article.fund ?? id.slice(0, 4);
          yield makeDoc({
            id: `${source}/${id}`,
            source,
            text: article.text,
            title: [article.text_title, article.num ? `Article ${article.num}` : null].filter(Boolean).join(', ') || null,
            url: URLS[fund] ? `${URLS[fund]}${id}` : null,
            license: options.license,
            license_evidence: options.license_evidence,
            attribution: options.attribution,
            date_published: article.date_debut,
            date_retrieved: retrieved,
            metadata,
          });
        }
      } catch (e) {
        if (!(e instanceof DecompressionLimit || e instanceof BrokenArchive)) throw e;
        reject(name, e instanceof DecompressionLimit ? e.reason : 'broken_archive', { archive: name, error: (e as Error).message });
      }
    }
  },
});
