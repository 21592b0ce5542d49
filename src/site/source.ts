import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { asyncBufferFromFile, asyncBufferFromUrl, type AsyncBuffer } from 'hyparquet';

/**
 * Where a catalog and its releases are read from: a folder on disk or a base URL (a bucket, a static
 * host). Paths are relative to the catalog's folder, as in catalog.json and manifest.json.
 */
export interface CatalogSource {
  /** What the user gave, for messages. */
  readonly location: string;
  /** The catalog's folder as a URL (`file:` or `http(s):`), ending with `/`. */
  readonly baseUrl: URL;
  readonly remote: boolean;
  /** The file's text, or null when it does not exist. */
  text(path: string): Promise<string | null>;
  bytes(path: string): Promise<Uint8Array | null>;
  /** The file as a stream, or null when it does not exist; destroy it to stop reading early. */
  stream(path: string): Promise<Readable | null>;
  /** A random-access view of a file for hyparquet (HTTP range requests when remote). */
  parquet(path: string, byteLength: number): Promise<AsyncBuffer>;
}

export function openCatalogSource(location: string): { source: CatalogSource; catalogPath: string } {
  if (/^https?:\/\//i.test(location)) {
    const url = new URL(location);
    const baseUrl = new URL('./', url);
    return { source: httpSource(location, baseUrl), catalogPath: decodeURIComponent(url.pathname.slice(baseUrl.pathname.length)) };
  }
  const file = location.startsWith('file:') ? fileURLToPath(location) : resolve(location);
  const baseUrl = pathToFileURL(dirname(file) + '/');
  return { source: fileSource(location, baseUrl), catalogPath: file.slice(dirname(file).length + 1) };
}

function fileSource(location: string, baseUrl: URL): CatalogSource {
  const pathOf = (path: string) => fileURLToPath(new URL(path, baseUrl));
  return {
    location,
    baseUrl,
    remote: false,
    async text(path) {
      return readFile(pathOf(path), 'utf8').catch(missingAsNull);
    },
    async bytes(path) {
      return readFile(pathOf(path)).catch(missingAsNull);
    },
    async stream(path) {
      const file = pathOf(path);
      const exists = await stat(file).then(() => true, missingAsFalse);
      return exists ? createReadStream(file) : null;
    },
    async parquet(path) {
      const file = pathOf(path);
      await stat(file);
      return asyncBufferFromFile(file);
    },
  };
}

function httpSource(location: string, baseUrl: URL): CatalogSource {
  const get = async (path: string): Promise<Response | null> => {
    const url = new URL(path, baseUrl);
    const res = await fetch(url);
    if (res.status === 404) return null;
    if (!res.ok) throw new Error(`GET ${url.href}: HTTP ${res.status}`);
    return res;
  };
  return {
    location,
    baseUrl,
    remote: true,
    async text(path) {
      const res = await get(path);
      return res ? res.text() : null;
    },
    async bytes(path) {
      const res = await get(path);
      return res ? new Uint8Array(await res.arrayBuffer()) : null;
    },
    async stream(path) {
      const res = await get(path);
      return res?.body ? Readable.fromWeb(res.body as import('node:stream/web').ReadableStream) : null;
    },
    async parquet(path, byteLength) {
      return asyncBufferFromUrl({ url: new URL(path, baseUrl).href, byteLength });
    },
  };
}

function missingAsNull(e: NodeJS.ErrnoException): null {
  if (e.code === 'ENOENT') return null;
  throw e;
}

function missingAsFalse(e: NodeJS.ErrnoException): false {
  if (e.code === 'ENOENT') return false;
  throw e;
}
