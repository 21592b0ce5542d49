import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { readCompressors as compressors } from './compression.js';
import { ReleaseManifestSchema, type ChangeSummary, type ReleaseManifest } from '../schema/manifest.js';
import type { Takedowns } from './takedowns.js';

export type Bump = ChangeSummary['bump'];

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  return 0;
}

export function bumpVersion(version: string, bump: 'major' | 'minor' | 'patch'): string {
  const [major, minor, patch] = version.split('.').map(Number) as [number, number, number];
  if (bump === 'major') return `${major + 1}.0.0`;
  if (bump === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

/** The published versions of a dataset under an output root, oldest first. */
export async function publishedVersions(datasetDir: string): Promise<string[]> {
  const names = await readdir(datasetDir).catch(() => [] as string[]);
  return names.filter((n) => /^\d+\.\d+\.\d+$/.test(n) && existsSync(join(datasetDir, n, 'manifest.json'))).sort(compareVersions);
}

export async function readManifest(releaseDir: string): Promise<ReleaseManifest> {
  return ReleaseManifestSchema.parse(JSON.parse(await readFile(join(releaseDir, 'manifest.json'), 'utf8')));
}

/** A record as versioning sees it: which source it came from, its URL, and a hash of its text. */
export interface RecordKey {
  source: string;
  url: string | null;
  sha: string;
}

/** Reads the id, source, url and content hash of every row of a published release (three small columns, not the text). */
export async function readRecordIndex(releaseDir: string, manifest: ReleaseManifest): Promise<Map<string, RecordKey>> {
  const index = new Map<string, RecordKey>();
  for (const shard of manifest.shards) {
    const file = await asyncBufferFromFile(join(releaseDir, shard.path));
    const rows = await parquetReadObjects({ file, compressors, columns: ['id', 'source', 'url', 'content_sha256'] });
    for (const r of rows) index.set(r.id as string, { source: r.source as string, url: (r.url as string | null) ?? null, sha: r.content_sha256 as string });
  }
  return index;
}

/**
 * Compares the records of a new build with the previous version and names the bump Croissant's
 * versioning rules ask for: patch when the records are the same (only their serialisation moved),
 * minor when records were only added, major when any was changed or removed.
 */
export function diffRecords(
  previous: { version: string; index: Map<string, RecordKey> } | null,
  next: Map<string, RecordKey>,
  takedowns: Takedowns,
): ChangeSummary {
  const bySource: ChangeSummary['by_source'] = {};
  const delta = (s: string) => (bySource[s] ??= { added: 0, removed: 0, changed: 0 });
  const removedBy = new Map<object, number>();
  let added = 0;
  let removed = 0;
  let changed = 0;
  let unchanged = 0;
  if (previous) {
    for (const [id, old] of previous.index) {
      const now = next.get(id);
      if (!now) {
        removed++;
        delta(old.source).removed++;
        const t = takedowns.match({ id, source: old.source, url: old.url });
        if (t) removedBy.set(t, (removedBy.get(t) ?? 0) + 1);
      } else if (now.sha !== old.sha) {
        changed++;
        delta(old.source).changed++;
      } else unchanged++;
    }
  }
  for (const [id, rec] of next) {
    if (previous?.index.has(id)) continue;
    added++;
    delta(rec.source).added++;
  }
  const takedownSummary = takedowns.entries.map((entry) => ({ entry, removed: removedBy.get(entry) ?? 0 }));
  const sortedBySource = Object.fromEntries(Object.entries(bySource).sort(([a], [b]) => (a < b ? -1 : 1)));
  const base = { previous_version: previous?.version ?? null, added, removed, changed, unchanged, by_source: sortedBySource, takedowns: takedownSummary };
  if (!previous) return { ...base, bump: 'initial', reason: 'first version' };
  if (removed || changed) {
    const taken = takedownSummary.filter((t) => t.removed > 0);
    const why = [
      removed ? `${removed} records removed` : '',
      changed ? `${changed} records changed` : '',
      taken.length ? `takedowns: ${taken.map((t) => describeTakedown(t.entry)).join(', ')}` : '',
    ].filter(Boolean);
    return { ...base, bump: 'major', reason: why.join('; ') };
  }
  if (added) return { ...base, bump: 'minor', reason: `${added} records added, every earlier record unchanged` };
  return { ...base, bump: 'patch', reason: 'same records, serialised differently' };
}

export function describeTakedown(t: { id?: string; url_prefix?: string; source?: string; reason: string }): string {
  const what = t.source !== undefined ? `source ${t.source}` : t.id !== undefined ? `document ${t.id}` : `URLs under ${t.url_prefix}`;
  return `${what} (${t.reason})`;
}

/**
 * The version a new build gets: the recipe's version for a first release; afterwards the previous
 * version bumped as the changes require, or the recipe's version when it is higher still.
 */
export function chooseVersion(declared: string, previous: string | null, bump: Bump): string {
  if (!previous || bump === 'initial') return declared;
  const bumped = bumpVersion(previous, bump);
  return compareVersions(declared, bumped) > 0 ? declared : bumped;
}
