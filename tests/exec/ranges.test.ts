import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRun } from '../../src/exec/plan.js';
import { localExecutor } from '../../src/exec/local.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { loadRecipe } from '../../src/pipeline/recipe.js';
import { runRecipe } from '../../src/pipeline/run.js';
import { releaseDigest } from './release-digest.js';

// One large JSONL file of French lines written by the villers team: some lines have no id (their id
// is their line number), one is malformed, some are blank, and one is a duplicate of an earlier one.
const SENTENCES = [
  'Le conseil municipal se réunira mardi soir à la salle des fêtes pour voter le budget de la commune.',
  "La médiathèque prolonge ses horaires d'ouverture pendant les vacances scolaires, le matin comme le soir.",
  'Une balade commentée le long du canal fera découvrir aux habitants les anciennes écluses du quartier.',
  "Les élèves de l'école primaire présenteront leur spectacle de fin d'année devant les familles samedi.",
];
let root: string;
let content: string;

/** A folder with the source (its file, split or not) and a recipe over it. */
async function writeSource(split: number | null): Promise<string> {
  const dir = join(root, split === null ? 'whole' : `split-${split}`);
  await mkdir(join(dir, 'sources', 'big'), { recursive: true });
  await mkdir(join(dir, 'datasets'), { recursive: true });
  await writeFile(join(dir, 'sources', 'big', 'big.jsonl'), content);
  await writeFile(
    join(dir, 'sources', 'big.yaml'),
    ['id: big', 'name: Un grand fichier', 'connector: files', 'license: CC0-1.0', 'license_evidence: written by the villers team for the tests', 'date_retrieved: 2026-01-01T00:00:00Z', 'options:', '  path: big', ...(split === null ? [] : [`  split_bytes: ${split}`]), ''].join('\n'),
  );
  const recipe = join(dir, 'datasets', 'big.yaml');
  await writeFile(recipe, ['dataset: big', 'version: 1.0.0', 'sources: [big]', 'stages:', '  - stage: lang', '  - stage: dedup_exact', '  - stage: license', '    allow: [CC0-1.0]', 'output:', '  shard_target_bytes: 16KB', '  row_group_bytes: 8KB', ''].join('\n'));
  return recipe;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-ranges-'));
  const lines: string[] = [];
  // Digits are folded away by exact dedup: texts differ by their words (i in mixed radix 7, 11, 17).
  const A = ['rouge', 'vert', 'bleu', 'jaune', 'blanc', 'noir', 'gris'];
  const B = ['chêne', 'tilleul', 'érable', 'saule', 'frêne', 'hêtre', 'platane', 'marronnier', 'peuplier', 'bouleau', 'charme'];
  const C = ['avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre', 'janvier', 'février', 'mars', 'printemps', 'été', 'automne', 'hiver', 'dimanche'];
  const textOf = (i: number) => `${SENTENCES[i % 4]} Le banc ${A[i % 7]} sous le ${B[Math.floor(i / 7) % 11]}, en ${C[Math.floor(i / 77) % 17]}.`;
  for (let i = 0; i < 1200; i++) {
    const text = textOf(i);
    if (i === 517) lines.push('{"id": "cassée", "text": ');
    else if (i % 97 === 0) lines.push('');
    else if (i === 900) lines.push(JSON.stringify({ text: textOf(5) }));
    else lines.push(JSON.stringify(i % 5 === 0 ? { text } : { id: `n${i}`, text }));
  }
  content = lines.join('\n') + '\n';
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a large JSONL file planned as byte ranges', () => {
  it('is cut at line starts into consecutive ranges that cover it exactly', async () => {
    const loaded = await loadRecipe(await writeSource(8 * 1024));
    const plan = await planRun(loaded, { outDir: join(root, 'plan'), created: '2026-06-01T00:00:00Z' });
    const bytes = Buffer.from(content);
    const size = bytes.length;
    expect(plan.units.length).toBeGreaterThan(10);
    let next = 0;
    for (const u of plan.units) {
      const m = /#bytes=(\d+)-(\d+),line=(\d+)$/.exec(u.unit!)!;
      const [start, end, line] = [Number(m[1]), Number(m[2]), Number(m[3])];
      expect(start).toBe(next);
      if (start > 0) expect(bytes[start - 1]).toBe(0x0a);
      // The line number is the count of newlines before the range, plus one.
      expect(line).toBe(bytes.subarray(0, start).filter((b) => b === 0x0a).length + 1);
      expect(u.bytes).toBe(end - start);
      next = end;
    }
    expect(next).toBe(size);
  });

  it('gives the release (ids, line numbers, rejects, duplicates) of the file read whole, on 1 or 2 workers', async () => {
    const NOW = new Date('2026-06-01T00:00:00Z');
    const whole = await runRecipe(await writeSource(null), { outDir: join(root, 'whole'), log: silentLogger, now: NOW });
    const ranged1 = await runRecipe(await writeSource(8 * 1024), { outDir: join(root, 'r1'), log: silentLogger, now: NOW });
    const ranged2 = await runRecipe(await writeSource(8 * 1024), { outDir: join(root, 'r2'), log: silentLogger, now: NOW, executor: localExecutor({ workers: 2 }) });
    const w = await releaseDigest(whole.releaseDir);
    // The source files differ (split_bytes), so the manifests' recipe digests do too: compare rows and rejects.
    const rowsOnly = (d: Record<string, string>) => Object.fromEntries(Object.entries(d).filter(([k]) => k.startsWith('data/') || k.startsWith('rejects/')));
    expect(rowsOnly(await releaseDigest(ranged1.releaseDir))).toEqual(rowsOnly(w));
    expect(rowsOnly(await releaseDigest(ranged2.releaseDir))).toEqual(rowsOnly(w));
    expect(whole.manifest.stages.files?.rejected).toEqual({ 'files.malformed_json': 1 });
    expect(whole.manifest.stages.dedup_exact?.rejected).toEqual({ 'dedup_exact.duplicate': 1 });
  });
});
