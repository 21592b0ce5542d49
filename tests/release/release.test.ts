import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { validateRelease } from '../../src/release/validate.js';
import { DOCUMENT_COLUMNS } from '../../src/schema/document.js';
import { CatalogSchema } from '../../src/schema/catalog.js';
import { baseRecipe, workspace, writeSources, CHRONIQUES, GLOSSAIRE, type Workspace } from './fixtures.js';

const sha256 = async (p: string) => createHash('sha256').update(await readFile(p)).digest('hex');
const json = async (p: string) => JSON.parse(await readFile(p, 'utf8'));
const globToRegExp = (glob: string) => new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);

let ws: Workspace;
let first: RunResult;
beforeAll(async () => {
  ws = await workspace();
  first = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('a release folder', () => {
  it('has the Hugging Face layout, validates, and lists every file with its sha256 in the manifest', async () => {
    expect(first.manifest.shards.length).toBeGreaterThan(1);
    for (const s of first.manifest.shards) expect(s.path).toMatch(/^data\/default\/train-\d{5}-of-\d{5}\.parquet$/);
    const names = first.manifest.files.map((f) => f.path);
    expect(names).toEqual(expect.arrayContaining(['README.md', 'croissant.json', 'dcat.json', 'udata.json', 'ATTRIBUTION.md', 'CHANGELOG.md', 'stats.json']));
    for (const f of first.manifest.files) expect(await sha256(join(first.releaseDir, f.path))).toBe(f.sha256);
    expect((await validateRelease(first.releaseDir)).ok).toBe(true);
  });

  it('gives a card whose YAML parses and whose data_files glob matches exactly the shards', async () => {
    const card = await readFile(join(first.releaseDir, 'README.md'), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
    expect(m).not.toBeNull();
    const front = parseYaml(m![1]!);
    expect(front).toMatchObject({ pretty_name: 'Gazette de Villers', license: 'other', license_name: 'CC-BY-4.0 AND CC-BY-SA-4.0', size_categories: ['n<1K'] });
    const glob = front.configs[0].data_files[0].path as string;
    expect(front.configs[0]).toMatchObject({ config_name: 'default', data_files: [{ split: 'train' }] });
    const all = [...first.manifest.files.map((f) => f.path), ...first.manifest.shards.map((s) => s.path)];
    expect(all.filter((p) => globToRegExp(glob).test(p)).sort()).toEqual(first.manifest.shards.map((s) => s.path).sort());
    expect(card).toContain('## Sources');
    expect(card).toContain('Chroniques du village');
    expect(card).toContain('## Filters applied');
  });

  it('gives a Croissant 1.1 file with every required property, sha256 values that match, and a RecordSet of the columns', async () => {
    const c = await json(join(first.releaseDir, 'croissant.json'));
    // Required by the Croissant 1.1 specification, "Dataset-level Information" and "Modified and Added Properties".
    for (const p of ['@context', '@type', 'conformsTo', 'description', 'license', 'name', 'url', 'creator', 'datePublished', 'distribution']) expect(c, p).toHaveProperty([p]);
    expect(c['@type']).toBe('sc:Dataset');
    expect(c.conformsTo).toBe('http://mlcommons.org/croissant/1.1');
    expect(c['@context'].cr).toBe('http://mlcommons.org/croissant/');
    expect(c.version).toBe('1.0.0');
    const objects = c.distribution.filter((d: { '@type': string }) => d['@type'] === 'cr:FileObject');
    expect(objects.map((o: { contentUrl: string }) => o.contentUrl)).toEqual(first.manifest.shards.map((s) => s.path));
    for (const o of objects) {
      expect(o.sha256).toBe(await sha256(join(first.releaseDir, o.contentUrl)));
      expect(o.contentSize).toBe(`${(await readFile(join(first.releaseDir, o.contentUrl))).length} B`);
      for (const p of ['@id', 'name', 'contentUrl', 'encodingFormat']) expect(o).toHaveProperty([p]);
    }
    const fileSet = c.distribution.find((d: { '@type': string }) => d['@type'] === 'cr:FileSet');
    const fields = c.recordSet[0].field;
    expect(fields.map((f: { name: string }) => f.name)).toEqual(DOCUMENT_COLUMNS);
    for (const f of fields) expect(f.source.fileSet['@id']).toBe(fileSet['@id']);
    // The columns the RecordSet names are the columns DuckDB finds in the shards.
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const r = await conn.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${join(first.releaseDir, fileSet.includes)}')`);
    expect((r.getRowObjects() as { column_name: string }[]).map((x) => x.column_name)).toEqual(fields.map((f: { source: { extract: { column: string } } }) => f.source.extract.column));
    conn.closeSync();
  });

  it('gives DCAT-AP and udata views whose checksums and licences match the shards', async () => {
    const dcat = await json(join(first.releaseDir, 'dcat.json'));
    expect(dcat['@type']).toBe('dcat:Dataset');
    for (const d of dcat['dcat:distribution']) expect(d['spdx:checksum']['spdx:checksumValue']).toBe(await sha256(join(first.releaseDir, d['dcat:downloadURL']['@id'])));
    expect(dcat['dct:language']).toEqual([{ '@id': 'http://publications.europa.eu/resource/authority/language/FRA' }].slice(0, dcat['dct:language'].length));
    const udata = await json(join(first.releaseDir, 'udata.json'));
    expect(udata.license).toBe('cc-by-sa');
    for (const r of udata.resources) expect(r.checksum).toEqual({ type: 'sha256', value: await sha256(join(first.releaseDir, r.url)) });
  });

  it('computes the licence expression and credits every source and author in ATTRIBUTION.md', async () => {
    expect(first.manifest.license).toMatchObject({ expression: 'CC-BY-4.0 AND CC-BY-SA-4.0', share_alike: 'CC-BY-SA-4.0' });
    const attribution = await readFile(join(first.releaseDir, 'ATTRIBUTION.md'), 'utf8');
    for (const s of ['Chroniques du village', 'Petit glossaire juridique', 'Rédaction chroniques', 'Rédaction glossaire']) expect(attribution).toContain(s);
  });

  it('writes shards DuckDB and hyparquet read back, with the schema version in the key-value metadata', async () => {
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(first.releaseDir, 'data/default/*.parquet')}')`);
    expect((r.getRowObjects()[0] as { n: number }).n).toBe(CHRONIQUES.length + GLOSSAIRE.length);
    const kv = await conn.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${join(first.releaseDir, first.manifest.shards[0]!.path)}')`);
    expect(kv.getRowObjects()).toContainEqual({ k: 'villers.schema_version', v: '2' });
    conn.closeSync();
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(first.releaseDir, first.manifest.shards[0]!.path)), compressors });
    expect(rows.length).toBe(first.manifest.shards[0]!.rows);
  });
});

describe('versions', () => {
  it('treats a rerun with the same records as a no-op and keeps latest where it was', async () => {
    const again = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
    expect(again.status).toBe('unchanged');
    expect(again.manifest.version).toBe('1.0.0');
  });

  it('makes added records a minor version, and a takedown of a source a major version whose changelog says so', async () => {
    await writeSources(ws.root, [...CHRONIQUES, 'Le boulanger a rouvert sa boutique après trois semaines de travaux.'], GLOSSAIRE);
    const minor = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
    expect(minor.manifest.version).toBe('1.1.0');
    expect(minor.manifest.changes).toMatchObject({ bump: 'minor', added: 1, removed: 0, previous_version: '1.0.0' });

    await writeFile(
      join(ws.root, 'datasets', 'gazette.takedowns.yaml'),
      'takedowns:\n  - source: glossaire\n    reason: demande du titulaire des droits\n    date: 2026-12-01\n',
    );
    const major = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
    expect(major.manifest.version).toBe('2.0.0');
    expect(major.manifest.changes).toMatchObject({ bump: 'major', removed: GLOSSAIRE.length, previous_version: '1.1.0' });
    expect(major.manifest.changes.by_source.glossaire).toEqual({ added: 0, removed: GLOSSAIRE.length, changed: 0 });
    expect(major.manifest.counts_by_source.glossaire).toBeUndefined();
    const changelog = await readFile(join(major.releaseDir, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain('**major** version after 1.1.0');
    expect(changelog).toContain(`source glossaire (demande du titulaire des droits), requested 2026-12-01: ${GLOSSAIRE.length} documents of 1.1.0 removed`);
    // Earlier versions stay as they were; latest points at the new one.
    expect((await validateRelease(join(ws.out, 'gazette', '1.0.0'))).ok).toBe(true);
    expect(await json(join(ws.out, 'gazette', 'latest.json'))).toMatchObject({ version: '2.0.0', manifest: '2.0.0/manifest.json' });
    const catalog = CatalogSchema.parse(await json(join(ws.out, 'catalog.json')));
    expect(catalog.datasets[0]!.versions.map((v) => v.version)).toEqual(['1.0.0', '1.1.0', '2.0.0']);
    expect(catalog.datasets[0]!.latest).toBe('2.0.0');

    // Deleting the line from the YAML does not bring the source back: the takedown was recorded.
    await rm(join(ws.root, 'datasets', 'gazette.takedowns.yaml'));
    const after = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
    expect(after.status).toBe('unchanged');
    expect(after.manifest.counts_by_source.glossaire).toBeUndefined();
  });

  it('rejects documents taken down by id or URL prefix with a reason code', async () => {
    const w = await workspace();
    try {
      await writeFile(
        join(w.root, 'datasets', 'gazette.takedowns.yaml'),
        'takedowns:\n  - id: chroniques/chroniques-1\n    reason: erreur\n    date: 2026-12-01\n  - url_prefix: https://glossaire.villers.example/\n    reason: retrait\n    date: 2026-12-01\n',
      );
      const r = await runRecipe(w.recipe, { outDir: w.out, log: silentLogger });
      expect(r.manifest.stages.takedown!.rejected).toEqual({ 'takedown.document': 1, 'takedown.url_prefix': GLOSSAIRE.length });
      expect(r.manifest.totals.documents).toBe(CHRONIQUES.length - 1);
    } finally {
      await rm(w.root, { recursive: true, force: true });
    }
  });
});

describe('licences at release time', () => {
  it('refuses a recipe allowing a non-commercial licence unless it says so', async () => {
    const w = await workspace();
    try {
      await w.write(baseRecipe({ stages: [{ stage: 'license', allow: ['CC-BY-4.0', 'CC-BY-NC-4.0'] }] }));
      await expect(runRecipe(w.recipe, { outDir: w.out, log: silentLogger })).rejects.toThrow(/CC-BY-NC-4.0 is non-commercial; set licenses.allow_noncommercial/);
      await w.write(baseRecipe({ stages: [{ stage: 'license', allow: ['CC-BY-4.0', 'CC-BY-NC-4.0', 'CC-BY-SA-4.0'] }], licenses: { allow_noncommercial: true } }));
      expect((await runRecipe(w.recipe, { outDir: w.out, log: silentLogger })).status).toBe('published');
    } finally {
      await rm(w.root, { recursive: true, force: true });
    }
  });

  it('refuses a recipe without a licence allow-list', async () => {
    const w = await workspace();
    try {
      await w.write(baseRecipe({ stages: [] }));
      await expect(runRecipe(w.recipe, { outDir: w.out, log: silentLogger })).rejects.toThrow(/needs a "license" stage/);
    } finally {
      await rm(w.root, { recursive: true, force: true });
    }
  });
});
