import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { CatalogSchema } from '../schema/catalog.js';
import { ReleaseManifestSchema, type ReleaseManifest } from '../schema/manifest.js';
import type { Logger } from '../pipeline/log.js';
import { sha256File } from '../release/shard-writer.js';
import { isSafeRelativePath, joinKey, type Store } from './store.js';

export interface PullOptions {
  out: string;
  source?: string;
  license?: string;
  concurrency?: number;
  retries?: number;
  log: Logger;
}

export interface PullResult {
  dataset: string;
  version: string;
  dir: string;
  files: { path: string; bytes: number; resumed_from: number }[];
  skipped_shards: number;
}

/** `name@1.2.0` → dataset and version (latest when absent). */
export function parseDatasetSpec(spec: string): { dataset: string; version?: string } {
  const m = /^([a-z0-9][a-z0-9_-]*)(?:@(\d+\.\d+\.\d+))?$/.exec(spec);
  if (!m) throw new Error(`"${spec}" is not <dataset>[@MAJOR.MINOR.PATCH]`);
  return { dataset: m[1]!, version: m[2] };
}

/** Every path a manifest names must stay inside the folder it is pulled into. */
export function checkManifestPaths(manifest: ReleaseManifest): void {
  for (const f of [...manifest.shards, ...manifest.files]) {
    if (!isSafeRelativePath(f.path)) throw new Error(`manifest of ${manifest.dataset} ${manifest.version} names an unsafe path "${f.path}" (absolute or with ..): refused`);
  }
}

/**
 * Pulls one version of a dataset from a store: the catalog gives the manifest and its sha256, the
 * manifest gives every file and its sha256. Downloads run in parallel, resume from a `.part` file
 * with Range requests, are retried, and each file is verified before it takes its name; the manifest
 * is written last, so a folder with a manifest.json is a complete, verified release.
 */
export async function pullRelease(store: Store, spec: string, options: PullOptions): Promise<PullResult> {
  const { dataset, version: wanted } = parseDatasetSpec(spec);
  const catalogBytes = await store.readBytes('catalog.json');
  if (!catalogBytes) throw new Error(`${store.description}: no catalog.json`);
  const catalog = CatalogSchema.parse(JSON.parse(catalogBytes.bytes.toString('utf8')));
  const entry = catalog.datasets.find((d) => d.dataset === dataset);
  if (!entry) throw new Error(`${store.description}: no dataset "${dataset}" in the catalog (has: ${catalog.datasets.map((d) => d.dataset).join(', ') || 'none'})`);
  const version = wanted ?? entry.latest;
  const listed = entry.versions.find((v) => v.version === version);
  if (!listed) throw new Error(`${dataset}: no version ${version} (has: ${entry.versions.map((v) => v.version).join(', ')})`);
  if (!isSafeRelativePath(listed.manifest)) throw new Error(`catalog names an unsafe manifest path "${listed.manifest}": refused`);

  const manifestBytes = await store.readBytes(listed.manifest);
  if (!manifestBytes) throw new Error(`${listed.manifest}: listed in the catalog but missing`);
  const manifestSha = createHash('sha256').update(manifestBytes.bytes).digest('hex');
  if (manifestSha !== listed.manifest_sha256) throw new Error(`${listed.manifest}: sha256 ${manifestSha}, the catalog says ${listed.manifest_sha256}`);
  const manifest = ReleaseManifestSchema.parse(JSON.parse(manifestBytes.bytes.toString('utf8')));
  if (manifest.dataset !== dataset || manifest.version !== version) throw new Error(`${listed.manifest} is ${manifest.dataset} ${manifest.version}, not ${dataset} ${version}`);
  checkManifestPaths(manifest);

  const base = listed.manifest.replace(/\/?manifest\.json$/, '');
  const shards = manifest.shards.filter(
    (s) => (!options.source || !s.sources || s.sources.includes(options.source)) && (!options.license || !s.licenses || s.licenses.includes(options.license)),
  );
  const dir = join(options.out, dataset, version);
  const result: PullResult = { dataset, version, dir, files: [], skipped_shards: manifest.shards.length - shards.length };
  const queue = [...shards, ...manifest.files];
  const worker = async () => {
    for (let f = queue.shift(); f; f = queue.shift()) {
      const resumedFrom = await download(store, joinKey(base, f.path), join(dir, f.path), f, options);
      result.files.push({ path: f.path, bytes: f.bytes, resumed_from: resumedFrom });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 4 }, worker));
  await writeFile(join(dir, 'manifest.json'), manifestBytes.bytes);
  result.files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return result;
}

/** Downloads one file, resuming a `.part`, retrying with backoff; returns the byte it resumed from. */
async function download(store: Store, key: string, target: string, f: { path: string; bytes: number; sha256: string }, options: PullOptions): Promise<number> {
  const done = await stat(target).catch(() => null);
  if (done?.size === f.bytes && (await sha256File(target)) === f.sha256) return f.bytes;
  await mkdir(dirname(target), { recursive: true });
  const part = `${target}.part`;
  const retries = options.retries ?? 3;
  let resumedFrom = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      let have = (await stat(part).catch(() => null))?.size ?? 0;
      if (have > f.bytes) {
        await unlink(part);
        have = 0;
      }
      if (attempt === 0) resumedFrom = have;
      if (have < f.bytes) {
        const body = await store.read(key, have);
        let received = 0;
        const count = new Transform({
          transform(chunk: Buffer, _enc, cb) {
            received += chunk.length;
            if (have + received > f.bytes) cb(new Error(`${key}: longer than the ${f.bytes} bytes the manifest says`));
            else cb(null, chunk);
          },
        });
        await pipeline(body, count, createWriteStream(part, { flags: have > 0 ? 'a' : 'w' }));
      }
      const size = (await stat(part)).size;
      if (size !== f.bytes) throw new Error(`${key}: ${size} bytes, the manifest says ${f.bytes}`);
      const sha = await sha256File(part);
      if (sha !== f.sha256) {
        await unlink(part);
        throw new ChecksumMismatch(`${key}: sha256 ${sha}, the manifest says ${f.sha256}`);
      }
      await rename(part, target);
      return resumedFrom;
    } catch (e) {
      if (attempt >= retries) throw e;
      options.log.warn(`retrying ${key}: ${(e as Error).message}`, { attempt: attempt + 1 });
      await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
    }
  }
}

export class ChecksumMismatch extends Error {}
