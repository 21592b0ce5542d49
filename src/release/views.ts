import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { DOCUMENT_COLUMNS } from '../schema/document.js';
import type { FileEntry, ReleaseManifest } from '../schema/manifest.js';
import { renderAttribution } from '../licenses/attribution.js';
import { renderCard } from './card.js';
import { renderChangelog } from './changelog.js';
import { renderCroissant } from './croissant.js';
import { renderDcat, renderUdata } from './dcat.js';
import { sha256File } from './shard-writer.js';

/**
 * Writes the views of a release, all derived from its manifest (less `files`): the Hugging Face card,
 * Croissant, DCAT-AP, udata, ATTRIBUTION.md and CHANGELOG.md. Returns every file of the folder but
 * the shards and manifest.json, hashed, for the manifest's `files`.
 */
export async function writeViews(dir: string, manifest: ReleaseManifest): Promise<FileEntry[]> {
  const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
  await writeFile(join(dir, 'README.md'), renderCard(manifest));
  await writeFile(join(dir, 'croissant.json'), json(renderCroissant(manifest, DOCUMENT_COLUMNS)));
  await writeFile(join(dir, 'dcat.json'), json(renderDcat(manifest)));
  await writeFile(join(dir, 'udata.json'), json(renderUdata(manifest)));
  await writeFile(join(dir, 'ATTRIBUTION.md'), renderAttribution(manifest) + '\n');
  await writeFile(join(dir, 'CHANGELOG.md'), renderChangelog(manifest));
  const shards = new Set(manifest.shards.map((s) => s.path));
  const files: FileEntry[] = [];
  for (const path of await walk(dir)) {
    const rel = relative(dir, path).split('\\').join('/');
    if (rel === 'manifest.json' || shards.has(rel)) continue;
    files.push({ path: rel, bytes: (await stat(path)).size, sha256: await sha256File(path) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : 1));
}

export async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}
