import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { STEPS } from '../../src/dedup/steps.js';
import { loadPlan, partName, type DedupParamsInput } from '../../src/dedup/params.js';
import type { ClusterLine } from '../../src/dedup/steps.js';

export const tempDir = (prefix = 'villers-dedup-test-') => mkdtempSync(join(tmpdir(), prefix));

export function writeJsonl(file: string, records: unknown[]): string {
  writeFileSync(file, records.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return file;
}

/** Runs the four steps as `world` separate tasks each, the way an executor would. */
export async function runSteps(inputs: string[], workDir: string, options: DedupParamsInput, world = 1): Promise<ClusterLine[]> {
  for (const step of ['signatures', 'buckets', 'clusters', 'filter'] as const) {
    for (let rank = world - 1; rank >= 0; rank--) await STEPS[step](inputs, rank, world, workDir, options);
  }
  return readClusters(inputs, workDir);
}

export function readClusters(inputs: string[], workDir: string): ClusterLine[] {
  const plan = loadPlan(inputs, workDir);
  const out: ClusterLine[] = [];
  for (let p = 0; p < plan.partitions.length; p++) {
    const file = join(workDir, 'clusters', `${partName(p)}.jsonl`);
    if (!existsSync(file)) continue;
    for (const l of readFileSync(file, 'utf8').split('\n')) if (l) out.push(JSON.parse(l) as ClusterLine);
  }
  return out;
}

/** Groups of ids by cluster, each sorted, the list sorted: comparable across runs. */
export function groups(lines: ClusterLine[]): string[][] {
  const by = new Map<string, string[]>();
  for (const l of lines) by.set(l.cluster, [...(by.get(l.cluster) ?? []), l.id]);
  return [...by.values()].map((g) => g.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}
