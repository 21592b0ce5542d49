import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector, type ConnectorInput } from '../connector.js';
import { makeDoc, type Doc } from '../../pipeline/doc.js';
import type { RunContext } from '../../pipeline/context.js';
import { mapLicense } from '../../licenses/table.js';
import { childText, DEFAULT_XML_LIMITS, textOf, XmlRecordReader, XmlRefusal, type XmlElement } from '../io/xml-records.js';
import { amendementText, reunionText, type AnText } from './open-data.js';
import { parseFrenchDate } from './french-date.js';

const TEI_NS = 'http://www.tei-c.org/ns/1.0';

export const AssembleeOptions = z
  .object({
    path: z.string().min(1).describe('a file or folder of AN open-data JSON (amendements, réunions) and TEI debates, relative to the source YAML'),
    kinds: z.array(z.enum(['amendement', 'reunion', 'debat'])).default(['amendement', 'debat']).describe('what becomes documents'),
    max_file_bytes: z.number().int().positive().default(256 * 1024 * 1024),
    min_chars: z.number().int().min(1).default(1),
  })
  .strict();
export type AssembleeOptions = z.output<typeof AssembleeOptions>;

async function listFiles(root: string): Promise<string[]> {
  if ((await stat(root)).isFile()) return [root];
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(json|xml)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Assemblée nationale open data (data.assemblee-nationale.fr exports: one JSON object per file)
 * and debates in TEI: amendment explanations and debate speeches as documents, with the speaker
 * and the date. JSON documents take the source's declared licence (Licence Ouverte); a TEI file
 * takes the licence its header states for the encoding.
 */
export const assembleeConnector = defineConnector({
  name: 'assemblee',
  options: AssembleeOptions,
  async *read(options, input, ctx) {
    const root = resolve(input.baseDir, options.path);
    const files = await listFiles(root);
    const rootDir = files.length === 1 && files[0] === root ? resolve(root, '..') : root;
    const retrieved = input.source.date_retrieved ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    for (const file of files) {
      const rel = relative(rootDir, file).split('\\').join('/');
      const size = (await stat(file)).size;
      const base = { source: input.source.id, date_retrieved: retrieved };
      const bad = (id: string, reason: string, detail: unknown) => ctx.reject(makeDoc({ ...base, id, text: '', metadata: { file: rel } }), 'assemblee', `assemblee.${reason}`, detail);
      if (size > options.max_file_bytes) {
        bad(`${input.source.id}/${rel}`, 'file_too_large', { bytes: size, limit: options.max_file_bytes });
        continue;
      }
      if (/\.json$/i.test(file)) yield* readJson(file, rel, options, input, ctx, retrieved);
      else yield* readTei(file, rel, options, input, ctx, retrieved);
    }
  },
});

async function* readJson(file: string, rel: string, options: AssembleeOptions, input: ConnectorInput, ctx: RunContext, retrieved: string): AsyncIterable<Doc> {
  const source = input.source;
  const fallbackId = `${source.id}/${basename(rel).replace(/\.json$/i, '')}`;
  const bad = (id: string, reason: string, detail: unknown, text = '') =>
    ctx.reject(makeDoc({ source: source.id, date_retrieved: retrieved, id, text, metadata: { file: rel } }), 'assemblee', `assemblee.${reason}`, detail);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    return bad(fallbackId, 'malformed_json', { file: rel, error: (e as Error).message });
  }
  const rootKey = json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json)[0] : undefined;
  const body = rootKey ? (json as Record<string, unknown>)[rootKey] : undefined;
  let item: AnText | null = null;
  if (rootKey === 'amendement') item = amendementText(body);
  else if (rootKey === 'reunion') item = reunionText(body);
  else return bad(fallbackId, 'not_prose', { file: rel, type: rootKey ?? null, expected: 'amendement or reunion' });
  if (!item) return bad(fallbackId, 'malformed_record', { file: rel, expected: `${rootKey}.uid` });
  if (!options.kinds.includes(item.kind)) return;
  const id = `${source.id}/${item.uid}`;
  if (item.text.length < options.min_chars) return bad(id, 'no_text', { file: rel });
  if (!source.license) return bad(id, 'no_license', { expected: 'the source to declare its licence (Licence Ouverte)' }, item.text);
  yield makeDoc({
    id,
    source: source.id,
    text: item.text,
    title: item.title,
    url: null,
    license: source.license,
    license_evidence: source.license_evidence ?? `sources/${source.id}.yaml: license ${source.license}`,
    attribution: source.attribution ?? 'Assemblée nationale',
    date_published: item.date,
    date_retrieved: retrieved,
    metadata: { ...item.metadata, speaker: item.speaker, file: rel },
  });
}

function speechText(sp: XmlElement): string {
  const paras: string[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === 'speaker') continue;
      if (c.name === 'p') {
        const t = textOf(c);
        if (t) paras.push(t);
      } else walk(c);
    }
  };
  walk(sp);
  return paras.join('\n');
}

function speechMeta(sp: XmlElement): Record<string, string> {
  const meta = sp.children.find((c) => c.name === 'metadata');
  return meta ? { ...meta.attrs } : {};
}

async function* readTei(file: string, rel: string, options: AssembleeOptions, input: ConnectorInput, ctx: RunContext, retrieved: string): AsyncIterable<Doc> {
  if (!options.kinds.includes('debat')) return;
  const source = input.source;
  const stem = basename(rel).replace(/\.(tei\.)?xml$/i, '');
  const reader = new XmlRecordReader((name, uri, depth) => uri === TEI_NS && ((depth === 1 && name === 'teiHeader') || name === 'sp'), DEFAULT_XML_LIMITS);
  let title: string | null = null;
  let date: string | null = null;
  let license: { id: string; evidence: string } | null = null;
  let n = 0;
  try {
    for await (const el of reader.records(createReadStream(file))) {
      if (reader.root && (reader.root.name !== 'TEI' || reader.root.uri !== TEI_NS)) throw new XmlRefusal('malformed', `not a TEI document (root <${reader.root.name}>)`);
      if (el.name === 'teiHeader') {
        const fileDesc = el.children.find((c) => c.name === 'fileDesc');
        title = fileDesc ? childText(fileDesc.children.find((c) => c.name === 'titleStmt') ?? fileDesc, 'title') || null : null;
        date = parseFrenchDate(textOf(el.children.find((c) => c.name === 'profileDesc')) || textOf(fileDesc));
        const availability = textOf(fileDesc?.children.find((c) => c.name === 'publicationStmt'));
        for (const url of availability.match(/https?:\/\/\S+/g) ?? []) {
          const m = mapLicense(url.replace(/[.,;)]+$/, ''), `${rel} teiHeader availability`);
          if (m.ok) {
            license = { id: m.id, evidence: m.evidence };
            break;
          }
        }
        continue;
      }
      n++;
      const id = `${source.id}/${stem}/sp-${n}`;
      const speaker = childText(el, 'speaker') || null;
      const meta = speechMeta(el);
      const text = speechText(el);
      const docInit = {
        id,
        source: source.id,
        text,
        title,
        date_published: date,
        date_retrieved: retrieved,
        attribution: speaker,
        metadata: { type: 'debat', file: rel, n, speaker, who: el.attrs.who ?? null, ...meta },
      };
      if (text.length < options.min_chars) {
        ctx.reject(makeDoc(docInit), 'assemblee', 'assemblee.no_text', { file: rel, n });
        continue;
      }
      const lic = license ?? (source.license ? { id: source.license, evidence: source.license_evidence ?? `sources/${source.id}.yaml: license ${source.license}` } : null);
      if (!lic) {
        ctx.reject(makeDoc(docInit), 'assemblee', 'assemblee.no_license', { file: rel, expected: 'a licence URL in teiHeader/publicationStmt/availability or a source licence' });
        continue;
      }
      yield makeDoc({ ...docInit, license: lic.id, license_evidence: lic.evidence });
    }
  } catch (e) {
    if (!(e instanceof XmlRefusal)) throw e;
    ctx.reject(makeDoc({ id: `${source.id}/${stem}`, source: source.id, text: '', date_retrieved: retrieved, metadata: { file: rel } }), 'assemblee', `assemblee.${e.reason}`, { file: rel, after_speeches: n, error: e.message });
  }
}
