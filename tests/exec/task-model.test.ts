import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { taskFromEnv } from '../../src/exec/task.js';
import { unitsOf, splitStages, type Plan } from '../../src/exec/plan.js';
import { compressRanks, sbatchScript } from '../../src/exec/slurm.js';
import { decodeDoc, encodeDoc } from '../../src/exec/doc-codec.js';
import { makeDoc } from '../../src/pipeline/doc.js';

const plan = (n: number): Plan => ({
  plan_version: 1,
  run_id: 'r',
  recipe_file: '/r.yaml',
  recipe_sha256: 'x',
  villers_version: '0',
  out_dir: '/o',
  work_dir: '/w',
  version: '1.0.0',
  created: '2026-01-01T00:00:00Z',
  units: Array.from({ length: n }, (_, i) => ({ key: `k${i}`, source: 0, source_id: 's', unit: `f${i}`, bytes: i, fingerprint: 'v' })),
});

describe('the task model', () => {
  it('gives every unit to exactly one task, whatever the number of tasks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 64 }), (n, world) => {
        const p = plan(n);
        const seen = Array.from({ length: world }, (_, r) => unitsOf(p, r, world)).flat().map((u) => u.key).sort();
        expect(seen).toEqual(p.units.map((u) => u.key).sort());
      }),
    );
  });

  it('refuses a rank outside the world', () => {
    expect(() => unitsOf(plan(3), 2, 2)).toThrow(/invalid task rank 2 of world 2/);
  });

  it('takes its rank from Slurm job arrays, Kubernetes Indexed Jobs, or VILLERS_RANK', () => {
    expect(taskFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' })).toEqual({ rank: 3, world: 4 });
    expect(taskFromEnv({ JOB_COMPLETION_INDEX: '5' }, 8)).toEqual({ rank: 5, world: 8 });
    expect(taskFromEnv({ VILLERS_RANK: '1', VILLERS_WORLD: '2', SLURM_ARRAY_TASK_ID: '7' })).toEqual({ rank: 1, world: 2 });
    expect(() => taskFromEnv({ JOB_COMPLETION_INDEX: '8' }, 8)).toThrow(/invalid task rank 8 of world 8/);
  });

  it('runs the per-document phases in the tasks and deduplication and what follows it in the merge', () => {
    const stages = [{ stage: 'extract' }, { stage: 'lang' }, { stage: 'dedup_exact' }, { stage: 'license' }];
    const { perTask, merge } = splitStages(stages);
    expect(perTask.map((s) => s.stage)).toEqual(['extract', 'lang']);
    expect(merge.map((s) => s.stage)).toEqual(['dedup_exact', 'license']);
  });

  it('carries a document between a task and the merge unchanged, raw bytes included', () => {
    const doc = makeDoc({ id: 'a', source: 's', text: 'é', date_retrieved: '2026-01-01T00:00:00Z', media_type: 'text/html', raw: new Uint8Array([0xe9, 0, 255]), metadata: { n: 1.5 } });
    const back = decodeDoc(encodeDoc(doc));
    expect({ ...back, raw: [...back.raw!] }).toEqual({ ...doc, raw: [...doc.raw!] });
  });
});

describe('Slurm scripts', () => {
  it('names array ranks compactly for sbatch --array', () => {
    expect(compressRanks([0, 1, 2, 3])).toBe('0-3');
    expect(compressRanks([5, 1, 3, 2, 7])).toBe('1-3,5,7');
  });

  it('puts the requested resources in #SBATCH lines and quotes the command', () => {
    const text = sbatchScript(
      { name: 'villers-process', command: ['/usr/bin/node', '/a b/main.js', 'task', '/w'], logDir: '/w/logs' },
      { tasks: 4, retries: 2, poll_ms: 1000, partition: 'cpu_p1', account: 'abc@cpu', time: '2:00:00', mem: '8G', cpus: 4 },
    );
    for (const l of ['--partition=cpu_p1', '--account=abc@cpu', '--time=2:00:00', '--mem=8G', '--cpus-per-task=4']) expect(text).toContain(`#SBATCH ${l}`);
    expect(text).toContain("exec /usr/bin/node '/a b/main.js' task /w");
  });
});
