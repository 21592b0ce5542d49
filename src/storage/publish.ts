import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CatalogSchema } from '../schema/catalog.js';
import { ReleaseManifestSchema, type ReleaseManifest } from '../schema/manifest.js';
import { addToCatalog } from '../release/catalog.js';
import { latestPointer, LatestPointerSchema } from '../release/latest.js';
import { compareVersions } from '../release/versions.js';
import { PARQUET_MIME } from '../release/croissant.js';
import type { Logger } from '../pipeline/log.js';
import { expectedEtag, S3Store } from './s3.js';
import { joinKey, PreconditionFailed, type Store } from './store.js';
import { sha256Stream } from './verify.js';

export interface PublishOptions {
  log: Logger;
  concurrency?: number;
  /** Called after each file is in place and verified (tests use it to interrupt a publish). */
  onFile?: (path: string, action: 'uploaded' | 'kept' | 'copied') => void | Promise<void>;
}

export interface PublishResult {
  dataset: string;
  version: string;
  status: 'published' | 'already published';
  uploaded: string[];
  kept: string[];
  /** Files byte-identical to one of the version published before, copied inside the store. */
  copied: string[];
}

const contentType = (path: string) =>
  path.endsWith('.parquet') ? PARQUET_MIME : path.endsWith('.json') ? 'application/json' : path.endsWith('.md') ? 'text/markdown; charset=utf-8' : path.endsWith('.gz') ? 'application/gzip' : 'application/octet-stream';

/**
 * Publishes a release folder to a store, in an order that keeps readers safe: every shard and view
 * first, each read back and its sha256 checked; then manifest.json with a create-only write (a
 * version is never replaced); then latest.json and catalog.json with compare-and-swap writes.
 * A reader that starts from the catalog or the manifest never sees a half-published release, and an
 * interrupted publish resumes: files already there with the right size and hash are kept.
 */
export async function publishRelease(releaseDir: string, store: Store, options: PublishOptions): Promise<PublishResult> {
  if (!store.putFile || !store.putBytes) throw new Error(`${store.description} is read-only`);
  const manifestText = await readFile(join(releaseDir, 'manifest.json'), 'utf8');
  const manifest: ReleaseManifest = ReleaseManifestSchema.parse(JSON.parse(manifestText));
  const manifestSha = sha256(Buffer.from(manifestText));
  const versionKey = joinKey(manifest.dataset, manifest.version);
  const result: PublishResult = { dataset: manifest.dataset, version: manifest.version, status: 'published', uploaded: [], kept: [], copied: [] };

  const published = await store.readBytes(joinKey(versionKey, 'manifest.json'));
  if (published && sha256(published.bytes) !== manifestSha) {
    throw new Error(`${manifest.dataset} ${manifest.version} is already published at ${store.description} with another manifest; versions are immutable`);
  }

  const files = [...manifest.shards.map((s) => ({ path: s.path, bytes: s.bytes, sha256: s.sha256 })), ...manifest.files];
  const previous = store.copy ? await previousShards(store, manifest) : new Map<string, string>();
  const queue = [...files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const key = joinKey(versionKey, f.path);
      const local = join(releaseDir, f.path);
      const localSha = await sha256Stream(createReadStream(local));
      if (localSha !== f.sha256) throw new Error(`${local}: sha256 ${localSha}, manifest says ${f.sha256}; run villers validate`);
      if (await alreadyThere(store, key, local, f)) {
        result.kept.push(f.path);
        await options.onFile?.(f.path, 'kept');
        continue;
      }
      // A shard the previous version already holds (a refresh that appended) is copied in the store.
      const same = previous.get(`${f.sha256}:${f.bytes}`);
      const put = { sha256: f.sha256, contentType: contentType(f.path) };
      const copied = same !== undefined && (await store.copy!(same, key, f.bytes, put).catch(() => false));
      if (!copied) await store.putFile!(key, local, f.bytes, put);
      const back = await sha256Stream(await store.read(key));
      if (back !== f.sha256) throw new Error(`${key}: read back with sha256 ${back}, expected ${f.sha256}: the store corrupted the ${copied ? 'copy' : 'upload'}`);
      (copied ? result.copied : result.uploaded).push(f.path);
      options.log.info(`${copied ? `copied ${same} to` : 'uploaded'} ${key}`, { bytes: f.bytes });
      await options.onFile?.(f.path, copied ? 'copied' : 'uploaded');
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));

  if (published) result.status = 'already published';
  else {
    await store.putBytes(joinKey(versionKey, 'manifest.json'), Buffer.from(manifestText), { sha256: manifestSha, ifNoneMatch: true, contentType: 'application/json' }).catch(async (e) => {
      // Another publisher won the race with the very same manifest: that is the same release.
      const now = e instanceof PreconditionFailed ? await store.readBytes(joinKey(versionKey, 'manifest.json')) : null;
      if (!now || sha256(now.bytes) !== manifestSha) throw e;
    });
  }
  await swapJson(store, joinKey(manifest.dataset, 'latest.json'), (current) => {
    const pointer = current ? LatestPointerSchema.parse(current) : null;
    if (pointer && compareVersions(pointer.version, manifest.version) > 0) return null;
    return latestPointer(manifest, manifestText);
  });
  const takedowns = await readFile(join(releaseDir, '..', 'takedowns.json')).catch(() => null);
  if (takedowns) await store.putBytes(joinKey(manifest.dataset, 'takedowns.json'), takedowns, { sha256: sha256(takedowns), contentType: 'application/json' });
  await swapJson(store, 'catalog.json', (current) =>
    addToCatalog(current ? CatalogSchema.parse(current) : null, manifest, manifestText, new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
  );
  return result;
}

/** The shards of the version the store's latest.json points at (other than this one), by sha256 and size. */
async function previousShards(store: Store, manifest: ReleaseManifest): Promise<Map<string, string>> {
  const bySha = new Map<string, string>();
  try {
    const latest = await store.readBytes(joinKey(manifest.dataset, 'latest.json'));
    if (!latest) return bySha;
    const pointer = LatestPointerSchema.parse(JSON.parse(latest.bytes.toString('utf8')));
    if (pointer.version === manifest.version) return bySha;
    const text = await store.readBytes(joinKey(manifest.dataset, pointer.version, 'manifest.json'));
    if (!text) return bySha;
    const before = ReleaseManifestSchema.parse(JSON.parse(text.bytes.toString('utf8')));
    for (const s of before.shards) bySha.set(`${s.sha256}:${s.bytes}`, joinKey(manifest.dataset, pointer.version, s.path));
  } catch {
    // An unreadable previous version only means nothing is copied: every file is uploaded.
  }
  return bySha;
}

async function alreadyThere(store: Store, key: string, local: string, f: { bytes: number; sha256: string }): Promise<boolean> {
  const info = await store.head(key);
  if (!info || info.size !== f.bytes) return false;
  if (store instanceof S3Store) {
    // Our sha256 in the metadata, and an ETag the server computed from the bytes it holds.
    return info.sha256 === f.sha256 && info.etag === (await expectedEtag(local, f.bytes, store.partBytes));
  }
  return (await sha256Stream(await store.read(key))) === f.sha256;
}

/** Read, change, write back only if nobody wrote in between; retried when somebody did. */
async function swapJson(store: Store, key: string, change: (current: unknown | null) => unknown | null): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await store.readBytes(key);
    const next = change(current ? JSON.parse(current.bytes.toString('utf8')) : null);
    if (next === null) return;
    const bytes = Buffer.from(JSON.stringify(next, null, 2) + '\n');
    try {
      await store.putBytes!(key, bytes, {
        sha256: sha256(bytes),
        contentType: 'application/json',
        ...(current ? { ifMatch: current.etag } : { ifNoneMatch: true }),
      });
      return;
    } catch (e) {
      if (!(e instanceof PreconditionFailed)) throw e;
    }
  }
  throw new Error(`${key}: kept changing under us; try again`);
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
