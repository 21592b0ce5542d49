import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createContext, type RunContext } from '../../src/pipeline/context.js';
import { makeDoc, type Doc } from '../../src/pipeline/doc.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { noProgress } from '../../src/pipeline/progress.js';
import { RejectsWriter } from '../../src/pipeline/rejects.js';
import { Stats } from '../../src/pipeline/stats.js';
import { stageDefinition } from '../../src/pipeline/stages.js';
import { corpus } from './fixtures.js';
import { tempDir } from './helpers.js';

function context(dir: string): { ctx: RunContext; stats: Stats; rejects: RejectsWriter } {
  const stats = new Stats();
  const rejects = new RejectsWriter(join(dir, 'rejects'));
  return { ctx: createContext({ stats, rejects, log: silentLogger, progress: noProgress }), stats, rejects };
}

async function runStage(name: string, options: Record<string, unknown>, docs: Doc[], dir = tempDir()) {
  const { ctx, stats, rejects } = context(dir);
  const def = stageDefinition(name);
  const stage = await def.create(def.options.parse({ stage: name, ...options }), ctx);
  const out: Doc[] = [];
  async function* input() {
    yield* docs;
  }
  for await (const d of stage(input(), ctx)) out.push(d);
  await rejects.close();
  const rejected = (stage: string) =>
    gunzipSync(readFileSync(join(dir, 'rejects', `${stage}.jsonl.gz`)))
      .toString('utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  return { out, stats, rejected, dir };
}

const docsOf = (records: { id: string; text: string; license?: string | null }[], extra: Partial<Doc> = {}) =>
  records.map((r) => makeDoc({ id: r.id, source: 'test', text: r.text, license: r.license ?? null, date_retrieved: '2026-01-01T00:00:00Z', ...extra }));

describe('dedup_minhash stage', () => {
  it('emits one document per cluster in input order with its cluster size, and rejects the others with a reason', async () => {
    const docs = docsOf(corpus());
    const { out, stats, rejected } = await runStage('dedup_minhash', { workers: 1, spill_bytes: 4096 }, docs);
    expect(out.map((d) => [d.id, d.minhash_cluster_size])).toEqual([
      ['conseil/accents_stripped', 6], ['jardin/accents_stripped', 6], ['histoire/accents_stripped', 6], ['recette/accents_stripped', 6],
      ['velo/only', 1], ['meteo/only', 1], ['bibliotheque/only', 1], ['astronomie/only', 1],
    ]);
    expect(stats.stage('dedup_minhash').rejected).toEqual({ 'dedup_minhash.duplicate': 20 });
    const r = rejected('dedup_minhash');
    expect(r[0]).toMatchObject({ reason: 'dedup_minhash.duplicate', doc: { id: 'conseil/copy' }, detail: { duplicate_of: 'conseil/accents_stripped', cluster_size: 6 } });
    expect(r[0].doc.text).toBe(docs[0]!.text);
  });

  it('drops documents duplicating a published release, and a refresh does not re-add them', async () => {
    const all = corpus();
    const first = all.filter((d) => d.id.endsWith('/copy'));
    const dir = tempDir();
    const index = join(dir, 'index');
    const r1 = await runStage('dedup_minhash', { workers: 1, update_index: index }, docsOf(first));
    expect(r1.out).toHaveLength(first.length);
    // The next release: perturbed copies of what was published, and new texts.
    const r2 = await runStage('dedup_minhash', { workers: 1, index, update_index: index }, docsOf(all.filter((d) => !d.id.endsWith('/copy'))));
    expect(r2.out.map((d) => d.id)).toEqual(['velo/only', 'meteo/only', 'bibliotheque/only', 'astronomie/only']);
    expect(r2.stats.stage('dedup_minhash').rejected).toEqual({ 'dedup_minhash.published_duplicate': 20 });
    expect(r2.rejected('dedup_minhash')[0].detail.duplicate_of).toBe('conseil/copy');
    // A refresh that sees everything again keeps nothing: all of it is published now.
    const r3 = await runStage('dedup_minhash', { workers: 1, index }, docsOf(all));
    expect(r3.out).toEqual([]);
  });
});

describe('dedup_exact stage', () => {
  it('keeps the copy the priority rule prefers, not the first one', async () => {
    const t = corpus()[0]!.text;
    const docs = docsOf([
      { id: 'b', text: t, license: 'CC-BY-SA-4.0' },
      { id: 'a', text: t.toUpperCase(), license: 'CC-BY-NC-4.0' },
      { id: 'c', text: t.replace(/,/g, ' ;'), license: 'CC0-1.0' },
      { id: 'd', text: 'Un autre texte.', license: null },
    ]);
    const { out, stats } = await runStage('dedup_exact', { workers: 1 }, docs);
    expect(out.map((d) => d.id)).toEqual(['c', 'd']);
    expect(stats.stage('dedup_exact').rejected).toEqual({ 'dedup_exact.duplicate': 2 });
    const first = await runStage('dedup_exact', { keep: 'first' }, docs);
    expect(first.out.map((d) => d.id)).toEqual(['b', 'd']);
  });
});

describe('dedup_boilerplate stage', () => {
  const menu = 'Accueil | Actualités | Agenda | Contact';
  const legal = 'Mentions légales – Ce site utilise des cookies pour mesurer son audience.';
  const bodies = [
    'La fête du village aura lieu le premier dimanche de juillet sur la place de l’église.',
    'Les inscriptions à l’école de musique ouvrent lundi ; les cours reprennent en septembre.',
    'Le marché de Noël accueillera cette année une trentaine d’exposants venus de toute la région.',
    'La piscine intercommunale fermera deux semaines en août pour la vidange annuelle des bassins.',
  ];

  it('removes lines repeated across documents of the same site and keeps the rest as written', async () => {
    const docs = bodies.map((b, i) =>
      makeDoc({ id: `p${i}`, source: 'web', url: `https://mairie.example/page-${i}`, text: `${menu}\n${b}\n${legal}`, date_retrieved: '2026-01-01T00:00:00Z' }),
    );
    // The same menu on another site is that site's business: only one page there, so it stays.
    docs.push(makeDoc({ id: 'other', source: 'web', url: 'https://autre.example/', text: `${menu}\nUn texte d'un autre site.`, date_retrieved: '2026-01-01T00:00:00Z' }));
    docs.push(makeDoc({ id: 'only', source: 'web', url: 'https://mairie.example/vide', text: `${menu}\n\n${legal}\n`, date_retrieved: '2026-01-01T00:00:00Z' }));
    const { out, stats } = await runStage('dedup_boilerplate', { min_docs: 3 }, docs);
    expect(out.map((d) => d.text)).toEqual([...bodies, `${menu}\nUn texte d'un autre site.`]);
    expect(out[0]!.metadata).toEqual({ boilerplate_units_removed: 2 });
    expect(stats.stage('dedup_boilerplate').rejected).toEqual({ 'dedup_boilerplate.only_boilerplate': 1 });
  });

  it('compares paragraphs when asked, and leaves units under the thresholds alone', async () => {
    const docs = bodies.map((b, i) => makeDoc({ id: `p${i}`, source: 'src', text: `${b}\n\n${legal}\nSuite de la mention.`, date_retrieved: '2026-01-01T00:00:00Z' }));
    const para = await runStage('dedup_boilerplate', { unit: 'paragraph', group_by: 'source', min_docs: 4 }, docs);
    expect(para.out.map((d) => d.text)).toEqual(bodies);
    const strict = await runStage('dedup_boilerplate', { unit: 'paragraph', group_by: 'source', min_docs: 5 }, docs);
    expect(strict.out.map((d) => d.text)).toEqual(docs.map((d) => d.text));
  });
});
