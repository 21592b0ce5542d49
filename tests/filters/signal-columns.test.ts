import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { validateRelease } from '../../src/release/validate.js';

// French documents written by the villers team for this test.
const PHRASES = [
  'La médiathèque de la commune rouvre ses portes lundi après trois mois de travaux.',
  "Les lecteurs y trouveront une salle d'étude agrandie et un espace pour les enfants.",
  "Le conseil municipal a voté le budget de l'année lors de sa séance de jeudi soir.",
  'Les habitants du quartier sont invités à une réunion publique sur la nouvelle piste cyclable.',
  "L'association des parents d'élèves organise une fête de fin d'année dans la cour de l'école.",
  'Le marché des producteurs locaux se tient désormais le samedi matin sur la place de la mairie.',
];

let root: string;
let result: RunResult;
const emails = 3;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-signals-'));
  await mkdir(join(root, 'sources', 'notes'), { recursive: true });
  await mkdir(join(root, 'datasets'), { recursive: true });
  const lines = Array.from({ length: 30 }, (_, i) => {
    const text = Array.from({ length: 6 }, (_, j) => PHRASES[(i + j * 5) % PHRASES.length]!.replace('lundi', `le ${i + 1} mai`)).join('\n');
    const contact = i < emails ? `\nContact : accueil${i}@mairie-exemple.fr pour tout renseignement.` : '';
    return JSON.stringify({ id: `n${i}`, text: `${text}${contact}\nNote numéro ${i} du bulletin municipal.` });
  });
  await writeFile(join(root, 'sources', 'notes', 'notes.jsonl'), lines.join('\n') + '\n');
  await writeFile(
    join(root, 'sources', 'notes.yaml'),
    ['id: notes', 'name: Notes', 'connector: files', 'license: CC0-1.0', 'license_evidence: written by the villers team for the tests', 'date_retrieved: 2026-01-01T00:00:00Z', 'options:', '  path: notes', ''].join('\n'),
  );
  const recipe = join(root, 'datasets', 'notes.yaml');
  await writeFile(
    recipe,
    ['dataset: notes', 'version: 1.0.0', 'sources: [notes]', 'stages:', '  - stage: lang', '  - stage: normalise', '  - stage: gopher_quality', '  - stage: gopher_repetition', '  - stage: fineweb', '  - stage: pii', '  - stage: license', '    allow: [CC0-1.0]', ''].join('\n'),
  );
  result = await runRecipe(recipe, { outDir: join(root, 'out'), log: silentLogger, now: new Date('2026-06-01T00:00:00Z') });
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('signals in a release', () => {
  it('are typed shard columns that a query can filter on, one per stage signal, listed in the manifest', async () => {
    const columns = result.manifest.signal_columns;
    const names = columns.map((c) => c.name);
    for (const name of ['signal_lang_fasttext_score', 'signal_normalise_changed', 'signal_gopher_quality_stop_words', 'signal_gopher_repetition_dup_line_frac', 'signal_fineweb_line_punct_ratio', 'signal_pii_email'])
      expect(names).toContain(name);
    expect(columns.find((c) => c.name === 'signal_normalise_changed')?.type).toBe('boolean');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const glob = join(result.releaseDir, 'data', 'default', '*.parquet');
    const r = await conn.runAndReadAll(
      `SELECT count(*)::INTEGER AS docs, count(signal_fineweb_line_punct_ratio)::INTEGER AS measured, sum(signal_pii_email)::INTEGER AS emails, min(signal_fineweb_line_punct_ratio) >= 0.1 AS above_threshold FROM read_parquet('${glob}')`,
    );
    expect(r.getRowObjects()[0]).toEqual({ docs: result.manifest.totals.documents, measured: result.manifest.totals.documents, emails, above_threshold: true });
    // What is a column is not repeated in the metadata.
    const m = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${glob}') WHERE json_extract(metadata, '$.signals') IS NOT NULL`);
    expect(m.getRowObjects()[0]).toEqual({ n: 0 });
    conn.closeSync();
    expect(result.manifest.totals.documents).toBe(30);
  });

  it('are described by the card and the Croissant record set, and the release validates', async () => {
    const { readFile } = await import('node:fs/promises');
    const card = await readFile(join(result.releaseDir, 'README.md'), 'utf8');
    expect(card).toContain('| `signal_fineweb_line_punct_ratio` | fineweb | line_punct_ratio | double |');
    const croissant = JSON.parse(await readFile(join(result.releaseDir, 'croissant.json'), 'utf8'));
    const field = croissant.recordSet[0].field.find((f: { name: string }) => f.name === 'signal_normalise_changed');
    expect(field.dataType).toBe('sc:Boolean');
    const report = await validateRelease(result.releaseDir);
    expect(report.problems).toEqual([]);
  });

  it('stage counters beyond in and out are in the stats: PII redacted by kind', () => {
    expect(result.stats.stages.pii?.counts).toEqual({ email: emails });
  });
});
