import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { Logger } from '../pipeline/log.js';
import type { Executor, ExecHooks } from './executor.js';
import { unitsOf, type Plan } from './plan.js';
import { finishedUnit } from './unit-store.js';
import { unitDedupJob } from './merge.js';
import { keyName, partName } from '../dedup/params.js';

const exec = promisify(execFile);

export const SlurmOptions = z
  .object({
    tasks: z.number().int().min(1).max(100_000).default(4).describe('array tasks of the per-document stage'),
    partition: z.string().min(1).optional(),
    account: z.string().min(1).optional(),
    time: z.string().regex(/^[0-9:-]+$/, 'a Slurm time such as 2:00:00 or 1-00:00:00').optional(),
    mem: z.string().regex(/^\d+[KMGT]?$/, 'a Slurm size such as 4G').optional(),
    cpus: z.number().int().min(1).optional().describe('--cpus-per-task'),
    retries: z.number().int().min(0).max(20).default(2).describe('resubmissions of failed array tasks'),
    poll_ms: z.number().int().min(50).default(2000).describe('how often squeue is asked'),
  })
  .strict();
export type SlurmOptions = z.input<typeof SlurmOptions>;
type Options = z.output<typeof SlurmOptions>;

/** Whether this machine can submit jobs: `sinfo` answers and some node is up. */
export async function slurmAvailable(): Promise<boolean> {
  try {
    const { stdout } = await exec('sinfo', ['-h', '-o', '%T'], { timeout: 5000 });
    return /\b(idle|mixed|allocated|completing)\b/.test(stdout);
  } catch {
    return false;
  }
}

/**
 * The villers command line the jobs run: the built `dist/cli/main.js` beside this module, or the
 * checkout's `dist/` when this module runs from its TypeScript source (tests).
 */
export function cliEntryPoint(): string {
  const here = fileURLToPath(import.meta.url);
  const entry = here.endsWith('.js') ? resolve(dirname(here), '..', 'cli', 'main.js') : resolve(dirname(here), '..', '..', 'dist', 'cli', 'main.js');
  if (!existsSync(entry)) throw new Error(`Slurm jobs run the built command line (${entry} is missing): run "npm run build"`);
  return entry;
}

export interface JobScript {
  name: string;
  /** The command each array task runs; rank from SLURM_ARRAY_TASK_ID. */
  command: string[];
  logDir: string;
}

const quote = (s: string) => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** An sbatch script: the resources as #SBATCH lines; the array and dependencies come at submission. */
export function sbatchScript(job: JobScript, options: Options): string {
  const lines = ['#!/bin/bash', `#SBATCH --job-name=${job.name}`, `#SBATCH --output=${join(job.logDir, `${job.name}-%A_%a.log`)}`];
  if (options.partition) lines.push(`#SBATCH --partition=${options.partition}`);
  if (options.account) lines.push(`#SBATCH --account=${options.account}`);
  if (options.time) lines.push(`#SBATCH --time=${options.time}`);
  if (options.mem) lines.push(`#SBATCH --mem=${options.mem}`);
  if (options.cpus) lines.push(`#SBATCH --cpus-per-task=${options.cpus}`);
  lines.push('set -euo pipefail', `exec ${job.command.map(quote).join(' ')}`, '');
  return lines.join('\n');
}

export async function writeScript(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, text);
  await chmod(file, 0o755);
}

/** Submits a script as a job array over `ranks`; returns the job id. */
export async function sbatch(script: string, ranks: number[], dependency?: string): Promise<string> {
  const args = ['--parsable', `--array=${compressRanks(ranks)}`];
  if (dependency) args.push(`--dependency=${dependency}`, '--kill-on-invalid-dep=no');
  const { stdout } = await exec('sbatch', [...args, script]);
  const id = stdout.trim().split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new Error(`sbatch answered "${stdout.trim()}"`);
  return id;
}

/** `0-3`, or `1,3,5-7`: the array spec of some ranks. */
export function compressRanks(ranks: number[]): string {
  const sorted = [...new Set(ranks)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The states of a job's array tasks still known to squeue (pending, running, completing). */
export async function queueStates(jobId: string): Promise<string[]> {
  try {
    const { stdout } = await exec('squeue', ['-h', '-j', jobId, '-o', '%T']);
    return stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  } catch (e) {
    // A job purged from the controller's memory is an invalid id: it is no longer queued.
    if (/Invalid job id/i.test(String((e as { stderr?: string }).stderr ?? ''))) return [];
    throw e;
  }
}

/** Job states from `scontrol show job` (COMPLETED, FAILED, ...), by array task id. */
export async function jobStates(jobId: string): Promise<Map<number, string>> {
  const states = new Map<number, string>();
  try {
    const { stdout } = await exec('scontrol', ['show', 'job', '-o', jobId]);
    for (const line of stdout.split('\n')) {
      const task = /ArrayTaskId=(\d+)/.exec(line);
      const state = /JobState=(\S+)/.exec(line);
      if (state) states.set(task ? Number(task[1]) : 0, state[1]!);
    }
  } catch {
    // Finished jobs are forgotten after MinJobAge: no states then.
  }
  return states;
}

export async function waitForJob(jobId: string, pollMs: number, onPoll?: (states: string[]) => void | Promise<void>, signal?: AbortSignal): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const states = await queueStates(jobId);
    await onPoll?.(states);
    if (states.length === 0) return;
    await sleep(pollMs, undefined, { signal });
  }
}

export interface ArrayStage {
  name: string;
  script: string;
  world: number;
  /** Whether a rank's work is all there (its completion markers): the truth, whatever Slurm says. */
  rankDone(rank: number): Promise<boolean>;
  /** Jobs waiting on this stage with afterok; they are pointed at each resubmission. */
  dependents: string[];
}

/**
 * Follows an array job to its end, then resubmits the ranks whose work is missing (a failed,
 * cancelled or timed-out task) up to `retries` times, pointing the dependent jobs' afterok at
 * each new submission. Resolves when every rank is done.
 */
export async function followArray(stage: ArrayStage, firstJob: string, options: Pick<Options, 'retries' | 'poll_ms'>, log: Logger, signal?: AbortSignal): Promise<string[]> {
  const jobs = [firstJob];
  for (let attempt = 0; ; attempt++) {
    const job = jobs.at(-1)!;
    await waitForJob(job, options.poll_ms, (states) => log.event('slurm', { stage: stage.name, job, queued: states.length }), signal);
    const missing: number[] = [];
    for (let r = 0; r < stage.world; r++) if (!(await stage.rankDone(r))) missing.push(r);
    if (missing.length === 0) return jobs;
    const states = await jobStates(job);
    const why = missing.map((r) => `${r}:${states.get(r) ?? 'unknown'}`).join(' ');
    if (attempt >= options.retries) {
      throw new Error(`Slurm stage ${stage.name}: ranks ${compressRanks(missing)} failed after ${attempt + 1} attempts (${why}); see the logs of job ${job}`);
    }
    log.warn(`Slurm stage ${stage.name}: resubmitting ranks ${compressRanks(missing)} (${why})`, { attempt: attempt + 1 });
    const next = await sbatch(stage.script, missing);
    jobs.push(next);
    for (const dependent of stage.dependents) {
      await exec('scontrol', ['update', `JobId=${dependent}`, `Dependency=afterok:${next}`]);
    }
  }
}

/**
 * Slurm: one `sbatch --array` script per stage, written under `<work>/slurm/`: the per-document
 * stage over `tasks` ranks; when the merge starts with a dedup barrier, its signature step (over
 * the units) and bucket step (over the band keys) as array stages of their own; then the merge
 * (one task, which clusters and writes), each stage with an afterok dependency on the one before. The
 * coordinator submits both, follows them with squeue/scontrol, resubmits failed array tasks and
 * reads the merge's result. Every job runs `villers task` on the shared work folder.
 */
export function slurmExecutor(input: SlurmOptions = {}): Executor {
  const options = SlurmOptions.parse(input);
  let mergeJob: string | null = null;
  let submitted: string[] = [];
  const cancelAll = async () => {
    const ids = [...submitted, ...(mergeJob ? [mergeJob] : [])];
    if (ids.length > 0) await exec('scancel', ids).catch(() => {});
  };
  return {
    name: 'slurm',
    async runTasks(plan, hooks) {
      const world = Math.max(1, Math.min(options.tasks, plan.units.length));
      const entry = cliEntryPoint();
      const dir = join(plan.work_dir, 'slurm');
      const logDir = join(dir, 'logs');
      await mkdir(logDir, { recursive: true });
      const processScript = join(dir, 'process.sbatch');
      const mergeScript = join(dir, 'merge.sbatch');
      const base = [process.execPath, entry, 'task', plan.work_dir];
      await writeScript(processScript, sbatchScript({ name: 'villers-process', command: [...base, '--world', String(world)], logDir }, options));
      await writeScript(mergeScript, sbatchScript({ name: 'villers-merge', command: [...base, '--merge'], logDir }, options));
      await rm(resultPath(plan), { force: true });

      const ranks = (n: number) => Array.from({ length: n }, (_, r) => r);
      const first = await sbatch(processScript, ranks(world));
      submitted = [first];
      // A dedup barrier first in the merge: its signatures (per unit) and buckets (per band key)
      // become array stages of their own between the tasks and the merge, each afterok the one before.
      const dedup = await unitDedupJob(plan);
      const stages: { stage: ArrayStage; job: string }[] = [];
      hooks.progress.addTotal(plan.units.reduce((a, u) => a + u.bytes, 0));
      const counted = new Set<string>();
      const track = async () => {
        for (const u of plan.units) {
          if (!counted.has(u.key) && (await finishedUnit(plan.work_dir, u))) {
            counted.add(u.key);
            hooks.progress.advance(u.bytes);
          }
        }
      };
      const processStage: ArrayStage = {
        name: 'process',
        script: processScript,
        world,
        dependents: [],
        async rankDone(rank) {
          await track();
          for (const u of unitsOf(plan, rank, world)) if (!(await finishedUnit(plan.work_dir, u))) return false;
          return true;
        },
      };
      stages.push({ stage: processStage, job: first });
      if (dedup) {
        const steps = [
          { step: 'signatures', world: Math.max(1, Math.min(options.tasks, dedup.plan.partitions.length)), done: (i: number) => join(dedup.workDir, 'sig', partName(i), 'done.json'), count: dedup.plan.partitions.length },
          { step: 'buckets', world: Math.max(1, Math.min(options.tasks, dedup.plan.keys)), done: (i: number) => join(dedup.workDir, 'pairs', `${keyName(i)}.done`), count: dedup.plan.keys },
        ];
        for (const st of steps) {
          const script = join(dir, `dedup-${st.step}.sbatch`);
          await writeScript(script, sbatchScript({ name: `villers-${dedup.stage}-${st.step}`, command: [...base, '--dedup-step', st.step, '--world', String(st.world)], logDir }, options));
          const previous = stages.at(-1)!;
          const job = await sbatch(script, ranks(st.world), `afterok:${previous.job}`);
          previous.stage.dependents.push(job);
          submitted.push(job);
          stages.push({
            job,
            stage: {
              name: `${dedup.stage}.${st.step}`,
              script,
              world: st.world,
              dependents: [],
              async rankDone(rank) {
                for (let i = rank; i < st.count; i += st.world) if (!existsSync(st.done(i))) return false;
                return true;
              },
            },
          });
        }
      }
      mergeJob = await sbatch(mergeScript, [0], `afterok:${stages.at(-1)!.job}`);
      stages.at(-1)!.stage.dependents.push(mergeJob);
      hooks.log.info(`submitted Slurm jobs ${stages.map((s) => `${s.job} (${s.stage.name}, ${s.stage.world} array tasks)`).join(', ')} and merge job ${mergeJob}`, { work_dir: plan.work_dir });
      try {
        for (const { stage, job } of stages) submitted.push(...(await followArray(stage, job, options, hooks.log, hooks.signal)).slice(1));
      } catch (e) {
        await cancelAll();
        throw e;
      }
    },
    async runMerge(plan, hooks) {
      const job = mergeJob!;
      try {
        await waitForJob(job, options.poll_ms, (states) => hooks.log.event('slurm', { stage: 'merge', job, queued: states.length }), hooks.signal);
      } catch (e) {
        await cancelAll();
        throw e;
      }
      const file = resultPath(plan);
      if (!existsSync(file)) {
        const states = await jobStates(job);
        const logs = (await readdir(join(plan.work_dir, 'slurm', 'logs')).catch(() => [] as string[])).filter((n) => n.includes(`-${job}_`));
        const tail = logs[0] ? (await readFile(join(plan.work_dir, 'slurm', 'logs', logs[0]), 'utf8')).trim().split('\n').slice(-5).join(' | ') : '';
        throw new Error(`Slurm merge job ${job} ended ${states.get(0) ?? ''} without a result${tail ? `: ${tail}` : ''}`);
      }
      const result = JSON.parse(await readFile(file, 'utf8')) as { ok: boolean; error?: string; result?: unknown };
      if (!result.ok) throw new Error(`Slurm merge job ${job} failed: ${result.error}`);
      return result.result;
    },
  };
}

export const resultPath = (plan: Plan) => join(plan.work_dir, 'result.json');
