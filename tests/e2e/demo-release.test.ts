import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, readdir, unlink, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { gunzipSync } from 'node:zlib';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { validateRelease } from '../../src/release/validate.js';
import { ReleaseManifestSchema } from '../../src/schema/manifest.js';
import { CatalogSchema } from '../../src/schema/catalog.js';
import { repoRoot } from '../helpers/samples.js';

const run = promisify(execFile);
const recipe = join(repoRoot, 'datasets', 'demo.yaml');
const cli = join(repoRoot, 'dist', 'cli', 'main.js');
let out: string;
let first: RunResult;

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');
const codePoints = (s: string) => [...s].length;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'villers-demo-'));
  first = await runRecipe(recipe, { outDir: out, log: silentLogger });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('the demo recipe, end to end', () => {
  it('publishes a release folder with shards, manifest, stats and rejects, and lists it in catalog.json', async () => {
    expect(first.status).toBe('published');
    const dir = join(out, 'demo', '1.0.0');
    const names = await readdir(dir);
    expect(names).toEqual(expect.arrayContaining(['data', 'manifest.json', 'stats.json', 'rejects']));
    expect(names.some((n) => n.startsWith('.tmp'))).toBe(false);
    const manifest = ReleaseManifestSchema.parse(JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')));
    expect(manifest.shards.length).toBeGreaterThan(1);
    for (const [i, s] of manifest.shards.entries()) expect(s.path).toBe(`data/default/train-${String(i).padStart(5, '0')}-of-${String(manifest.shards.length).padStart(5, '0')}.parquet`);
    const catalog = CatalogSchema.parse(JSON.parse(await readFile(join(out, 'catalog.json'), 'utf8')));
    expect(catalog.datasets[0]).toMatchObject({ dataset: 'demo', latest: '1.0.0' });
    expect(catalog.datasets[0]!.versions[0]!.documents).toBe(manifest.totals.documents);
  });

  it('makes every stage act on the demo: a malformed line, an empty page, other languages, duplicates, a refused licence', () => {
    const stages = first.manifest.stages;
    expect(Object.keys(stages)).toEqual(['files', 'extract', 'lang', 'dedup_exact', 'license', 'write']);
    expect(stages.files!.rejected['files.malformed_json']).toBe(1);
    expect(stages.extract!.rejected['extract.empty']).toBe(1);
    expect(stages.lang!.rejected['lang.not_wanted']).toBeGreaterThanOrEqual(4);
    expect(stages.dedup_exact!.rejected['dedup_exact.duplicate']).toBeGreaterThanOrEqual(2);
    expect(stages.license!.rejected['license.not_allowed']).toBe(1);
    for (const s of Object.values(stages)) {
      const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
      expect(s.in, 'every document that enters a stage leaves it or is rejected').toBe(s.out + rejected);
    }
  });

  it('writes each rejected document whole, with its reason, to rejects/<stage>.jsonl.gz', async () => {
    const lines = gunzipSync(await readFile(join(first.releaseDir, 'rejects', 'license.jsonl.gz'))).toString('utf8').trim().split('\n');
    const records = lines.map((l) => JSON.parse(l));
    const refused = records.find((r) => r.reason === 'license.not_allowed');
    expect(refused.doc.license).toBe('CC-BY-NC-4.0');
    expect(refused.doc.text).toContain('non commerciales');
    expect(records.length).toBe(Object.values(first.manifest.stages.license!.rejected).reduce((a, b) => a + b, 0));
  });

  it('gives shards that DuckDB and hyparquet both read back as the manifest describes', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    for (const shard of first.manifest.shards) {
      const path = join(first.releaseDir, shard.path);
      expect(await sha256(path)).toBe(shard.sha256);
      expect((await stat(path)).size).toBe(shard.bytes);

      const result = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, sum(length(text))::BIGINT AS chars, count(DISTINCT id)::INTEGER AS ids FROM read_parquet('${path}')`);
      const [row] = result.getRowObjects() as { n: number; chars: bigint; ids: number }[];
      expect(row!.n).toBe(shard.rows);
      expect(Number(row!.chars)).toBe(shard.text_chars);
      expect(row!.ids).toBe(shard.rows);

      const file = await asyncBufferFromFile(path);
      const metadata = await parquetMetadataAsync(file);
      expect(metadata.row_groups[0]!.columns[0]!.meta_data!.codec).toBe('ZSTD');
      const rows = await parquetReadObjects({ file, compressors });
      expect(rows.length).toBe(shard.rows);
      expect(rows.reduce((a, r) => a + codePoints(r.text as string), 0)).toBe(shard.text_chars);
      for (const r of rows) expect(createHash('sha256').update(r.text as string).digest('hex')).toBe(r.content_sha256);
    }
    conn.closeSync();
  });

  it('keeps only French text under allowed licences, each with its evidence', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const glob = join(first.releaseDir, 'data', '*', '*.parquet');
    const result = await conn.runAndReadAll(`SELECT DISTINCT lang, license FROM read_parquet('${glob}') ORDER BY ALL`);
    const rows = result.getRowObjects() as { lang: string; license: string }[];
    expect(new Set(rows.map((r) => r.lang))).toEqual(new Set(['fr']));
    expect(rows.map((r) => r.license).every((l) => ['CC-BY-4.0', 'CC-BY-SA-4.0', 'CC0-1.0', 'etalab-2.0'].includes(l))).toBe(true);
    const evidence = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}') WHERE license_evidence IS NULL OR license_evidence = ''`);
    expect((evidence.getRowObjects()[0] as { n: number }).n).toBe(0);
    const page = await conn.runAndReadAll(`SELECT title, text FROM read_parquet('${glob}') WHERE id = 'demo/pages/fete-du-village.html'`);
    const fete = page.getRowObjects()[0] as { title: string; text: string };
    expect(fete.title).toBe('Fête du village');
    expect(fete.text).toContain('pétanque');
    conn.closeSync();
  });

  it('gives byte-identical shards when the same recipe runs again', async () => {
    const again = await mkdtemp(join(tmpdir(), 'villers-demo-again-'));
    try {
      const second = await runRecipe(recipe, { outDir: again, log: silentLogger });
      expect(second.manifest.shards.map((s) => s.sha256)).toEqual(first.manifest.shards.map((s) => s.sha256));
    } finally {
      await rm(again, { recursive: true, force: true });
    }
  });

  it('treats a re-run into the same output as a no-op, since published versions are immutable', async () => {
    const rerun = await runRecipe(recipe, { outDir: out, log: silentLogger });
    expect(rerun.status).toBe('unchanged');
  });
});

describe('villers validate', () => {
  async function copyRelease(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'villers-validate-'));
    await run('cp', ['-r', first.releaseDir, dir]);
    return join(dir, '1.0.0');
  }

  it('accepts the release as published', async () => {
    expect((await validateRelease(first.releaseDir)).ok).toBe(true);
    const { stdout } = await run('node', [cli, 'validate', first.releaseDir]);
    expect(stdout).toContain('valid');
  });

  it('fails, with a non-zero exit, on a shard altered by one byte', async () => {
    const dir = await copyRelease();
    const shard = join(dir, first.manifest.shards[0]!.path);
    const bytes = await readFile(shard);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    await writeFile(shard, bytes);
    const report = await validateRelease(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain('sha256');
    await expect(run('node', [cli, 'validate', dir])).rejects.toMatchObject({ code: 1 });
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('fails on a manifest that lists a missing shard', async () => {
    const dir = await copyRelease();
    await unlink(join(dir, first.manifest.shards.at(-1)!.path));
    const report = await validateRelease(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toMatch(/missing/);
    await expect(run('node', [cli, 'validate', dir, '--json'])).rejects.toMatchObject({ code: 1 });
    await rm(join(dir, '..'), { recursive: true, force: true });
  });

  it('fails on a shard the manifest does not list', async () => {
    const dir = await copyRelease();
    await run('cp', [join(dir, first.manifest.shards[0]!.path), join(dir, 'data', 'default', 'extra.parquet')]);
    const report = await validateRelease(dir);
    expect(report.ok).toBe(false);
    expect(report.problems.join('\n')).toContain('data/default/extra.parquet is not listed');
    await rm(join(dir, '..'), { recursive: true, force: true });
  });
});
