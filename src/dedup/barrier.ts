import { rmSync } from 'node:fs';
import type { Doc } from '../pipeline/doc.js';
import type { RunContext } from '../pipeline/context.js';
import { runDedupLocal } from './local.js';
import { loadPlan, type DedupParamsInput } from './params.js';
import { joinPartition } from './steps.js';
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
        const doc = restoreDoc(record);
        if (cluster.keep) {
          doc.minhash_cluster_size = cluster.size;
          yield doc;
        } else {
          const reason = cluster.published ? 'published_duplicate' : 'duplicate';
          ctx.reject(doc, options.stage, `${options.stage}.${reason}`, { duplicate_of: cluster.cluster, cluster_size: cluster.size });
        }
      }
    }
  } finally {
    spill.finish();
    rmSync(spill.dir, { recursive: true, force: true });
  }
}
