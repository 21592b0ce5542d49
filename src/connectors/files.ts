import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector, type ConnectorInput } from './connector.js';
import { makeDoc, type Doc } from '../pipeline/doc.js';
import type { RunContext } from '../pipeline/context.js';

const FORMATS = { jsonl: ['.jsonl', '.ndjson', '.jsonl.gz', '.ndjson.gz'], text: ['.txt'], html: ['.html', '.htm'] } as const;
type Format = keyof typeof FORMATS;

export const FilesOptions = z
  .object({
    path: z.string().min(1).describe('a file or a folder, relative to the source YAML; folders are read recursively in name order'),
    format: z.enum(['auto', 'jsonl', 'text', 'html']).default('auto').describe('auto: by file extension'),
    fields: z
      .object({
        id: z.string().default('id'),
        text: z.string().default('text'),
        title: z.string().default('title'),
        url: z.string().default('url'),
        license: z.string().default('license'),
        license_evidence: z.string().default('license_evidence'),
        attribution: z.string().default('attribution'),
        date_published: z.string().default('date_published'),
      })
      .strict()
      .prefault({})
      .describe('JSONL field names'),
    split_bytes: z
      .number()
      .int()
      .min(1024)
      .default(128 * 1024 * 1024)
      .describe('a plain JSONL file larger than this is planned as byte ranges of about this size (cut at line starts), one task unit each'),
  })
  .strict();
export type FilesOptions = z.output<typeof FilesOptions>;

function formatOf(path: string, wanted: FilesOptions['format']): Format | null {
  const lower = path.toLowerCase();
  for (const [format, exts] of Object.entries(FORMATS) as [Format, readonly string[]][]) {
    if (exts.some((e) => lower.endsWith(e))) return wanted === 'auto' || wanted === format ? format : null;
  }
  return wanted !== 'auto' && extname(lower) === '' ? wanted : null;
}

async function listFiles(root: string): Promise<string[]> {
  const info = await stat(root);
  if (info.isFile()) return [root];
  const entries = await readdir(root, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Local JSONL, plain text and HTML files: the way in for data a user already has on disk. */
export const filesConnector = defineConnector({
  name: 'files',
  options: FilesOptions,
  async *read(options, input, ctx) {
    const root = resolve(input.baseDir, options.path);
    const rootDir = (await stat(root)).isFile() ? dirname(root) : root;
    const range = input.unit === undefined ? null : parseRangeUnit(input.unit);
    const files = input.unit === undefined ? await listFiles(root) : [resolve(rootDir, range ? range.file : input.unit)];
    const sizes = range ? [range.end - range.start] : await Promise.all(files.map(async (f) => (await stat(f)).size));
    ctx.progress.addTotal(sizes.reduce((a, b) => a + b, 0));
    for (const [i, file] of files.entries()) {
      const format = formatOf(file, options.format);
      if (!format) continue;
      const rel = relative(rootDir, file).split('\\').join('/');
      const retrieved = input.source.date_retrieved ?? (await stat(file)).mtime.toISOString();
      const base = { source: input.source.id, date_retrieved: retrieved, metadata: { file: rel } };
      if (format === 'jsonl') yield* readJsonl(file, rel, base, options, ctx, range ?? undefined);
      else {
        const bytes = await readFile(file);
        const id = `${input.source.id}/${rel}`;
        if (format === 'html') yield makeDoc({ ...base, id, text: '', media_type: 'text/html', raw: bytes });
        else {
          try {
            yield makeDoc({ ...base, id, text: utf8.decode(bytes) });
          } catch {
            ctx.reject(makeDoc({ ...base, id, text: '', raw: bytes }), 'files', 'files.invalid_utf8', {
              expected: 'UTF-8 text; convert the file (e.g. iconv -f windows-1252 -t utf-8) or give it as HTML with its charset',
            });
          }
        }
      }
      ctx.progress.advance(sizes[i]!);
    }
  },
  // One unit per file, named by its path under the source's folder, and a large plain JSONL file
  // one unit per byte range: tasks split a source by file, and a big file among several tasks.
  async units(options, input) {
    const root = resolve(input.baseDir, options.path);
    const rootDir = (await stat(root)).isFile() ? dirname(root) : root;
    const units = [];
    for (const file of await listFiles(root)) {
      const format = formatOf(file, options.format);
      if (!format) continue;
      const info = await stat(file);
      const rel = relative(rootDir, file).split('\\').join('/');
      const version = `${info.size}-${info.mtimeMs}`;
      if (format === 'jsonl' && !file.toLowerCase().endsWith('.gz') && info.size > options.split_bytes) {
        for (const r of await lineRanges(file, info.size, options.split_bytes)) units.push({ unit: rangeUnit(rel, r), bytes: r.end - r.start, version });
      } else units.push({ unit: rel, bytes: info.size, version });
    }
    return units;
  },
});

/** A byte range of a JSONL file that starts at a line start, with the number of that line (from 1). */
interface LineRange {
  start: number;
  end: number;
  line: number;
}

/**
 * The file cut into ranges of about `size` bytes, each cut moved forward to the next line start; one
 * pass counts the lines before each cut, so that a range reader numbers its lines (document ids of
 * lines without an id, `metadata.line`) exactly as a reader of the whole file would.
 */
async function lineRanges(file: string, total: number, size: number): Promise<LineRange[]> {
  const ranges: LineRange[] = [];
  let start = 0;
  let line = 1;
  let next = size;
  let lines = 1;
  let pos = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
      lines++;
      const lineStart = pos + i + 1;
      if (lineStart >= next && lineStart < total) {
        ranges.push({ start, end: lineStart, line });
        start = lineStart;
        line = lines;
        next = lineStart + size;
      }
    }
    pos += chunk.length;
  }
  ranges.push({ start, end: total, line });
  return ranges;
}

/** `part.jsonl#bytes=0-134217728,line=1`: a range unit, readable back by `parseRangeUnit`. */
function rangeUnit(rel: string, r: LineRange): string {
  return `${rel}#bytes=${r.start}-${r.end},line=${r.line}`;
}

function parseRangeUnit(unit: string): (LineRange & { file: string }) | null {
  const m = /^(.*)#bytes=(\d+)-(\d+),line=(\d+)$/.exec(unit);
  return m ? { file: m[1]!, start: Number(m[2]), end: Number(m[3]), line: Number(m[4]) } : null;
}

async function* readJsonl(
  file: string,
  rel: string,
  base: Pick<Doc, 'source' | 'date_retrieved' | 'metadata'>,
  options: FilesOptions,
  ctx: RunContext,
  range?: LineRange,
): AsyncIterable<Doc> {
  const f = options.fields;
  if (range && range.end <= range.start) return;
  // Large reads: every chunk is a round trip to libuv's thread pool.
  let input: NodeJS.ReadableStream = createReadStream(file, { highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end - 1 } : {}) });
  if (file.toLowerCase().endsWith('.gz')) input = input.pipe(createGunzip({ chunkSize: 256 * 1024 }));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNo = range ? range.line - 1 : 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    const where = `${base.source}/${rel}:${lineNo}`;
    const bad = (reason: string, detail: unknown) =>
      ctx.reject(makeDoc({ ...base, id: where, text: line, metadata: { file: rel, line: lineNo } }), 'files', `files.${reason}`, detail);
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (e) {
      bad('malformed_json', { error: (e as Error).message });
      continue;
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      bad('not_an_object', { expected: 'a JSON object per line' });
      continue;
    }
    const r = record as Record<string, unknown>;
    const text = r[f.text];
    if (typeof text !== 'string') {
      bad('missing_text', { expected: `a string field "${f.text}"` });
      continue;
    }
    const str = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : null);
    const nativeId = r[f.id] === undefined || r[f.id] === null ? `${rel}:${lineNo}` : String(r[f.id]);
    const known = new Set(Object.values(f));
    const extras = Object.fromEntries(Object.entries(r).filter(([k]) => !known.has(k)));
    yield makeDoc({
      ...base,
      id: `${base.source}/${nativeId}`,
      text,
      title: str(f.title),
      url: str(f.url),
      license: str(f.license),
      license_evidence: str(f.license_evidence) ?? (str(f.license) ? `${rel}:${lineNo} field "${f.license}"` : null),
      attribution: str(f.attribution),
      date_published: str(f.date_published),
      metadata: { ...extras, file: rel, line: lineNo },
    });
  }
}
