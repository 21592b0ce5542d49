import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ParquetWriter, fileWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { DOCUMENT_COLUMNS, SHARD_SCHEMA_VERSION, type Document } from '../schema/document.js';
import type { ShardEntry } from '../schema/manifest.js';
import { parquetCompression, type Codec } from './compression.js';
import { signalSchema, type SignalColumns, type SignalValue } from './signal-columns.js';

const STRING = { type: 'BYTE_ARRAY', converted_type: 'UTF8' } as const;

/** Parquet schema of the Document columns, column for column the `Document` schema. */
const DOCUMENT_SCHEMA: SchemaElement[] = [
  { name: 'id', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'text', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'source', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'url', ...STRING, repetition_type: 'OPTIONAL' },
  { name: 'title', ...STRING, repetition_type: 'OPTIONAL' },
  { name: 'lang', ...STRING, repetition_type: 'OPTIONAL' },
  { name: 'lang_score', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  { name: 'license', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'license_evidence', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'attribution', ...STRING, repetition_type: 'OPTIONAL' },
  { name: 'date_published', ...STRING, repetition_type: 'OPTIONAL' },
  {
    name: 'date_retrieved',
    type: 'INT64',
    repetition_type: 'REQUIRED',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
  },
  { name: 'content_sha256', ...STRING, repetition_type: 'REQUIRED' },
  { name: 'minhash_cluster_size', type: 'INT32', repetition_type: 'REQUIRED' },
  { name: 'metadata', type: 'BYTE_ARRAY', converted_type: 'JSON', repetition_type: 'REQUIRED' },
];

/** Parquet schema of a shard: the Document columns, then the signal columns of the release. */
export function shardSchema(signals: SignalColumns): SchemaElement[] {
  const columns = [...DOCUMENT_SCHEMA, ...signalSchema(signals.columns)];
  return [{ name: 'schema', num_children: columns.length }, ...columns];
}

export interface ShardWriterOptions {
  dir: string;
  split: string;
  targetBytes: number;
  rowGroupBytes: number;
  compression: 'zstd' | 'snappy';
  zstdLevel: number;
  kvMetadata: Record<string, string>;
  createdBy: string;
  /** The release's signal columns, fixed by the first document added. */
  signals: SignalColumns;
}

interface OpenShard {
  path: string;
  writer: ReturnType<typeof fileWriter>;
  parquet: ParquetWriter;
  rows: number;
  textChars: number;
  bySource: Record<string, number>;
  byLicense: Record<string, number>;
}

/**
 * Streams documents into Parquet shards: rows are buffered for one row group at a time, and a shard
 * is closed once its file reaches the target size. Shards get their final Hugging Face names
 * (`train-00000-of-00003.parquet`) at the end, when their count is known.
 */
export class ShardWriter {
  readonly codec: Codec;
  readonly fallback: string | undefined;
  private readonly compressors;
  private columns = emptyColumns();
  private signalValues: SignalValue[][] = [];
  private bufferedBytes = 0;
  private current: OpenShard | null = null;
  private readonly closed: Omit<ShardEntry, 'path' | 'sha256'>[] = [];
  private readonly tempPaths: string[] = [];

  constructor(private readonly options: ShardWriterOptions) {
    const c = parquetCompression(options.compression, options.zstdLevel);
    this.codec = c.codec;
    this.compressors = c.compressors;
    this.fallback = c.fallback;
  }

  /**
   * Adds a row: the document and its signal values, in the order of `options.signals.columns`;
   * `metadata` is `doc.metadata` parsed, when the caller has it already.
   */
  async add(doc: Document, signals: SignalValue[] = [], metadata: unknown = JSON.parse(doc.metadata)): Promise<void> {
    const cols = this.columns;
    for (const name of DOCUMENT_COLUMNS) {
      const value = doc[name];
      // hyparquet-writer serialises a JSON column's values itself: given the text, it would store a JSON string literal.
      (cols[name] as unknown[]).push(name === 'date_retrieved' ? BigInt(Date.parse(value as string)) : name === 'metadata' ? metadata : value);
    }
    this.signalValues.push(signals);
    this.bufferedBytes += Buffer.byteLength(doc.text) + Buffer.byteLength(doc.metadata) + 256 + 8 * signals.length;
    if (this.bufferedBytes >= this.options.rowGroupBytes) await this.flushRowGroup();
  }

  private async flushRowGroup(): Promise<void> {
    const rows = this.columns.id.length;
    if (rows === 0) return;
    const shard = this.current ?? (this.current = await this.open());
    shard.parquet.write({
      columnData: DOCUMENT_COLUMNS.map((name): { name: string; data: unknown[]; columnIndex: boolean } => ({
        name,
        data: this.columns[name],
        // A page index on the small columns lets readers skip pages; on text it would only cost bytes.
        columnIndex: name !== 'text' && name !== 'metadata',
      })).concat(
        this.options.signals.columns.map((c, i) => ({
          name: c.name,
          data: this.signalValues.map((v) => v[i] ?? null),
          columnIndex: true,
        })),
      ),
      rowGroupSize: rows,
    });
    shard.rows += rows;
    for (const t of this.columns.text) shard.textChars += codePoints(t as string);
    for (const s of this.columns.source as string[]) shard.bySource[s] = (shard.bySource[s] ?? 0) + 1;
    for (const l of this.columns.license as string[]) shard.byLicense[l] = (shard.byLicense[l] ?? 0) + 1;
    this.columns = emptyColumns();
    this.signalValues = [];
    this.bufferedBytes = 0;
    if (shard.writer.offset >= this.options.targetBytes) this.closeShard();
  }

  private async open(): Promise<OpenShard> {
    await mkdir(this.options.dir, { recursive: true });
    const path = join(this.options.dir, `.shard-${String(this.tempPaths.length).padStart(5, '0')}.parquet.partial`);
    this.tempPaths.push(path);
    const writer = fileWriter(path);
    const parquet = new ParquetWriter({
      writer,
      schema: shardSchema(this.options.signals),
      codec: this.codec,
      compressors: this.compressors,
      statistics: true,
      kvMetadata: Object.entries(this.options.kvMetadata).map(([key, value]) => ({ key, value })),
      createdBy: this.options.createdBy,
    });
    return { path, writer, parquet, rows: 0, textChars: 0, bySource: {}, byLicense: {} };
  }

  private closeShard(): void {
    const shard = this.current;
    if (!shard) return;
    shard.parquet.finish();
    // Which sources and licences a shard holds lets `villers pull --source/--license` fetch only the shards it needs.
    this.closed.push({
      rows: shard.rows,
      bytes: shard.writer.offset,
      text_chars: shard.textChars,
      sources: Object.keys(shard.bySource).sort(),
      licenses: Object.keys(shard.byLicense).sort(),
    });
    this.current = null;
  }

  /** Writes what is buffered, closes the last shard and renames every shard to its final name. */
  async finish(): Promise<ShardEntry[]> {
    await this.flushRowGroup();
    this.closeShard();
    const n = this.closed.length;
    const entries: ShardEntry[] = [];
    for (const [i, info] of this.closed.entries()) {
      const name = `${this.options.split}-${String(i).padStart(5, '0')}-of-${String(n).padStart(5, '0')}.parquet`;
      const finalPath = join(this.options.dir, name);
      await rename(this.tempPaths[i]!, finalPath);
      entries.push({ path: name, ...info, sha256: await sha256File(finalPath) });
    }
    return entries;
  }
}

function emptyColumns(): Record<keyof Document, unknown[]> {
  return Object.fromEntries(DOCUMENT_COLUMNS.map((c) => [c, []])) as unknown as Record<keyof Document, unknown[]>;
}

export function codePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export const SHARD_KV = { schemaVersion: 'villers.schema_version', dataset: 'villers.dataset' } as const;
export { SHARD_SCHEMA_VERSION };
