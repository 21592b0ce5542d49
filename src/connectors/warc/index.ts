import { stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector, type ConnectorInput } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import type { RunContext } from '../../pipeline/context.js';
import { silentLogger } from '../../pipeline/log.js';
import type { Doc } from '../../pipeline/doc.js';
import { HttpOptions } from '../io/http.js';
import { ByteReader } from '../io/byte-reader.js';
import { DecompressionLimit } from '../io/bounded-gunzip.js';
import { CorruptCompression } from '../io/bounded-bunzip2.js';
import { expandTargets, isUrl, openDecoded, resolveTarget, targetName, type OpenOptions } from '../io/archive-input.js';
import { readWarcRecords, type WarcProblem } from './records.js';
import { recordToOutcome, unbracket, type RecordContext } from './to-doc.js';
import { loadFileCheckpoint, readPathsListing, saveFileCheckpoint } from './file-list.js';

const MiB = 1024 * 1024;
const ARCHIVE_NAME = /\.(warc|arc|wet)(\.gz)?$/i;

function webArchiveOptions(defaultTypes: string[]) {
  return z
    .object({
      input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('archive files, folders or URLs (.warc, .warc.gz, .arc, .arc.gz, .wet, .wet.gz)'),
      paths: z.string().min(1).optional().describe('a Common Crawl warc.paths(.gz) / wet.paths(.gz) listing, a file or a URL'),
      base_url: z.url().default('https://data.commoncrawl.org/').describe('prefix of the relative paths in the listing'),
      max_files: z.number().int().positive().optional().describe('read only the first N files of the listing'),
      checkpoint: z.string().optional().describe('JSON file (relative to the source YAML) recording finished archive files, so that a rerun resumes at the next one'),
      record_types: z.array(z.enum(['response', 'resource', 'conversion'])).default(defaultTypes as ['response']).describe('record types that become documents'),
      html_types: z.array(z.string()).default(['text/html', 'application/xhtml+xml']).describe('payload types passed on as HTML for the extract stage'),
      text_types: z.array(z.string()).default(['text/plain']).describe('payload types decoded as plain text'),
      max_record_bytes: z.number().int().positive().default(64 * MiB).describe('largest WARC block read; bigger records are rejected'),
      max_header_bytes: z.number().int().positive().default(256 * 1024),
      max_payload_bytes: z.number().int().positive().default(32 * MiB).describe('largest HTTP payload after de-chunking and Content-Encoding'),
      max_decompressed_bytes: z.number().int().positive().default(64 * 1024 * MiB).describe('largest expanded size of one archive file (gzip bombs stop here)'),
      http: HttpOptions,
    })
    .strict()
    .refine((o) => o.input !== undefined || o.paths !== undefined, { message: 'give "input" (files, folders, URLs) or "paths" (a warc.paths listing)' });
}

export const WarcOptions = webArchiveOptions(['response', 'resource', 'conversion']);
export type WarcOptions = z.output<typeof WarcOptions>;

function openOptions(o: WarcOptions, ctx: Pick<RunContext, 'log' | 'signal'>): OpenOptions {
  return { http: o.http, log: ctx.log, signal: ctx.signal, maxDecompressedBytes: o.max_decompressed_bytes };
}

async function archiveFiles(o: WarcOptions, input: ConnectorInput, ctx: Pick<RunContext, 'log' | 'signal'>): Promise<string[]> {
  const files: string[] = [];
  if (o.input !== undefined) {
    const list = (Array.isArray(o.input) ? o.input : [o.input]).map((t) => resolveTarget(input.baseDir, t));
    files.push(...(await expandTargets(list, (n: string) => ARCHIVE_NAME.test(n))));
  }
  if (o.paths !== undefined) files.push(...(await readPathsListing(resolveTarget(input.baseDir, o.paths), o.base_url, openOptions(o, ctx), o.max_files)));
  return files;
}

/** Reads one archive file; problems and broken records go to the rejects, the file always ends. */
interface FileCounts {
  records: number;
  docs: number;
  skipped: Record<string, number>;
  rejected: number;
}

async function* readArchive(file: string, o: WarcOptions, input: ConnectorInput, ctx: RunContext, stage: string): AsyncGenerator<Doc, FileCounts> {
  const name = isUrl(file) ? file : targetName(file);
  const rc: RecordContext = {
    source: input.source,
    file: name,
    types: new Set(o.record_types),
    htmlTypes: new Set(o.html_types),
    textTypes: new Set(o.text_types),
    maxPayloadBytes: o.max_payload_bytes,
  };
  const counts: FileCounts = { records: 0, docs: 0, skipped: {}, rejected: 0 };
  const retrieved = new Date().toISOString();
  const problemDoc = (p: { offset: number; headers?: Map<string, string> }) =>
    makeDoc({
      id: `${input.source.id}/${unbracket(p.headers?.get('warc-record-id')) ?? `${name}@${p.offset}`}`,
      source: input.source.id,
      text: '',
      url: unbracket(p.headers?.get('warc-target-uri')),
      date_retrieved: retrieved,
      metadata: { warc_file: name, warc_offset: p.offset, ...(p.headers ? { warc_headers: Object.fromEntries(p.headers) } : {}) },
    });
  const rejectProblem = (p: WarcProblem) => {
    counts.rejected++;
    ctx.reject(problemDoc(p), stage, `${stage}.${p.reason}`, { file: name, offset: p.offset, error: p.message });
  };
  let reader: ByteReader | null = null;
  try {
    reader = new ByteReader(await openDecoded(file, openOptions(o, ctx)));
    for await (const item of readWarcRecords(reader, { maxRecordBytes: o.max_record_bytes, maxHeaderBytes: o.max_header_bytes })) {
      if (item.kind === 'problem') {
        rejectProblem(item.problem);
        continue;
      }
      counts.records++;
      const outcome = recordToOutcome(item.record, rc);
      if (outcome.kind === 'doc') {
        counts.docs++;
        yield outcome.doc;
      } else if (outcome.kind === 'skip') counts.skipped[outcome.type] = (counts.skipped[outcome.type] ?? 0) + 1;
      else {
        counts.rejected++;
        ctx.reject(outcome.doc, stage, outcome.reason.replace(/^warc\./, `${stage}.`), { file: name, ...outcome.detail });
      }
    }
  } catch (e) {
    // A corrupt or oversized compressed stream ends this file; what came before it was handed out.
    if (!(e instanceof CorruptCompression || e instanceof DecompressionLimit)) throw e;
    const reason = e instanceof DecompressionLimit ? 'decompressed_too_large' : 'corrupt_compressed_stream';
    rejectProblem({ reason: reason as WarcProblem['reason'], offset: reader?.offset ?? 0, message: `${e.message}; the rest of ${name} is unreadable` });
  }
  ctx.log.info(`${stage}: ${name}`, { ...counts });
  return counts;
}

function makeWebArchiveConnector(name: 'warc' | 'wet', options: typeof WarcOptions) {
  return defineConnector({
    name,
    options,
    async *read(o, input, ctx) {
      const all = await archiveFiles(o, input, ctx);
      const files = input.unit === undefined ? all : all.filter((f) => unitName(f, input) === input.unit);
      if (input.unit !== undefined && files.length === 0) throw new Error(`${name}: unit ${input.unit} is not among the source's ${all.length} archive files`);
      const checkpointPath = o.checkpoint ? resolve(input.baseDir, o.checkpoint) : null;
      const checkpoint = checkpointPath ? loadFileCheckpoint(checkpointPath) : null;
      const finished = new Set(checkpoint?.done.map((d) => d.file));
      for (const file of files) {
        const unit = unitName(file, input);
        if (finished.has(unit)) {
          ctx.log.info(`${name}: ${unit} already done (checkpoint), skipped`);
          continue;
        }
        const counts = yield* readArchive(file, o, input, ctx, name);
        if (checkpoint && checkpointPath) {
          checkpoint.done.push({ file: unit, records: counts.records, docs: counts.docs, at: new Date().toISOString() });
          saveFileCheckpoint(checkpointPath, checkpoint);
        }
      }
    },
    async units(o, input) {
      const files = await archiveFiles(o, input, { log: silentLogger, signal: new AbortController().signal });
      return Promise.all(
        files.map(async (f) => {
          const info = isUrl(f) ? null : await stat(f);
          // Archive files are immutable once published: the name is the version for URLs.
          return { unit: unitName(f, input), bytes: info?.size ?? 0, version: info ? `${info.size}-${info.mtimeMs}` : f };
        }),
      );
    },
  });
}

/** A file's unit (and checkpoint) name: its URL, or its path relative to the source's folder. */
function unitName(file: string, input: ConnectorInput): string {
  return isUrl(file) ? file : relative(input.baseDir, file).split('\\').join('/');
}

/** WARC and ARC archives: HTML responses and resources for the extract stage, WET conversions as text. */
export const warcConnector = makeWebArchiveConnector('warc', WarcOptions);

export const WetOptions = webArchiveOptions(['conversion']);
/** Common Crawl WET files: the `conversion` records, plain text one line per block. */
export const wetConnector = makeWebArchiveConnector('wet', WetOptions as unknown as typeof WarcOptions);
