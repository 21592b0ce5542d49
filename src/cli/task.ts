import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { STEPS } from '../dedup/steps.js';
import { unitDedupJob } from '../exec/merge.js';
import { createLogger } from '../pipeline/log.js';
import { mergeRun } from '../pipeline/run.js';
import { readPlan } from '../exec/plan.js';
import { resultPath } from '../exec/slurm.js';
import { runTask, taskFromEnv } from '../exec/task.js';
import { replaceFile } from '../storage/replace-file.js';

export const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
};

/** The entry point of one scheduled task (a Slurm array task, a Kubernetes Indexed Job pod). */
export function registerTask(program: Command): void {
  program
    .command('task')
    .description('run one task of a planned run (started by the Slurm executor or a Kubernetes Indexed Job)')
    .argument('<work-dir>', 'the run\'s work folder, holding plan.json')
    .option('--world <n>', 'number of tasks (default VILLERS_WORLD or SLURM_ARRAY_TASK_COUNT)', positiveInt)
    .option('--rank <r>', 'this task\'s rank (default VILLERS_RANK, SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX)')
    .option('--merge', 'run the merge instead: write the release from every finished unit')
    .addOption(new Option('--dedup-step <step>', "run one dedup step of the merge's barrier stage on the finished units instead").choices(['signatures', 'buckets']))
    .action(async (workDir: string, opts: { world?: number; rank?: string; merge?: boolean; dedupStep?: 'signatures' | 'buckets' }) => {
      const log = createLogger();
      if (opts.dedupStep) {
        const job = await unitDedupJob(await readPlan(workDir));
        if (!job) throw new Error("the recipe's merge does not start with a dedup barrier stage: there is no dedup step to run");
        const env = opts.rank === undefined ? process.env : { ...process.env, VILLERS_RANK: opts.rank };
        const task = taskFromEnv(env, opts.world);
        const report = await STEPS[opts.dedupStep](job.inputs, task.rank, task.world, job.workDir, job.params);
        log.info(`${job.stage} ${opts.dedupStep} ${task.rank} of ${task.world} finished`, { done: report.done, skipped: report.skipped });
        return;
      }
      if (opts.merge) {
        const plan = await readPlan(workDir);
        const file = resultPath(plan);
        let record: { ok: boolean; result?: unknown; error?: string };
        try {
          record = { ok: true, result: await mergeRun(plan, { outDir: plan.out_dir, log }) };
        } catch (e) {
          record = { ok: false, error: (e as Error).message };
        }
        await replaceFile(file, JSON.stringify(record) + '\n');
        if (!record.ok) throw new Error(record.error);
        log.info('merge finished', { status: (record.result as { status: string }).status });
        return;
      }
      const env = opts.rank === undefined ? process.env : { ...process.env, VILLERS_RANK: opts.rank };
      const task = taskFromEnv(env, opts.world);
      const report = await runTask(workDir, task, { log });
      log.info(`task ${task.rank} of ${task.world} finished`, { processed: report.processed, reused: report.reused });
    });
}
