import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASES, corpus, UNRELATED } from './fixtures.js';
import { groups, runSteps, tempDir, writeJsonl } from './helpers.js';
import { partName } from '../../src/dedup/params.js';
import { signaturesStep } from '../../src/dedup/steps.js';
import { text } from './fixtures.js';

const expected = () => {
  const g = Object.keys(BASES).map((name) => ['accents_stripped', 'changed_word', 'copy', 'footer', 'recased', 'reordered'].map((k) => `${name}/${k}`));
  for (const name of Object.keys(UNRELATED)) g.push([`${name}/only`]);
  return g.sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
};

describe('dedup steps on French texts', () => {
  for (const scheme of ['one-permutation', 'permutations'] as const) {
    it(`puts every perturbed copy in its original's cluster and merges nothing else (${scheme})`, async () => {
      const dir = tempDir();
      const input = writeJsonl(join(dir, 'docs.jsonl'), corpus());
      const lines = await runSteps([input], join(dir, 'work'), { minhash: { scheme } });
      expect(groups(lines)).toEqual(expected());
      for (const l of lines) expect(l.size).toBe(l.id.endsWith('/only') ? 1 : 6);
      expect(lines.filter((l) => l.keep)).toHaveLength(Object.keys(BASES).length + Object.keys(UNRELATED).length);
    });
  }

  it('finds only exact (folded) duplicates when near-duplicate search is off', async () => {
    const dir = tempDir();
    const input = writeJsonl(join(dir, 'docs.jsonl'), corpus());
    const lines = await runSteps([input], join(dir, 'work'), { near: false });
    const g = groups(lines).filter((x) => x.length > 1);
    // Case and punctuation are folded; accents are kept, so the accent-stripped copy stays apart.
    expect(g).toEqual(Object.keys(BASES).map((n) => [`${n}/copy`, `${n}/recased`]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });

  it('keeps the most openly licensed copy, then the earliest, then the smallest id', async () => {
    const dir = tempDir();
    const t = corpus()[0]!.text;
    const docs = [
      { id: 'z', text: t, license: 'CC-BY-NC-4.0', date_published: '1990' },
      { id: 'y', text: t, license: 'CC-BY-SA-4.0', date_published: '2001-05-01' },
      { id: 'x', text: t, license: 'CC-BY-SA-4.0', date_published: '2001' },
      { id: 'w', text: t, license: 'CC-BY-SA-4.0', date_published: '2001' },
      { id: 'v', text: t, license: null },
    ];
    const input = writeJsonl(join(dir, 'docs.jsonl'), docs);
    const lines = await runSteps([input], join(dir, 'work'), {});
    expect(lines.map((l) => [l.id, l.keep, l.cluster])).toEqual([
      ['z', false, 'w'], ['y', false, 'w'], ['x', false, 'w'], ['w', true, 'w'], ['v', false, 'w'],
    ]);
    const byDate = await runSteps([input], join(dir, 'work2'), { priority: { order: ['date', 'id'] } });
    expect(byDate.find((l) => l.keep)!.id).toBe('z');
    const custom = await runSteps([input], join(dir, 'work3'), { priority: { license_order: ['CC-BY-NC-*'] } });
    expect(custom.find((l) => l.keep)!.id).toBe('z');
  });

  it('gives the same clusters and keepers whatever the number of tasks, partitions and input order', async () => {
    const dir = tempDir();
    const docs = corpus();
    const input = writeJsonl(join(dir, 'docs.jsonl'), docs);
    const reference = await runSteps([input], join(dir, 'w1'), {});
    const asSet = (ls: typeof reference) => ls.map((l) => JSON.stringify(l)).sort();
    const split = await runSteps([input], join(dir, 'w3'), { partition_bytes: 4096 }, 3);
    expect(asSet(split)).toEqual(asSet(reference));
    const reversed = writeJsonl(join(dir, 'reversed.jsonl'), [...docs].reverse());
    const other = await runSteps([reversed], join(dir, 'w4'), { partition_bytes: 2048 }, 4);
    expect(asSet(other)).toEqual(asSet(reference));
  });

  it('writes kept documents with minhash_cluster_size and lists the removed ones', async () => {
    const dir = tempDir();
    const input = writeJsonl(join(dir, 'docs.jsonl'), corpus());
    await runSteps([input], join(dir, 'work'), {});
    const kept = readFileSync(join(dir, 'work', 'filtered', `${partName(0)}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(kept.map((d) => [d.id, d.minhash_cluster_size])).toEqual([
      ['conseil/accents_stripped', 6], ['jardin/accents_stripped', 6], ['histoire/accents_stripped', 6], ['recette/accents_stripped', 6],
      ['velo/only', 1], ['meteo/only', 1], ['bibliotheque/only', 1], ['astronomie/only', 1],
    ]);
    const removed = readFileSync(join(dir, 'work', 'removed', `${partName(0)}.jsonl`), 'utf8').trim().split('\n');
    expect(removed).toHaveLength(20);
  });

  it('counts malformed lines instead of failing, and skips blank ones', async () => {
    const dir = tempDir();
    const input = writeJsonl(join(dir, 'docs.jsonl'), [{ id: 'a', text: 'un texte' }, 'pas du json', '', '[1,2]', { id: '', text: 'x' }, { id: 'b' }, { id: 'c', text: '' }]);
    const lines = await runSteps([input], join(dir, 'work'), {});
    expect(lines.map((l) => l.id)).toEqual(['a', 'c']);
    const summary = JSON.parse(readFileSync(join(dir, 'work', 'clusters', 'done.json'), 'utf8'));
    expect(summary.malformed).toEqual({ invalid_json: 1, not_an_object: 1, missing_id: 1, missing_text: 1 });
  });

  it('does not merge a text that shares only one of its three paragraphs with another', async () => {
    const dir = tempDir();
    const a = BASES.conseil!;
    const b = BASES.jardin!;
    const input = writeJsonl(join(dir, 'docs.jsonl'), [
      { id: 'a', text: text(a) },
      { id: 'mix', text: text([a[0]!, b[1]!, BASES.histoire![2]!]) },
      { id: 'b', text: text(b) },
    ]);
    const lines = await runSteps([input], join(dir, 'work'), {});
    expect(lines.map((l) => l.size)).toEqual([1, 1, 1]);
  });

  it('skips the partitions a rerun finds done, so a failed task can simply be run again', async () => {
    const dir = tempDir();
    const input = writeJsonl(join(dir, 'docs.jsonl'), corpus());
    const first = await signaturesStep([input], 0, 1, join(dir, 'work'), { partition_bytes: 4096 });
    const again = await signaturesStep([input], 0, 1, join(dir, 'work'), { partition_bytes: 4096 });
    expect(first.done).toBeGreaterThan(1);
    expect(again).toEqual({ step: 'signatures', done: 0, skipped: first.done });
  });

  it('refuses a work folder made with other options', async () => {
    const dir = tempDir();
    const input = writeJsonl(join(dir, 'docs.jsonl'), corpus());
    await runSteps([input], join(dir, 'work'), {});
    await expect(runSteps([input], join(dir, 'work'), { minhash: { bands: 10 } })).rejects.toThrow(/other options/);
  });
});
