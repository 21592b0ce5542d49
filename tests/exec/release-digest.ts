import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * What must be byte-identical between two runs of a release: every file's sha256, except that
 * the manifest and stats are compared without the stages' timings (`ms`, `duration_s`, `tail_s`,
 * `peak_rss_bytes`) and the manifest's digest of stats.json (which holds them): the only things
 * that honestly differ between runs. `report.html` (the site's run report) shows those timings, so
 * it is left out.
 */
export async function releaseDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const rel = relative(dir, path);
    if (rel === 'report.html') continue;
    let bytes: Buffer | string = await readFile(path);
    if (rel === 'manifest.json' || rel === 'stats.json') {
      const json = JSON.parse(bytes.toString('utf8'));
      if (Array.isArray(json.files)) json.files = json.files.filter((f: { path: string }) => f.path !== 'stats.json' && f.path !== 'report.html');
      bytes = JSON.stringify(withoutTimings(json));
    }
    out[rel] = createHash('sha256').update(bytes).digest('hex');
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function withoutTimings(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutTimings);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'ms' && k !== 'duration_s' && k !== 'tail_s' && k !== 'peak_rss_bytes')
        .map(([k, x]) => [k, withoutTimings(x)]),
    );
  }
  return v;
}
