import { existsSync, mkdirSync, readFileSync, createWriteStream, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import { foldForDedup } from '../text/fold.js';
import { bandKeys, MinHasher } from './minhash.js';
import { comparePriority, priorityKey, type PriorityKey } from './priority.js';
import { partitionsOf, readLines } from './partitions.js';
import { keyName, loadPlan, partName, type DedupParamsInput, type RunPlan } from './params.js';
import { mergeRuns, readPairs, RunReader, U32Writer, writeSortedRun } from './runs.js';
import { readIndex } from './release-index.js';
import { replaceFileSync } from '../storage/replace-file.js';

/**
 * The four steps of corpus-scale deduplication, each a plain function of (inputs, rank, world,
 * workDir) so that any executor can run them as separate tasks:
 *
 * 1. `signaturesStep`: per input partition, a MinHash signature per document, written as one sorted
 *    key file per LSH band (plus one for the exact hash) and a small document table;
 * 2. `bucketsStep`: per band, the partitions' sorted key files merged on disk; documents sharing a
 *    key become candidate pairs;
 * 3. `clustersStep`: one task: union-find over all pairs, one document kept per cluster by the
 *    priority rule, one `{id, cluster, size, keep}` line per document;
 * 4. `filterStep`: per partition, the kept documents written with `minhash_cluster_size`.
 *
 * Every step of a rank skips work whose completion marker exists, so a task can be rerun.
 */

export type StepFn = (inputs: string[], rank: number, world: number, workDir: string, options?: DedupParamsInput) => Promise<StepReport>;
export interface StepReport {
  step: string;
  done: number;
  skipped: number;
}

/** A document as the steps read it from a JSON line. */
export interface DedupRecord {
  id: string;
  text: string;
  license?: string | null;
  date_published?: string | null;
  [key: string]: unknown;
}

export type ParsedLine = { ok: true; record: DedupRecord } | { ok: false; reason: 'invalid_json' | 'missing_id' | 'missing_text' | 'not_an_object' };

/** Reads one input line; blank lines are not documents (null). */
export function parseLine(line: string): ParsedLine | null {
  if (line.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, reason: 'not_an_object' };
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'string' || r.id === '') return { ok: false, reason: 'missing_id' };
  if (typeof r.text !== 'string') return { ok: false, reason: 'missing_text' };
  return { ok: true, record: r as DedupRecord };
}

interface PartitionSummary {
  docs: number;
  malformed: Record<string, number>;
  blank_lines: number;
  no_words: number;
}

let hasher: Promise<{ h64: (s: string) => bigint }> | undefined;
const MASK32 = 0xffffffffn;


/** Step 1: signatures and sorted key files of the partitions of this rank. */
export const signaturesStep: StepFn = async (inputs, rank, world, workDir, options) => {
  const plan = loadPlan(inputs, workDir, options);
  const { h64 } = await (hasher ??= xxhash());
  const report: StepReport = { step: 'signatures', done: 0, skipped: 0 };
  const { minhash } = plan.params;
  const mh = plan.params.near ? new MinHasher(minhash) : null;
  const sig = new Uint32Array(minhash.bands * minhash.rows);
  const keys = new Uint32Array(minhash.bands * 2);
  for (const { item: part, index } of partitionsOf(plan.partitions, rank, world)) {
    const dir = join(workDir, 'sig', partName(index));
    if (existsSync(join(dir, 'done.json'))) {
      report.skipped++;
      continue;
    }
    mkdirSync(dir, { recursive: true });
    const summary: PartitionSummary = { docs: 0, malformed: {}, blank_lines: 0, no_words: 0 };
    const meta = openSync(join(dir, 'meta.jsonl'), 'w');
    let recs = Array.from({ length: plan.keys }, () => new Uint32Array(3 * 1024));
    const counts = new Uint32Array(plan.keys);
    let doc = 0;
    const push = (k: number, hi: number, lo: number) => {
      let r = recs[k]!;
      const c = counts[k]!;
      if (3 * c + 3 > r.length) {
        const grown = new Uint32Array(r.length * 2);
        grown.set(r);
        recs[k] = r = grown;
      }
      r[3 * c] = hi;
      r[3 * c + 1] = lo;
      r[3 * c + 2] = doc;
      counts[k] = c + 1;
    };
    let lineNo = 0;
    let metaBuf = '';
    for (const line of readLines(part)) {
      lineNo++;
      const parsed = parseLine(line);
      if (parsed === null) {
        summary.blank_lines++;
        continue;
      }
      if (!parsed.ok) {
        summary.malformed[parsed.reason] = (summary.malformed[parsed.reason] ?? 0) + 1;
        metaBuf += JSON.stringify({ malformed: parsed.reason, line: lineNo }) + '\n';
        continue;
      }
      const { record } = parsed;
      doc = summary.docs++;
      metaBuf += JSON.stringify([record.id, record.license ?? null, record.date_published ?? null]) + '\n';
      if (metaBuf.length > 1 << 16) {
        writeSync(meta, metaBuf);
        metaBuf = '';
      }
      if (mh) {
        if (mh.signature(record.text, sig) > 0) {
          bandKeys(sig, minhash.bands, minhash.rows, keys);
          for (let b = 0; b < minhash.bands; b++) push(b, keys[2 * b]!, keys[2 * b + 1]!);
        } else summary.no_words++;
      }
      if (plan.exactKey !== null) {
        const h = h64(foldForDedup(record.text));
        push(plan.exactKey, Number(h >> 32n), Number(h & MASK32));
      }
    }
    writeSync(meta, metaBuf);
    closeSync(meta);
    for (let k = 0; k < plan.keys; k++) writeSortedRun(join(dir, keyName(k)), recs[k]!, counts[k]!);
    recs = [];
    replaceFileSync(join(dir, 'done.json'), JSON.stringify(summary) + '\n');
    report.done++;
  }
  return report;
};

function partitionSummaries(plan: RunPlan, workDir: string): PartitionSummary[] {
  return plan.partitions.map((_, p) => {
    const file = join(workDir, 'sig', partName(p), 'done.json');
    if (!existsSync(file)) throw new Error(`signatures of partition ${p} are missing (${file}): run the signatures step first`);
    return JSON.parse(readFileSync(file, 'utf8')) as PartitionSummary;
  });
}

/** Where each partition's documents start in the global numbering; the index's come after all. */
function offsets(summaries: PartitionSummary[]): { offsets: number[]; total: number } {
  const out: number[] = [];
  let total = 0;
  for (const s of summaries) {
    out.push(total);
    total += s.docs;
  }
  return { offsets: out, total };
}

/** Step 2: per key file (band), candidate pairs (first document of a bucket, each other one). */
export const bucketsStep: StepFn = async (inputs, rank, world, workDir, options) => {
  const plan = loadPlan(inputs, workDir, options);
  const report: StepReport = { step: 'buckets', done: 0, skipped: 0 };
  const summaries = partitionSummaries(plan, workDir);
  const { offsets: starts, total } = offsets(summaries);
  const index = plan.params.index ? readIndex(plan.params.index, plan.params) : null;
  mkdirSync(join(workDir, 'pairs'), { recursive: true });
  const keys = Array.from({ length: plan.keys }, (_, k) => k);
  for (const { item: k } of partitionsOf(keys, rank, world)) {
    const done = join(workDir, 'pairs', `${keyName(k)}.done`);
    if (existsSync(done)) {
      report.skipped++;
      continue;
    }
    const readers = plan.partitions.map((_, p) => new RunReader(join(workDir, 'sig', partName(p), keyName(k)), starts[p]!));
    if (index) readers.push(new RunReader(join(index.dir, keyName(k)), total));
    const out = new U32Writer(join(workDir, 'pairs', `${keyName(k)}.pairs`));
    mergeRuns(readers, (docs, count) => {
      for (let i = 1; i < count; i++) {
        out.push(docs[0]!);
        out.push(docs[i]!);
      }
    });
    out.close();
    replaceFileSync(done, JSON.stringify({ pairs: out.written / 2 }) + '\n');
    report.done++;
  }
  return report;
};

function find(parent: Int32Array, x: number): number {
  while (parent[x]! !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
}

/** One line per document of the clusters files. `published` marks a duplicate of the release index. */
export interface ClusterLine {
  id: string;
  cluster: string;
  size: number;
  keep: boolean;
  published?: true;
}

function* metaLines(file: string): Generator<[string, string | null, string | null] | null> {
  for (const line of readLines({ file, start: 0, end: Number.MAX_SAFE_INTEGER })) {
    if (line === '') continue;
    const v = JSON.parse(line) as [string, string | null, string | null] | { malformed: string };
    yield Array.isArray(v) ? v : null;
  }
}

/** Step 3 (rank 0; other ranks return at once): clusters, keepers, `clusters/<partition>.jsonl`. */
export const clustersStep: StepFn = async (inputs, rank, world, workDir, options) => {
  const plan = loadPlan(inputs, workDir, options);
  const report: StepReport = { step: 'clusters', done: 0, skipped: 0 };
  if (rank !== 0) return report;
  partitionsOf([0], rank, world);
  const doneFile = join(workDir, 'clusters', 'done.json');
  if (existsSync(doneFile)) return { ...report, skipped: 1 };
  const summaries = partitionSummaries(plan, workDir);
  const { offsets: starts, total } = offsets(summaries);
  const index = plan.params.index ? readIndex(plan.params.index, plan.params) : null;
  const all = total + (index?.docs ?? 0);
  const parent = new Int32Array(all);
  for (let i = 0; i < all; i++) parent[i] = i;
  for (let k = 0; k < plan.keys; k++) {
    const file = join(workDir, 'pairs', `${keyName(k)}.pairs`);
    if (!existsSync(join(workDir, 'pairs', `${keyName(k)}.done`))) throw new Error(`pairs of ${keyName(k)} are missing: run the buckets step first`);
    readPairs(file, (a, b) => {
      const ra = find(parent, a);
      const rb = find(parent, b);
      // The smaller number becomes the root, so roots do not depend on the order pairs arrive in.
      if (ra < rb) parent[rb] = ra;
      else if (rb < ra) parent[ra] = rb;
    });
  }
  const size = new Int32Array(all);
  for (let i = 0; i < all; i++) {
    const r = find(parent, i);
    parent[i] = r;
    size[r]!++;
  }

  // Keepers: a published document always wins (it is already out); then the priority rule.
  const best = new Map<number, { key: PriorityKey; published: boolean }>();
  const order = plan.params.priority.order;
  const consider = (g: number, key: PriorityKey, published: boolean) => {
    const root = parent[g]!;
    if (size[root]! < 2) return;
    const cur = best.get(root);
    if (!cur || (published && !cur.published) || (published === cur.published && comparePriority(key, cur.key, order) < 0)) best.set(root, { key, published });
  };
  for (let p = 0; p < plan.partitions.length; p++) {
    let g = starts[p]!;
    for (const m of metaLines(join(workDir, 'sig', partName(p), 'meta.jsonl'))) {
      if (!m) continue;
      if (size[parent[g]!]! > 1) consider(g, priorityKey({ id: m[0], license: m[1], date_published: m[2] }, g, plan.params.priority), false);
      g++;
    }
  }
  if (index) {
    let g = total;
    for (const m of metaLines(join(index.dir, 'docs.jsonl'))) {
      if (m && size[parent[g]!]! > 1) consider(g, priorityKey({ id: m[0], license: m[1], date_published: m[2] }, g, plan.params.priority), true);
      g++;
    }
  }
  mkdirSync(join(workDir, 'clusters'), { recursive: true });
  let clusters = 0;
  let dropped = 0;
  let droppedPublished = 0;
  for (let p = 0; p < plan.partitions.length; p++) {
    let g = starts[p]!;
    const out = openSync(join(workDir, 'clusters', `${partName(p)}.jsonl`), 'w');
    let buf = '';
    for (const m of metaLines(join(workDir, 'sig', partName(p), 'meta.jsonl'))) {
      if (!m) continue;
      const root = parent[g]!;
      const n = size[root]!;
      let line: ClusterLine;
      if (n < 2) line = { id: m[0], cluster: m[0], size: 1, keep: true };
      else {
        const b = best.get(root)!;
        line = { id: m[0], cluster: b.key.id, size: n, keep: !b.published && b.key.seq === g };
        if (b.published) line.published = true;
      }
      if (line.keep) clusters++;
      else {
        dropped++;
        if (line.published) droppedPublished++;
      }
      buf += JSON.stringify(line) + '\n';
      if (buf.length > 1 << 16) {
        writeSync(out, buf);
        buf = '';
      }
      g++;
    }
    writeSync(out, buf);
    closeSync(out);
  }
  const malformed: Record<string, number> = {};
  for (const s of summaries) for (const [r, n] of Object.entries(s.malformed)) malformed[r] = (malformed[r] ?? 0) + n;
  replaceFileSync(doneFile, JSON.stringify({ documents: total, kept: clusters, dropped, dropped_published: droppedPublished, malformed }) + '\n');
  report.done = 1;
  return report;
};

/** Clusters lines and input records of one partition, side by side (malformed input lines skipped). */
export function* joinPartition(plan: RunPlan, workDir: string, p: number): Generator<{ record: DedupRecord; cluster: ClusterLine }> {
  const clusters = readLines({ file: join(workDir, 'clusters', `${partName(p)}.jsonl`), start: 0, end: Number.MAX_SAFE_INTEGER });
  for (const line of readLines(plan.partitions[p]!)) {
    const parsed = parseLine(line);
    if (!parsed || !parsed.ok) continue;
    const next = clusters.next();
    if (next.done) throw new Error(`clusters of partition ${p} end before its documents`);
    const cluster = JSON.parse(next.value) as ClusterLine;
    if (cluster.id !== parsed.record.id) throw new Error(`clusters of partition ${p} do not match its documents (${cluster.id} vs ${parsed.record.id})`);
    yield { record: parsed.record, cluster };
  }
}

/** Step 4: kept documents of this rank's partitions, with `minhash_cluster_size`, in `filtered/`. */
export const filterStep: StepFn = async (inputs, rank, world, workDir, options) => {
  const plan = loadPlan(inputs, workDir, options);
  const report: StepReport = { step: 'filter', done: 0, skipped: 0 };
  if (!existsSync(join(workDir, 'clusters', 'done.json'))) throw new Error('clusters are missing: run the clusters step first');
  mkdirSync(join(workDir, 'filtered'), { recursive: true });
  mkdirSync(join(workDir, 'removed'), { recursive: true });
  for (const { index: p } of partitionsOf(plan.partitions, rank, world)) {
    const done = join(workDir, 'filtered', `${partName(p)}.done`);
    if (existsSync(done)) {
      report.skipped++;
      continue;
    }
    const kept = createWriteStream(join(workDir, 'filtered', `${partName(p)}.jsonl`));
    const removed = createWriteStream(join(workDir, 'removed', `${partName(p)}.jsonl`));
    let k = 0;
    let r = 0;
    for (const { record, cluster } of joinPartition(plan, workDir, p)) {
      if (cluster.keep) {
        record.minhash_cluster_size = cluster.size;
        if (!kept.write(JSON.stringify(record) + '\n')) await new Promise<void>((res) => kept.once('drain', () => res()));
        k++;
      } else {
        removed.write(JSON.stringify({ id: record.id, duplicate_of: cluster.cluster, reason: cluster.published ? 'published_duplicate' : 'duplicate' }) + '\n');
        r++;
      }
    }
    await Promise.all([new Promise<void>((res) => kept.end(() => res())), new Promise<void>((res) => removed.end(() => res()))]);
    replaceFileSync(done, JSON.stringify({ kept: k, removed: r }) + '\n');
    report.done++;
  }
  return report;
};

export const STEPS = { signatures: signaturesStep, buckets: bucketsStep, clusters: clustersStep, filter: filterStep } as const;
export type StepName = keyof typeof STEPS;
