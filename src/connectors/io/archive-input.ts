import { peekFirstChunk } from './peek.js';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Logger } from '../../pipeline/log.js';
import { BrokenGzip, boundedGunzip, isGzip } from './bounded-gunzip.js';
import { boundedBunzip2, CorruptCompression, isBzip2 } from './bounded-bunzip2.js';
import { httpGet, type HttpOptions } from './http.js';

/**
 * Archive and dump files (WARC, XML dumps, Parquet, JSONL) named by a local path or an http(s)
 * URL, opened as byte streams: local ones from disk, remote ones streamed with undici.
 */
export function isUrl(target: string): boolean {
  return /^https?:\/\//i.test(target);
}

/** Resolves a file-or-URL against a source's folder (URLs stay as they are). */
export function resolveTarget(baseDir: string, target: string): string {
  return isUrl(target) ? target : resolve(baseDir, target);
}

/** The last path segment of a file or URL, for ids and provenance. */
export function targetName(target: string): string {
  return isUrl(target) ? decodeURIComponent(new URL(target).pathname.split('/').filter(Boolean).pop() ?? target) : basename(target);
}

/**
 * Expands local folders into their files (recursively, in name order) keeping only names `accept`
 * approves; files and URLs are kept as they are.
 */
export async function expandTargets(targets: string[], accept: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  for (const t of targets) {
    if (isUrl(t)) {
      out.push(t);
      continue;
    }
    const info = await stat(t).catch(() => null);
    if (!info) throw new Error(`no such file or folder: ${t}`);
    if (info.isFile()) {
      out.push(t);
      continue;
    }
    const entries = await readdir(t, { withFileTypes: true, recursive: true });
    const files = entries
      .filter((e) => e.isFile() && !e.name.startsWith('.') && accept(e.name))
      .map((e) => join(e.parentPath, e.name))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    out.push(...files);
  }
  return out;
}

export interface OpenOptions {
  http: HttpOptions;
  log: Logger;
  signal?: AbortSignal;
  /** Largest decompressed size accepted (gzip and bzip2 bombs stop here). */
  maxDecompressedBytes: number;
}

/** The raw bytes of a local file or a URL (streamed with undici), not decompressed. */
export async function openRaw(target: string, o: OpenOptions): Promise<AsyncIterable<Uint8Array>> {
  if (isUrl(target)) return (await httpGet(target, o.http, o.log, o.signal)).body;
  const info = await stat(target).catch(() => null);
  if (!info?.isFile()) throw new Error(`no such file: ${target}`);
  return createReadStream(target, { highWaterMark: 1 << 20 });
}

/**
 * The bytes of a file or URL, gunzipped or bunzipped when their magic number says so, within the
 * decompression limit. Errors of the compressed stream surface as `CorruptCompression`.
 */
export async function openDecoded(target: string, o: OpenOptions): Promise<AsyncIterable<Uint8Array>> {
  const peeked = await peekFirstChunk(await openRaw(target, o));
  if (!peeked) return (async function* () {})();
  const { first, all: whole } = peeked;
  if (isGzip(first)) return gunzipMembers(whole, o.maxDecompressedBytes);
  if (isBzip2(first)) return boundedBunzip2(whole, o.maxDecompressedBytes);
  return whole;
}

/**
 * gunzip of every member of a multi-member file (WARC's one member per record), bounded, with the
 * errors the archive readers name: `CorruptCompression` for bad or truncated data, `DecompressionLimit`
 * past the limit.
 */
async function* gunzipMembers(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  try {
    yield* boundedGunzip(source, maxBytes, { chunkSize: 1 << 18 });
  } catch (e) {
    if (e instanceof BrokenGzip) throw new CorruptCompression('gzip', e.detail);
    throw e;
  }
}
