import type { Readable } from 'node:stream';

export interface ObjectInfo {
  size: number;
  /** sha256 recorded with the object when villers uploaded it (S3 user metadata), if any. */
  sha256?: string;
  etag?: string;
}

export interface PutOptions {
  sha256: string;
  /** Fail with PreconditionFailed if the key exists (a write that never replaces). */
  ifNoneMatch?: boolean;
  /** Fail with PreconditionFailed unless the current object has this etag (a compare-and-swap). */
  ifMatch?: string;
  contentType?: string;
}

export class PreconditionFailed extends Error {}

/**
 * The little a release needs from a place it is published to or pulled from: folder, S3 or HTTP.
 * Keys are `/`-separated and relative to the store's root.
 */
export interface Store {
  readonly description: string;
  head(key: string): Promise<ObjectInfo | null>;
  /** Bytes from `start` to the end, as a stream. */
  read(key: string, start?: number): Promise<Readable>;
  readBytes(key: string): Promise<{ bytes: Buffer; etag?: string } | null>;
  putFile?(key: string, path: string, size: number, options: PutOptions): Promise<void>;
  putBytes?(key: string, bytes: Buffer, options: PutOptions): Promise<void>;
  /**
   * Copies an object within the store without moving its bytes through this machine (S3
   * CopyObject, a hard link on disk); false when it cannot (too large for one copy, say).
   */
  copy?(fromKey: string, toKey: string, size: number, options: PutOptions): Promise<boolean>;
}

export function joinKey(...parts: string[]): string {
  return parts
    .filter(Boolean)
    .join('/')
    .replace(/\/{2,}/g, '/')
    .replace(/^\//, '');
}

/**
 * A manifest path a reader may write under its output folder: relative, `/`-separated, no `..`,
 * no drive letters or backslashes. Anything else is refused, so a hostile manifest cannot write
 * outside the folder it is pulled into.
 */
export function isSafeRelativePath(path: string): boolean {
  if (!path || path.startsWith('/') || path.includes('\\') || /^[A-Za-z]:/.test(path) || path.includes('\0')) return false;
  return path.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
