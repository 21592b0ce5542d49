import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { keyCount, keyName, loadPlan, partName, type DedupParams } from './params.js';
import { readLines } from './partitions.js';
import { mergeRuns, RunReader, U32Writer } from './runs.js';

/**
 * The index of a published release: the sorted key files (LSH bands and exact hash) and the
 * document table of everything published so far. A later run given `index` drops documents that
 * duplicate one of them, and `updateReleaseIndex` adds a run's kept documents, so a refresh never
 * re-adds what an earlier release already holds.
 */
interface IndexHeader {
  index_version: 1;
  minhash: DedupParams['minhash'];
  near: boolean;
  exact: boolean;
  docs: number;
}

export interface ReleaseIndex {
  dir: string;
  docs: number;
}

export function readIndex(dir: string, params: DedupParams): ReleaseIndex {
  const file = join(dir, 'index.json');
  if (!existsSync(file)) throw new Error(`${file} not found: not a release index`);
  const h = JSON.parse(readFileSync(file, 'utf8')) as IndexHeader;
  if (JSON.stringify(h.minhash) !== JSON.stringify(params.minhash) || h.near !== params.near || h.exact !== params.exact) {
    throw new Error(`${file} was built with other MinHash options (${JSON.stringify(h.minhash)}); use the same options as the published release`);
  }
  return { dir, docs: h.docs };
}

/**
 * Writes the index of (previous index + documents this run kept) to `outDir`, replacing it
 * atomically. Runs after the clusters step; memory is one read block per partition.
 */
export function updateReleaseIndex(inputs: string[], workDir: string, outDir: string): { docs: number; added: number } {
  const plan = loadPlan(inputs, workDir);
  const { params } = plan;
  const old = params.index ? readIndex(params.index, params) : null;
  const m = old?.docs ?? 0;
  const starts: number[] = [];
  let total = 0;
  for (let p = 0; p < plan.partitions.length; p++) {
    starts.push(total);
    total += (JSON.parse(readFileSync(join(workDir, 'sig', partName(p), 'done.json'), 'utf8')) as { docs: number }).docs;
  }
  // New numbering: the old index's documents first, then this run's kept ones in input order.
  const renumber = new Int32Array(total + m).fill(-1);
  for (let i = 0; i < m; i++) renumber[total + i] = i;
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  let next = m;
  const docsFd = openSync(join(tmp, 'docs.jsonl'), 'w');
  if (old) for (const line of readLines({ file: join(old.dir, 'docs.jsonl'), start: 0, end: Number.MAX_SAFE_INTEGER })) if (line !== '') writeSync(docsFd, line + '\n');
  for (let p = 0; p < plan.partitions.length; p++) {
    const metas = readLines({ file: join(workDir, 'sig', partName(p), 'meta.jsonl'), start: 0, end: Number.MAX_SAFE_INTEGER });
    let g = starts[p]!;
    for (const line of readLines({ file: join(workDir, 'clusters', `${partName(p)}.jsonl`), start: 0, end: Number.MAX_SAFE_INTEGER })) {
      if (line === '') continue;
      let meta: string;
      do meta = metas.next().value as string;
      while (meta.startsWith('{'));
      if ((JSON.parse(line) as { keep: boolean }).keep) {
        renumber[g] = next++;
        writeSync(docsFd, meta + '\n');
      }
      g++;
    }
  }
  closeSync(docsFd);
  const { keys } = keyCount(params);
  for (let k = 0; k < keys; k++) {
    const readers = plan.partitions.map((_, p) => new RunReader(join(workDir, 'sig', partName(p), keyName(k)), starts[p]!));
    if (old) readers.push(new RunReader(join(old.dir, keyName(k)), total));
    const out = new U32Writer(join(tmp, keyName(k)));
    const mapped: number[] = [];
    mergeRuns(readers, (docs, count, hi, lo) => {
      mapped.length = 0;
      for (let i = 0; i < count; i++) {
        const d = renumber[docs[i]!]!;
        if (d >= 0) mapped.push(d);
      }
      mapped.sort((a, b) => a - b);
      for (const d of mapped) {
        out.push(hi);
        out.push(lo);
        out.push(d);
      }
    });
    out.close();
  }
  const header: IndexHeader = { index_version: 1, minhash: params.minhash, near: params.near, exact: params.exact, docs: next };
  writeFileSync(join(tmp, 'index.json'), JSON.stringify(header, null, 2) + '\n');
  if (existsSync(outDir)) {
    const previous = `${outDir}.old-${process.pid}`;
    renameSync(outDir, previous);
    renameSync(tmp, outDir);
    rmSync(previous, { recursive: true, force: true });
  } else renameSync(tmp, outDir);
  return { docs: next, added: next - m };
}
