import { FolderStore } from './folder.js';
import { HttpStore } from './http.js';
import { parseS3Url, S3Store, type S3StoreOptions } from './s3.js';
import type { Store } from './store.js';

/** The store a location names: `s3://bucket/prefix`, an `http(s)://` URL, or a folder path. */
export function openStore(location: string, options: S3StoreOptions = {}): Store {
  if (location.startsWith('s3://')) return new S3Store(parseS3Url(location), options);
  if (/^https?:\/\//.test(location)) return new HttpStore(location);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) throw new Error(`unsupported location ${location}: use s3://, http(s):// or a folder`);
  return new FolderStore(location);
}
