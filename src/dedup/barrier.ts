import { rmSync } from 'node:fs';
import type { Doc } from '../pipeline/doc.js';
import type { RunContext } from '../pipeline/context.js';
import { runDedupLocal, type DedupSummary } from './local.js';
import { loadPlan, partName, type DedupParamsInput } from './params.js';
import { readLines } from './partitions.js';
import { joinPartition, type ClusterLine } from './steps.js';
import { DocSpill, restoreDoc } from './spill.js';
import { updateReleaseIndex } from './release-index.js';

export interface BarrierOptions {
  stage: string;
  params: DedupParamsInput & { partition_bytes: number };
  workers: number;
  tempRoot?: string;
  /** After the run, write (index + kept documents) here. */
  updateIndex?: string;
}

/** The document kept (with its cluster size), or null once rejected as a duplicate. */
function decide(doc: Doc, cluster: ClusterLine, ctx: RunContext, stage: string): Doc | null {
  if (cluster.keep) {
    doc.minhash_cluster_size = cluster.size;
    return doc;
  }
  const reason = cluster.published ? 'published_duplicate' : 'duplicate';
  ctx.reject(doc, stage, `${stage}.${reason}`, { duplicate_of: cluster.cluster, cluster_size: cluster.size });
  return null;
}

/**
 * Runs the four dedup steps inside a pipeline: every document is spilled to disk first (the
 * stage is a barrier), then the kept ones are emitted in input order with `minhash_cluster_size`,
 * and the others rejected as `<stage>.duplicate` or `<stage>.published_duplicate`.
 */
export async function* dedupThroughDisk(docs: AsyncIterable<Doc>, ctx: RunContext, options: BarrierOptions): AsyncIterable<Doc> {
  const spill = new DocSpill(options.params.partition_bytes, options.tempRoot);
  try {
    for await (const doc of docs) spill.write(doc);
    const inputs = spill.finish();
    if (inputs.length === 0) return;
    const workDir = `${spill.dir}/work`;
    const summary = await runDedupLocal(inputs, workDir, options.params, { workers: options.workers });
    ctx.log.info(`${options.stage}: ${summary.documents} documents, ${summary.dropped} duplicates`, { partitions: summary.partitions });
    if (options.updateIndex) updateReleaseIndex(inputs, workDir, options.updateIndex);
    const plan = loadPlan(inputs, workDir);
    for (let p = 0; p < plan.partitions.length; p++) {
      for (const { record, cluster } of joinPartition(plan, workDir, p)) {
        const doc = decide(restoreDoc(record), cluster, ctx, options.stage);
        if (doc) yield doc;
      }
    }
  } finally {
    spill.finish();
    rmSync(spill.dir, { recursive: true, force: true });
  }
}

/**
 * The dedup steps of a barrier stage over inputs that are already on disk: a run's units, in plan
 * order, one partition each, so nothing is spilled again. `partitionReady(p)` holds the signatures
 * of partition p until its unit is finished, so signing overlaps the tasks still running.
 */
export interface PreparedDedup {
  inputs: string[];
  workDir: string;
  /** Every input partition exists (the run's tasks are done with them). */
  inputsReady: Promise<void>;
  ready: Promise<DedupSummary>;
}

export function prepareDedup(inputs: string[], workDir: string, options: BarrierOptions, partitionReady?: (p: number) => Promise<void>): PreparedDedup {
  if (!partitionReady) {
    // Every unit is there already (a merge after the tasks): sign them all on worker threads.
    const ready = runDedupLocal(inputs, workDir, options.params, { workers: options.workers });
    ready.catch(() => {});
    return { inputs, workDir, inputsReady: Promise.resolve(), ready };
  }
  let allReady!: () => void;
  const inputsReady = new Promise<void>((resolve) => (allReady = resolve));
  const last = inputs.length - 1;
  const ready = runDedupLocal(inputs, workDir, options.params, {
    workers: options.workers,
    partitionReady: async (p) => {
      await partitionReady(p);
      if (p === last) allReady();
    },
  }).finally(allReady);
  // The stage awaits it; a run failing before the stage starts must not leave it unhandled.
  ready.catch(() => {});
  return { inputs, workDir, inputsReady, ready };
}

/**
 * The barrier stage when its steps were prepared on the run's units: `docs` are the same units read
 * in the same order, so each document meets its cluster line, and is kept or rejected as
 * `dedupThroughDisk` would.
 */
export async function* dedupPrepared(docs: AsyncIterable<Doc>, ctx: RunContext, options: BarrierOptions, prepared: PreparedDedup): AsyncIterable<Doc> {
  // Waiting for the tasks to finish the units is not this stage's time.
  const t0 = performance.now();
  await prepared.inputsReady;
  ctx.stats.stage(options.stage).ms -= performance.now() - t0;
  const summary = await prepared.ready;
  ctx.log.info(`${options.stage}: ${summary.documents} documents, ${summary.dropped} duplicates`, { partitions: summary.partitions });
  if (options.updateIndex) updateReleaseIndex(prepared.inputs, prepared.workDir, options.updateIndex);
  const plan = loadPlan(prepared.inputs, prepared.workDir);
  function* clusterLines(): Generator<string> {
    for (let p = 0; p < plan.partitions.length; p++) yield* readLines({ file: `${prepared.workDir}/clusters/${partName(p)}.jsonl`, start: 0, end: Number.MAX_SAFE_INTEGER });
  }
  const clusters = clusterLines();
  for await (const doc of docs) {
    const next = clusters.next();
    if (next.done) throw new Error(`${options.stage}: the clusters end before the documents (at ${doc.id})`);
    const cluster = JSON.parse(next.value) as ClusterLine;
    if (cluster.id !== doc.id) throw new Error(`${options.stage}: the clusters do not match the documents (${cluster.id} vs ${doc.id})`);
    if (decide(doc, cluster, ctx, options.stage)) yield doc;
  }
  if (!clusters.next().done) throw new Error(`${options.stage}: more clusters than documents`);
}
