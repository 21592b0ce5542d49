import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { prepareDedup, type BarrierOptions, type PreparedDedup } from '../dedup/barrier.js';
import { loadPlan, type RunPlan } from '../dedup/params.js';
import { stageDefinition } from '../pipeline/stages.js';
import { loadTakedowns, type Takedowns } from '../release/takedowns.js';
import { splitStages } from './plan.js';
import { loadPlannedRecipe } from './task.js';
import type { Doc } from '../pipeline/doc.js';
import type { RejectRecord, RejectsWriter } from '../pipeline/rejects.js';
import type { Stats } from '../pipeline/stats.js';
import { decodeDoc } from './doc-codec.js';
import type { Plan } from './plan.js';
import { finishedUnit, gzipLines, unitDir, unitRejectStages, type UnitMarker } from './unit-store.js';

/** Every unit's marker, in plan order; fails naming the units no task has finished. */
export async function unitMarkers(plan: Plan): Promise<UnitMarker[]> {
  const markers = await Promise.all(plan.units.map((u) => finishedUnit(plan.work_dir, u)));
  const missing = plan.units.filter((_, i) => markers[i] === null);
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((u) => `${u.source_id}:${u.unit ?? '*'}`).join(', ');
    throw new Error(`${missing.length} of ${plan.units.length} units are not finished (${names}${missing.length > 5 ? ', …' : ''}); relaunch the run to finish them`);
  }
  return markers as UnitMarker[];
}

/**
 * Waits for units a running executor is finishing, so that the merge can read each one as soon as
 * it is done (in plan order) instead of after the last: reading the early units (or, before a dedup
 * barrier, signing them) then overlaps the tasks still running.
 */
export class UnitArrivals {
  private readonly waiting = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private readonly done = new Set<string>();
  private failure: unknown = null;
  private ended = false;
  /** When the tasks ended (performance.now()), once they have. */
  endedAt: number | undefined;

  private entry(key: string) {
    let e = this.waiting.get(key);
    if (!e) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      e = { promise, resolve };
      this.waiting.set(key, e);
    }
    return e;
  }

  /** A unit is finished (run now, or found finished by an earlier attempt). */
  arrived(key: string): void {
    this.done.add(key);
    this.entry(key).resolve();
  }

  /** The tasks ended (failed, or done without a unit): every wait for a unit not finished ends with `error`. */
  end(error: unknown): void {
    this.endedAt ??= performance.now();
    this.ended = true;
    this.failure = error;
    for (const e of this.waiting.values()) e.resolve();
  }

  async wait(key: string): Promise<void> {
    if (!this.ended) await this.entry(key).promise;
    if (!this.done.has(key)) throw this.failure;
  }
}

/**
 * The merge's input: for each unit in plan order (the order a single process would have read them
 * in, so the release does not depend on how many tasks ran), its task stats added into `stats`,
 * its rejects copied into `rejects` record for record, then its documents. With `arrivals`, a unit
 * is read once its task finished it; without, every unit must be finished already. Units of
 * sources outside `liveSources` (taken down since) are left out whole.
 */
export async function* readUnits(plan: Plan, stats: Stats, rejects: RejectsWriter, liveSources?: Set<string>, arrivals?: UnitArrivals): AsyncIterable<Doc> {
  if (!arrivals) await unitMarkers(plan);
  const units = plan.units.filter((u) => !liveSources || liveSources.has(u.source_id));
  for (const unit of units) {
    if (arrivals) await arrivals.wait(unit.key);
    const marker = await finishedUnit(plan.work_dir, unit);
    if (!marker) throw new Error(`unit ${unit.source_id}:${unit.unit ?? '*'} was reported finished but has no completion marker`);
    stats.merge(marker.stats);
    for (const stage of await unitRejectStages(plan.work_dir, unit.key)) {
      for await (const line of gzipLines(join(unitDir(plan.work_dir, unit.key), 'rejects', `${stage}.jsonl.gz`))) {
        const record = JSON.parse(line) as RejectRecord;
        const { raw_base64, ...rest } = record.doc;
        const doc = (raw_base64 === undefined ? rest : { ...rest, raw: Buffer.from(raw_base64, 'base64') }) as Doc;
        rejects.write(record.stage, record.reason, doc, record.detail);
        const behind = rejects.drained();
        if (behind) await behind;
      }
    }
    for await (const line of gzipLines(join(unitDir(plan.work_dir, unit.key), 'docs.jsonl.gz'))) yield decodeDoc(line);
  }
}

/** The live units' document files, in plan order: the input partitions of the run's dedup steps. */
export function unitDedupInputs(plan: Plan, liveSources: Set<string>): { units: Plan['units']; inputs: string[] } {
  const units = plan.units.filter((u) => liveSources.has(u.source_id));
  return { units, inputs: units.map((u) => join(unitDir(plan.work_dir, u.key), 'docs.jsonl.gz')) };
}

/**
 * Where a run keeps a dedup stage's steps: named by the run, its units' fingerprints and the
 * stage's options, so that a refresh with changed units never reuses another run's signatures,
 * while the Slurm jobs of one run (and a relaunched merge) find the same folder.
 */
export function unitDedupDir(plan: Plan, units: Plan['units'], spec: Record<string, unknown>): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([plan.run_id, units.map((u) => [u.key, u.fingerprint]), spec]))
    .digest('hex')
    .slice(0, 16);
  return join(plan.work_dir, 'dedup', `${String(spec.stage)}-${digest}`);
}

/** Starts a barrier stage's dedup steps on the run's units, each signed once it is finished. */
export function prepareUnitDedup(plan: Plan, liveSources: Set<string>, spec: Record<string, unknown>, barrier: BarrierOptions, arrivals?: UnitArrivals): PreparedDedup {
  const { units, inputs } = unitDedupInputs(plan, liveSources);
  return prepareDedup(inputs, unitDedupDir(plan, units, spec), barrier, arrivals ? (p) => arrivals.wait(units[p]!.key) : undefined);
}

/** Where the merge's first stage, a dedup barrier, keeps its steps on the units; null when it is none. */
export interface UnitDedupJob {
  stage: string;
  inputs: string[];
  workDir: string;
  params: BarrierOptions['params'];
  plan: RunPlan;
}

/**
 * The dedup steps a scheduler can run as jobs of their own between the tasks and the merge
 * (signatures per unit, buckets per band key), exactly where the merge will look for them.
 */
export async function unitDedupJob(plan: Plan): Promise<UnitDedupJob | null> {
  const loaded = await loadPlannedRecipe(plan);
  const first = mergeBarrier(loaded.recipe.stages);
  if (!first) return null;
  const takedowns = await loadTakedowns(plan.recipe_file, loaded.recipe.dataset, loaded.recipe.takedowns, join(plan.out_dir, loaded.recipe.dataset));
  const { units, inputs } = unitDedupInputs(plan, liveSourceIds(loaded.sources, takedowns));
  const workDir = unitDedupDir(plan, units, first.spec);
  return { stage: first.name, inputs, workDir, params: first.barrier.params, plan: loadPlan(inputs, workDir, first.barrier.params) };
}

/** The merge's first stage when it is a dedup barrier (whose steps can run on the units), else null. */
export function mergeBarrier(stages: Record<string, unknown>[]): { spec: Record<string, unknown>; name: string; barrier: BarrierOptions } | null {
  const spec = splitStages(stages).merge[0];
  if (!spec) return null;
  const def = stageDefinition(spec.stage as string);
  const barrier = def.barrier?.(def.options.parse(spec)) ?? null;
  return barrier ? { spec, name: def.name, barrier } : null;
}

/** The sources the merge reads: all but those taken down. */
export function liveSourceIds(sources: { source: { id: string } }[], takedowns: Takedowns): Set<string> {
  return new Set(sources.filter(({ source }) => !takedowns.source(source.id)).map(({ source }) => source.id));
}
