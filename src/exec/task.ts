import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getConnector } from '../connectors/index.js';
import { createContext, type RunContext, type Task } from '../pipeline/context.js';
import { docBytes, type Doc } from '../pipeline/doc.js';
import { silentLogger, type Logger } from '../pipeline/log.js';
import { noProgress } from '../pipeline/progress.js';
import { loadRecipe, type LoadedRecipe, type LoadedSource } from '../pipeline/recipe.js';
import { RejectsWriter } from '../pipeline/rejects.js';
import { compose, type Stage } from '../pipeline/stage.js';
import { stageDefinition } from '../pipeline/stages.js';
import { Stats } from '../pipeline/stats.js';
import { encodeDoc } from './doc-codec.js';
import { readPlan, splitStages, unitsOf, type Plan, type PlanUnit } from './plan.js';
import { finishedUnit, UnitWriter } from './unit-store.js';
import { replaceFile } from '../storage/replace-file.js';

export interface TaskReport {
  run_id: string;
  rank: number;
  world: number;
  /** Units this task ran, and units it found finished by an earlier attempt. */
  processed: number;
  reused: number;
  stats: Record<string, import('../schema/manifest.js').StageStats>;
}

export interface TaskHooks {
  log?: Logger;
  /** Called after each unit of the task is finished (run now or found finished). */
  onUnit?: (unit: PlanUnit, reused: boolean) => void;
  signal?: AbortSignal;
}

/**
 * The rank and world of this process when a scheduler started it: Slurm job arrays set
 * SLURM_ARRAY_TASK_ID, Kubernetes Indexed Jobs JOB_COMPLETION_INDEX; VILLERS_RANK/WORLD override.
 */
export function taskFromEnv(env: NodeJS.ProcessEnv, fallbackWorld?: number): Task {
  const int = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v));
  const rank = int(env.VILLERS_RANK) ?? int(env.SLURM_ARRAY_TASK_ID) ?? int(env.JOB_COMPLETION_INDEX) ?? 0;
  const world = int(env.VILLERS_WORLD) ?? fallbackWorld ?? int(env.SLURM_ARRAY_TASK_COUNT) ?? 1;
  if (!Number.isInteger(rank) || !Number.isInteger(world) || world < 1 || rank < 0 || rank >= world) {
    throw new Error(`invalid task rank ${rank} of world ${world} (from VILLERS_RANK/SLURM_ARRAY_TASK_ID/JOB_COMPLETION_INDEX and --world)`);
  }
  return { rank, world };
}

/** Loads the recipe a plan was made from, refusing one that changed since. */
export async function loadPlannedRecipe(plan: Plan): Promise<LoadedRecipe> {
  const loaded = await loadRecipe(plan.recipe_file);
  if (loaded.sha256 !== plan.recipe_sha256) {
    throw new Error(`${plan.recipe_file} changed since the run was planned; start the run again with "villers run"`);
  }
  return loaded;
}

/**
 * One task: the per-document stages of the recipe over this rank's units, each unit written with
 * its rejects and stats and then marked finished. Finished units are skipped, so a relaunched task
 * redoes only what an interrupted one left.
 */
export async function runTask(workDir: string, task: Task, hooks: TaskHooks = {}): Promise<TaskReport> {
  const plan = await readPlan(workDir);
  const loaded = await loadPlannedRecipe(plan);
  const log = hooks.log ?? silentLogger;
  const mine = unitsOf(plan, task.rank, task.world);
  const report: TaskReport = { run_id: plan.run_id, ...task, processed: 0, reused: 0, stats: {} };
  const total = new Stats();
  let pipeline: Stage | null = null;
  for (const unit of mine) {
    hooks.signal?.throwIfAborted();
    const done = await finishedUnit(workDir, unit);
    if (done) {
      report.reused++;
      total.merge(done.stats);
      hooks.onUnit?.(unit, true);
      continue;
    }
    pipeline ??= await taskPipeline(loaded, task, log);
    const marker = await runUnit(plan, loaded, unit, pipeline, task, log, hooks.signal);
    report.processed++;
    total.merge(marker.stats);
    hooks.onUnit?.(unit, false);
  }
  report.stats = total.toJSON();
  await mkdir(join(workDir, 'tasks'), { recursive: true });
  const file = join(workDir, 'tasks', `rank-${task.rank}-of-${task.world}.json`);
  await replaceFile(file, JSON.stringify(report) + '\n');
  return report;
}

/** The reports of the tasks of the run planned last in a work folder (earlier runs' are ignored). */
export async function taskReports(workDir: string): Promise<TaskReport[]> {
  const plan = await readPlan(workDir);
  const dir = join(workDir, 'tasks');
  const names = await readdir(dir).catch(() => [] as string[]);
  const reports = await Promise.all(names.filter((n) => n.endsWith('.json')).map(async (n) => JSON.parse(await readFile(join(dir, n), 'utf8')) as TaskReport));
  return reports.filter((r) => r.run_id === plan.run_id).sort((a, b) => a.rank - b.rank);
}

async function taskPipeline(loaded: LoadedRecipe, task: Task, log: Logger): Promise<Stage> {
  const ctx = createContext({ stats: new Stats(), rejects: new RejectsWriter(''), log, progress: noProgress, task });
  const stages: { name: string; stage: Stage }[] = [];
  for (const spec of splitStages(loaded.recipe.stages).perTask) {
    const def = stageDefinition(spec.stage as string);
    stages.push({ name: def.name, stage: await def.create(def.options.parse(spec), ctx) });
  }
  return compose(stages);
}

async function runUnit(plan: Plan, loaded: LoadedRecipe, unit: PlanUnit, pipeline: Stage, task: Task, log: Logger, signal?: AbortSignal) {
  const out = await UnitWriter.open(plan.work_dir, unit);
  const stats = new Stats();
  const rejects = new RejectsWriter(out.rejectsDir);
  const ctx = createContext({ stats, rejects, log, progress: noProgress, signal, task });
  const source = loaded.sources[unit.source]!;
  try {
    for await (const doc of pipeline(readUnit(source, unit, ctx, rejects), ctx)) await out.write(encodeDoc(doc));
    await rejects.close();
    return await out.commit({ rank: task.rank, world: task.world, stats: stats.toJSON() });
  } catch (e) {
    await rejects.close().catch(() => {});
    await out.abandon();
    throw e;
  }
}

/** One unit's documents, with the source's declared licence where a record has none. */
async function* readUnit(loaded: LoadedSource, unit: PlanUnit, ctx: RunContext, rejects: RejectsWriter): AsyncIterable<Doc> {
  const { source, baseDir, connectorOptions, displayPath } = loaded;
  const connector = getConnector(source.connector);
  const s = ctx.stats.stage(connector.name);
  const input = unit.unit === null ? { source, baseDir } : { source, baseDir, unit: unit.unit };
  const it = connector.read(connectorOptions, input, ctx)[Symbol.asyncIterator]();
  for (;;) {
    const t0 = performance.now();
    const r = await it.next();
    s.ms += performance.now() - t0;
    if (r.done) break;
    const doc = r.value;
    if (!doc.license && source.license) {
      doc.license = source.license;
      doc.license_evidence = source.license_evidence ?? `declared in ${displayPath}`;
    }
    doc.attribution ??= source.attribution ?? null;
    s.out++;
    s.bytes_out += docBytes(doc);
    const behind = rejects.drained();
    if (behind) await behind;
    yield doc;
  }
  s.in = s.out + Object.values(s.rejected).reduce((a, b) => a + b, 0);
}
