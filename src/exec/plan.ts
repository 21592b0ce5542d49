import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { getConnector } from '../connectors/index.js';
import type { LoadedRecipe } from '../pipeline/recipe.js';
import { PHASES } from '../pipeline/stage.js';
import { stageDefinition } from '../pipeline/stages.js';
import { VERSION } from '../version.js';
import { replaceFile } from '../storage/replace-file.js';

/** One input partition of a run: a file of a source, or a whole source that cannot be split. */
export const PlanUnit = z.object({
  key: z.string(),
  source: z.number().int().min(0).describe('index of the source in the recipe'),
  source_id: z.string(),
  unit: z.string().nullable().describe('null: the whole source'),
  bytes: z.number().int().min(0),
  /** A unit's output is reused only when its marker carries the same fingerprint. */
  fingerprint: z.string(),
});
export type PlanUnit = z.infer<typeof PlanUnit>;

/**
 * What every task of a run reads first (`plan.json` in the work folder): the units in their one
 * global order, which is the order the merge writes them in whatever the number of tasks.
 */
export const Plan = z.object({
  plan_version: z.literal(1),
  run_id: z.string(),
  recipe_file: z.string(),
  recipe_sha256: z.string(),
  villers_version: z.string(),
  out_dir: z.string(),
  work_dir: z.string(),
  version: z.string().describe('the release version this run publishes'),
  created: z.string(),
  units: z.array(PlanUnit),
});
export type Plan = z.infer<typeof Plan>;

export interface PlanOptions {
  outDir: string;
  workDir?: string;
  version?: string;
  created: string;
  /** A new run id: units that cannot tell whether they changed (no version) are redone. */
  fresh?: boolean;
}

/** `<out>/.work/<dataset>-<recipe digest>`: a relaunch of the same recipe finds its finished units here. */
export function defaultWorkDir(outDir: string, loaded: LoadedRecipe): string {
  return join(resolve(outDir), '.work', `${loaded.recipe.dataset}-${loaded.sha256.slice(0, 12)}`);
}

export function planPath(workDir: string): string {
  return join(workDir, 'plan.json');
}

export async function readPlan(workDir: string): Promise<Plan> {
  const file = planPath(workDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new Error(`no run plan at ${file}: start the run with "villers run" first`);
  }
  return Plan.parse(JSON.parse(text));
}

/** Lists every source's units and writes `plan.json`; a previous plan's run id is kept (a resume). */
export async function planRun(loaded: LoadedRecipe, options: PlanOptions): Promise<Plan> {
  const workDir = resolve(options.workDir ?? defaultWorkDir(options.outDir, loaded));
  await mkdir(workDir, { recursive: true });
  let runId: string = randomUUID();
  if (!options.fresh && existsSync(planPath(workDir))) {
    const previous = await readPlan(workDir).catch(() => null);
    if (previous && previous.recipe_sha256 === loaded.sha256) runId = previous.run_id;
  }
  const units: PlanUnit[] = [];
  for (const [index, { source, baseDir, connectorOptions }] of loaded.sources.entries()) {
    const connector = getConnector(source.connector);
    const parts = connector.units ? await connector.units(connectorOptions, { source, baseDir }) : null;
    if (parts === null) {
      units.push({ key: unitKey(source.id, null), source: index, source_id: source.id, unit: null, bytes: 0, fingerprint: `run:${runId}` });
      continue;
    }
    for (const p of parts) {
      units.push({ key: unitKey(source.id, p.unit), source: index, source_id: source.id, unit: p.unit, bytes: p.bytes, fingerprint: p.version });
    }
  }
  const plan: Plan = {
    plan_version: 1,
    run_id: runId,
    recipe_file: resolve(loaded.file),
    recipe_sha256: loaded.sha256,
    villers_version: VERSION,
    out_dir: resolve(options.outDir),
    work_dir: workDir,
    version: options.version ?? loaded.recipe.version,
    created: options.created,
    units,
  };
  await replaceFile(planPath(workDir), JSON.stringify(plan, null, 2) + '\n');
  return plan;
}

function unitKey(sourceId: string, unit: string | null): string {
  const digest = createHash('sha256').update(`${sourceId}\0${unit ?? '*'}`).digest('hex').slice(0, 16);
  return `${sourceId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40)}-${digest}`;
}

/** The units of one task: every `world`-th one from `rank`, so tasks get similar shares of a folder. */
export function unitsOf(plan: Plan, rank: number, world: number): PlanUnit[] {
  if (!Number.isInteger(world) || world < 1 || !Number.isInteger(rank) || rank < 0 || rank >= world) {
    throw new Error(`invalid task rank ${rank} of world ${world}`);
  }
  return plan.units.filter((_, i) => i % world === rank);
}

/**
 * Where the recipe's stages split: stages of the phases before deduplication act on one document
 * at a time (the design's pure filters), so tasks run them on their units; deduplication needs
 * every document and the stages after it stay behind it, so they run in the merge, in unit order.
 */
export function splitStages<T extends Record<string, unknown>>(stages: T[]): { perTask: T[]; merge: T[] } {
  const barrier = PHASES.indexOf('dedup');
  const at = stages.findIndex((s) => PHASES.indexOf(stageDefinition(s.stage as string).phase) >= barrier);
  return at < 0 ? { perTask: stages, merge: [] } : { perTask: stages.slice(0, at), merge: stages.slice(at) };
}

/** Removes a finished run's work folder, and `<out>/.work` when nothing else is left in it. */
export async function removeWorkDir(workDir: string): Promise<void> {
  await rm(workDir, { recursive: true, force: true });
  await rmdir(dirname(workDir)).catch(() => {});
}
