import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../../src/exec/executor.js';
import { UnitArrivals } from '../../src/exec/merge.js';
import { runTask } from '../../src/exec/task.js';
import { unitsOf } from '../../src/exec/plan.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { runRecipe } from '../../src/pipeline/run.js';
import { writeCorpus, type Corpus } from './corpus.js';
import { releaseDigest } from './release-digest.js';

let root: string;
let corpus: Corpus;
const NOW = new Date('2026-06-01T00:00:00Z');

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-merge-'));
  corpus = await writeCorpus(root, { files: 4, docsPerFile: 40, name: 'merge-test' });
  // Without the dedup barrier, a document can reach the writer as soon as its unit is read.
  const recipe = (await readFile(corpus.recipe, 'utf8')).replace('  - stage: dedup_exact\n', '');
  await writeFile(corpus.recipe, recipe);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the merge beside running tasks', () => {
  it('writes the first units’ documents while later units are still to run, and publishes the same release', async () => {
    let written = 0;
    let writtenBeforeRank1 = -1;
    const staged: Executor = {
      name: 'staged',
      async runTasks(plan, hooks) {
        await runTask(plan.work_dir, { rank: 0, world: 2 }, { onUnit: (u) => hooks.unitFinished?.(u) });
        // Rank 1 starts only once the merge has written something: a merge that waited for every
        // unit would never get there (the test would time out).
        while (written === 0) await new Promise((r) => setTimeout(r, 10));
        writtenBeforeRank1 = written;
        await runTask(plan.work_dir, { rank: 1, world: 2 }, { onUnit: (u) => hooks.unitFinished?.(u) });
        expect(unitsOf(plan, 1, 2).length).toBeGreaterThan(0);
      },
    };
    const progress = () => ({ addTotal() {}, advance() {}, document: () => void written++, stop() {} });
    const overlapped = await runRecipe(corpus.recipe, { outDir: join(root, 'staged'), log: silentLogger, now: NOW, executor: staged, progress });
    const plain = await runRecipe(corpus.recipe, { outDir: join(root, 'plain'), log: silentLogger, now: NOW });
    expect(writtenBeforeRank1).toBeGreaterThan(0);
    expect(await releaseDigest(overlapped.releaseDir)).toEqual(await releaseDigest(plain.releaseDir));
  });

  it('fails the run with the tasks’ error, publishing nothing', async () => {
    const failing: Executor = {
      name: 'failing',
      async runTasks() {
        throw new Error('task 3 ran out of memory');
      },
    };
    await expect(runRecipe(corpus.recipe, { outDir: join(root, 'failed'), log: silentLogger, now: NOW, executor: failing })).rejects.toThrow('task 3 ran out of memory');
    expect(existsSync(join(root, 'failed', 'merge-test', '1.0.0'))).toBe(false);
  });
});

describe('unit arrivals', () => {
  it('let a wait for a finished unit through after the tasks ended, and fail a wait for one never finished', async () => {
    const a = new UnitArrivals();
    a.arrived('u0');
    const pending = a.wait('u1');
    a.end(new Error('the tasks ended without finishing every unit'));
    await expect(a.wait('u0')).resolves.toBeUndefined();
    await expect(pending).rejects.toThrow('without finishing');
  });
});
