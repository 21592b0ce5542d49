import { readFile, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { CatalogSchema, type Catalog } from '../schema/catalog.js';
import type { ReleaseManifest } from '../schema/manifest.js';

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

export async function readCatalog(outDir: string): Promise<Catalog | null> {
  let text: string;
  try {
    text = await readFile(join(outDir, 'catalog.json'), 'utf8');
  } catch {
    return null;
  }
  return CatalogSchema.parse(JSON.parse(text));
}

/** Adds (or refreshes) one release in `<out>/catalog.json`, replaced atomically. */
export async function recordInCatalog(outDir: string, manifest: ReleaseManifest, manifestText: string, now: string): Promise<Catalog> {
  const catalog = addToCatalog(await readCatalog(outDir), manifest, manifestText, now);
  const path = join(outDir, 'catalog.json');
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(catalog, null, 2) + '\n');
  await rename(tmp, path);
  return catalog;
}

/** The catalog with one release added or refreshed; `latest` is the highest version listed. */
export function addToCatalog(existing: Catalog | null, manifest: ReleaseManifest, manifestText: string, now: string): Catalog {
  const catalog: Catalog = existing ?? { catalog_version: 1, updated: now, datasets: [] };
  let entry = catalog.datasets.find((d) => d.dataset === manifest.dataset);
  if (!entry) {
    entry = { dataset: manifest.dataset, latest: manifest.version, versions: [] };
    catalog.datasets.push(entry);
    catalog.datasets.sort((a, b) => a.dataset.localeCompare(b.dataset));
  }
  if (manifest.description) entry.description = manifest.description;
  entry.versions = entry.versions.filter((v) => v.version !== manifest.version);
  entry.versions.push({
    version: manifest.version,
    created: manifest.created,
    manifest: `${manifest.dataset}/${manifest.version}/manifest.json`,
    manifest_sha256: createHash('sha256').update(manifestText).digest('hex'),
    documents: manifest.totals.documents,
    bytes: manifest.totals.bytes,
    licenses: Object.keys(manifest.counts_by_license).sort(),
  });
  entry.versions.sort((a, b) => compareVersions(a.version, b.version));
  entry.latest = entry.versions.at(-1)!.version;
  catalog.updated = now;
  return CatalogSchema.parse(catalog);
}
