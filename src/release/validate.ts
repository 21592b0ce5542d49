import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { DocumentSchema, DOCUMENT_COLUMNS } from '../schema/document.js';

const SIGNAL_JS_TYPES = { double: 'number', boolean: 'boolean', string: 'string' } as const;
import { ReleaseManifestSchema, type ReleaseManifest } from '../schema/manifest.js';
import { openShard } from './read-shard.js';
import { codePoints, sha256File, SHARD_KV, SHARD_SCHEMA_VERSION } from './shard-writer.js';
import { stableStringify } from './json.js';

export interface ValidationReport {
  ok: boolean;
  release: string;
  shards: { path: string; rows: number; ok: boolean }[];
  problems: string[];
}

/**
 * Re-reads a release as a researcher would receive it and checks every promise the manifest makes:
 * each shard exists, has the listed sha256, size and rows, the shard schema, rows that pass the
 * Document schema with a correct `content_sha256`, and no file in `data/` is left unlisted.
 */
export async function validateRelease(dir: string, options: { maxProblems?: number } = {}): Promise<ValidationReport> {
  const problems: string[] = [];
  const max = options.maxProblems ?? 50;
  const problem = (p: string) => {
    if (problems.length < max) problems.push(p);
  };
  const report: ValidationReport = { ok: false, release: dir, shards: [], problems };
  let manifest: ReleaseManifest;
  try {
    const parsed = ReleaseManifestSchema.safeParse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    if (!parsed.success) {
      problem(`manifest.json does not match the ReleaseManifest schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      return report;
    }
    manifest = parsed.data;
  } catch (e) {
    problem(`manifest.json unreadable: ${(e as Error).message}`);
    return report;
  }

  const listed = new Set(manifest.shards.map((s) => s.path));
  for (const name of await readdir(join(dir, 'data'), { recursive: true, withFileTypes: true }).catch(() => [])) {
    if (!name.isFile()) continue;
    const rel = relative(dir, join(name.parentPath, name.name)).split(sep).join('/');
    if (!listed.has(rel)) problem(`${rel} is not listed in the manifest`);
  }
  for (const file of manifest.files) {
    const path = join(dir, file.path);
    if (!existsSync(path)) problem(`${file.path}: listed in the manifest but missing`);
    else if ((await sha256File(path)) !== file.sha256) problem(`${file.path}: sha256 does not match the manifest`);
  }

  let documents = 0;
  for (const shard of manifest.shards) {
    const before = problems.length;
    const path = join(dir, shard.path);
    const info = await stat(path).catch(() => null);
    if (!info) {
      problem(`${shard.path}: listed in the manifest but missing`);
      report.shards.push({ path: shard.path, rows: 0, ok: false });
      continue;
    }
    if (info.size !== shard.bytes) problem(`${shard.path}: ${info.size} bytes, manifest says ${shard.bytes}`);
    const sha = await sha256File(path);
    if (sha !== shard.sha256) problem(`${shard.path}: sha256 ${sha}, manifest says ${shard.sha256}`);
    let rows = 0;
    let chars = 0;
    try {
      const reader = await openShard(path);
      const columns = reader.metadata.schema.slice(1).map((s) => s.name);
      const signalColumns = manifest.signal_columns ?? [];
      const expected = [...DOCUMENT_COLUMNS, ...signalColumns.map((c) => c.name)];
      if (columns.join(',') !== expected.join(',')) problem(`${shard.path}: columns [${columns.join(', ')}] are not the Document schema and the manifest's signal columns`);
      const kv = Object.fromEntries((reader.metadata.key_value_metadata ?? []).map((k) => [k.key, k.value]));
      if (kv[SHARD_KV.schemaVersion] !== SHARD_SCHEMA_VERSION) problem(`${shard.path}: schema version ${kv[SHARD_KV.schemaVersion]}, expected ${SHARD_SCHEMA_VERSION}`);
      for await (const group of reader.rowGroups()) {
        for (const row of group) {
          const document: Record<string, unknown> = {};
          for (const name of DOCUMENT_COLUMNS) if (name in row) document[name] = row[name];
          for (const c of signalColumns) {
            const v = (row as Record<string, unknown>)[c.name];
            if (v !== null && v !== undefined && typeof v !== SIGNAL_JS_TYPES[c.type]) problem(`${shard.path} row ${rows}: ${c.name} is ${typeof v}, the manifest says ${c.type}`);
          }
          const parsed = DocumentSchema.safeParse(document);
          if (!parsed.success) problem(`${shard.path} row ${rows}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
          else if (createHash('sha256').update(row.text).digest('hex') !== row.content_sha256) problem(`${shard.path} row ${rows}: content_sha256 does not match the text`);
          chars += codePoints(row.text);
          rows++;
        }
      }
    } catch (e) {
      problem(`${shard.path}: unreadable Parquet: ${(e as Error).message}`);
    }
    if (rows !== shard.rows) problem(`${shard.path}: ${rows} rows, manifest says ${shard.rows}`);
    if (chars !== shard.text_chars) problem(`${shard.path}: ${chars} text characters, manifest says ${shard.text_chars}`);
    documents += rows;
    report.shards.push({ path: shard.path, rows, ok: problems.length === before });
  }
  if (documents !== manifest.totals.documents) problem(`${documents} documents in shards, manifest totals say ${manifest.totals.documents}`);
  report.ok = problems.length === 0;
  return report;
}
