import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { followArray, sbatch, slurmAvailable, slurmExecutor, waitForJob, writeScript } from '../../src/exec/slurm.js';
import { requireService } from '../helpers/samples.js';
import { writeCorpus, type Corpus } from './corpus.js';
import { releaseDigest } from './release-digest.js';

// Slurm runs here when scripts/slurm-up.sh has started it (.ci/run does).
const running = requireService('slurm (scripts/slurm-up.sh)', await slurmAvailable());
const NOW = new Date('2026-06-01T00:00:00Z');
let root: string;
let corpus: Corpus;
let local: RunResult;

describe.skipIf(!running)('the Slurm executor on a real single-node cluster', () => {
  beforeAll(async () => {
    // Jobs run on the cluster's node: the work folder must be on a path it sees (here, the same machine).
    root = await mkdtemp(join(tmpdir(), 'villers-slurm-'));
    corpus = await writeCorpus(root, { files: 8, docsPerFile: 60 });
    local = await runRecipe(corpus.recipe, { outDir: join(root, 'local'), log: silentLogger, now: NOW });
  }, 120_000);
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('runs a recipe as 4 array tasks, its dedup steps as array jobs and a merge job, and publishes the same release byte for byte as the local executor', async () => {
    const work = join(root, 'slurm-work');
    const result = await runRecipe(corpus.recipe, {
      outDir: join(root, 'slurm'),
      log: silentLogger,
      now: NOW,
      workDir: work,
      keepWork: true,
      executor: slurmExecutor({ tasks: 4, poll_ms: 200 }),
    });
    expect(result.status).toBe('published');
    expect((await readdir(join(work, 'tasks'))).sort()).toEqual([0, 1, 2, 3].map((r) => `rank-${r}-of-4.json`));
    const script = await readFile(join(work, 'slurm', 'process.sbatch'), 'utf8');
    expect(script).toContain('#SBATCH --job-name=villers-process');
    expect(existsSync(join(work, 'slurm', 'merge.sbatch'))).toBe(true);
    // dedup_exact's signatures and buckets ran as array jobs of their own, between the tasks and the merge.
    expect(await readFile(join(work, 'slurm', 'dedup-signatures.sbatch'), 'utf8')).toContain('--dedup-step signatures --world 4');
    const logs = await readdir(join(work, 'slurm', 'logs'));
    expect(logs.filter((n) => n.startsWith('villers-dedup_exact-signatures-')).length).toBe(4);
    expect(logs.filter((n) => n.startsWith('villers-dedup_exact-buckets-')).length).toBe(1);
    expect(result.manifest.stages).toEqual(expect.objectContaining({ files: expect.objectContaining({ out: local.manifest.stages.files!.out }) }));
    expect(await releaseDigest(result.releaseDir)).toEqual(await releaseDigest(local.releaseDir));
  }, 300_000);

  it('resubmits the array tasks that failed and points the afterok dependency of the next stage at the resubmission', async () => {
    const dir = join(root, 'retry');
    const script = join(dir, 'flaky.sbatch');
    // Rank 2 fails on its first attempt (a node dying, say): it leaves no done file.
    await writeScript(
      script,
      [
        '#!/bin/bash',
        `#SBATCH --output=${dir}/flaky-%A_%a.log`,
        `cd ${dir}`,
        'r=$SLURM_ARRAY_TASK_ID',
        'if [ "$r" = 2 ] && [ ! -e tried-2 ]; then touch tried-2; exit 1; fi',
        'touch done-$r',
        '',
      ].join('\n'),
    );
    const after = join(dir, 'after.sbatch');
    await writeScript(after, ['#!/bin/bash', `#SBATCH --output=${dir}/after-%A_%a.log`, `ls ${dir} | grep -c '^done-' > ${dir}/seen`, ''].join('\n'));
    const first = await sbatch(script, [0, 1, 2, 3]);
    const dependent = await sbatch(after, [0], `afterok:${first}`);
    const jobs = await followArray(
      { name: 'flaky', script, world: 4, dependents: [dependent], rankDone: async (r) => existsSync(join(dir, `done-${r}`)) },
      first,
      { retries: 2, poll_ms: 200 },
      silentLogger,
    );
    expect(jobs.length).toBe(2);
    await waitForJob(dependent, 200);
    expect((await readFile(join(dir, 'seen'), 'utf8')).trim(), 'the dependent job ran after all four ranks were done').toBe('4');
  }, 120_000);

  it('gives up with the failed ranks named once the retries are spent', async () => {
    const dir = join(root, 'broken');
    const script = join(dir, 'broken.sbatch');
    await writeScript(script, ['#!/bin/bash', `#SBATCH --output=${dir}/broken-%A_%a.log`, '[ "$SLURM_ARRAY_TASK_ID" != 1 ] || exit 3', `touch ${dir}/done-$SLURM_ARRAY_TASK_ID`, ''].join('\n'));
    const first = await sbatch(script, [0, 1]);
    await expect(
      followArray({ name: 'broken', script, world: 2, dependents: [], rankDone: async (r) => existsSync(join(dir, `done-${r}`)) }, first, { retries: 1, poll_ms: 200 }, silentLogger),
    ).rejects.toThrow(/ranks 1 failed after 2 attempts \(1:FAILED\)/);
  }, 120_000);
});
