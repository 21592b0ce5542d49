import { createHash } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SemVer, Sha256, type ReleaseManifest } from '../schema/manifest.js';

/** `<dataset>/latest.json`: the pointer to the newest version (object stores have no symlinks). */
export const LatestPointerSchema = z
  .object({ dataset: z.string(), version: SemVer, manifest: z.string(), manifest_sha256: Sha256 })
  .strict();
export type LatestPointer = z.infer<typeof LatestPointerSchema>;

export function latestPointer(manifest: ReleaseManifest, manifestText: string): LatestPointer {
  return {
    dataset: manifest.dataset,
    version: manifest.version,
    manifest: `${manifest.version}/manifest.json`,
    manifest_sha256: createHash('sha256').update(manifestText).digest('hex'),
  };
}

export async function writeLatest(datasetDir: string, manifest: ReleaseManifest, manifestText: string): Promise<void> {
  const path = join(datasetDir, 'latest.json');
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(latestPointer(manifest, manifestText), null, 2) + '\n');
  await rename(tmp, path);
}
