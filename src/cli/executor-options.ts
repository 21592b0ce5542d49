import { Option, type Command } from 'commander';
import { positiveInt } from './task.js';

/** The executor options that `villers run` and `villers refresh` share (read by exec/flags.ts). */
export function addExecutorOptions(command: Command): Command {
  return command
    .addOption(new Option('--executor <name>', 'where the tasks run').choices(['local', 'slurm']).default('local'))
    .option('--workers <n>', 'local: tasks at once, on worker threads (default 1)', positiveInt)
    .option('--tasks <n>', 'slurm: array tasks of the per-document stage (default 4)', positiveInt)
    .option('--partition <p>', 'slurm: partition')
    .option('--account <a>', 'slurm: account')
    .option('--time <t>', 'slurm: time limit per task, e.g. 2:00:00')
    .option('--mem <m>', 'slurm: memory per task, e.g. 4G')
    .option('--cpus <c>', 'slurm: CPUs per task', positiveInt)
    .option('--retries <n>', 'slurm: resubmissions of failed array tasks (default 2)', Number);
}
