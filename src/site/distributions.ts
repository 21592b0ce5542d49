import { parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { DOCUMENT_COLUMNS } from '../schema/document.js';
import { readCompressors as compressors } from '../release/compression.js';
import type { ReleaseManifest } from '../schema/manifest.js';
import { countTokens } from '../text/tokenize.js';
import type { CatalogSource } from './source.js';

/** One bar of a histogram: values in [lo, hi), or [lo, ∞) when hi is null. */
export interface Bin {
  lo: number;
  hi: number | null;
  count: number;
}

export interface Distributions {
  /** Rows read to compute these (the first rows of the release, in shard order). */
  rows: number;
  /** True when every row of the release was read, so that counts are exact rather than estimates. */
  complete: boolean;
  /** Words in the release: counted when complete, else extrapolated from the characters. */
  words: number;
  length: Bin[];
  lang_score: Bin[];
  lang_score_missing: number;
  cluster_size: Bin[];
  /**
   * Numeric quality signals by name: extra shard columns beyond the Document schema, and numbers that
   * stages keep in `metadata.signals` (or `metadata.quality`).
   */
  signals: Record<string, Bin[]>;
}

const LENGTH_EDGES = [0, 100, 300, 1_000, 3_000, 10_000, 30_000, 100_000];
const CLUSTER_EDGES = [1, 2, 3, 6, 11];
const SCORE_EDGES = Array.from({ length: 10 }, (_, i) => i / 10);

/**
 * Reads the first `maxRows` rows of a release (text, language score, cluster size and metadata only)
 * and bins what a reader judges a corpus by. Bounded so that a site over terabytes still builds.
 */
export async function computeDistributions(source: CatalogSource, versionDir: string, manifest: ReleaseManifest, maxRows: number): Promise<Distributions> {
  const lengths: number[] = [];
  const scores: number[] = [];
  const clusters: number[] = [];
  const signals = new Map<string, number[]>();
  let missingScores = 0;
  let words = 0;
  let chars = 0;
  for (const shard of manifest.shards) {
    if (lengths.length >= maxRows) break;
    const file = await source.parquet(versionDir + shard.path, shard.bytes);
    const metadata = await parquetMetadataAsync(file);
    const rowEnd = Math.min(Number(metadata.num_rows), maxRows - lengths.length);
    const known = new Set<string>(DOCUMENT_COLUMNS);
    const extra = parquetSchema(metadata).children.map((c) => c.element.name).filter((name) => !known.has(name));
    const rows = await parquetReadObjects({
      file,
      metadata,
      compressors,
      columns: ['text', 'lang_score', 'minhash_cluster_size', 'metadata', ...extra],
      rowEnd,
      utf8: true,
    });
    for (const row of rows) {
      const text = String(row.text ?? '');
      const n = [...text].length;
      lengths.push(n);
      chars += n;
      words += countTokens(text);
      if (typeof row.lang_score === 'number') scores.push(row.lang_score);
      else missingScores++;
      clusters.push(Number(row.minhash_cluster_size ?? 1));
      const columnSignals = extra.flatMap((name): [string, number][] => (typeof row[name] === 'number' && Number.isFinite(row[name]) ? [[name, row[name]]] : []));
      for (const [name, value] of [...columnSignals, ...signalValues(row.metadata)]) {
        let values = signals.get(name);
        if (!values) signals.set(name, (values = []));
        values.push(value);
      }
    }
  }
  const complete = lengths.length === manifest.totals.documents;
  return {
    rows: lengths.length,
    complete,
    words: complete || chars === 0 ? words : Math.round((words / chars) * manifest.totals.text_chars),
    length: binByEdges(lengths, LENGTH_EDGES),
    lang_score: binByEdges(scores, SCORE_EDGES, 1),
    lang_score_missing: missingScores,
    cluster_size: binByEdges(clusters, CLUSTER_EDGES),
    signals: Object.fromEntries([...signals].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, values]) => [name, binEvenly(values)])),
  };
}

function* signalValues(metadata: unknown): Iterable<[string, number]> {
  let value = metadata;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return;
    }
  }
  if (!value || typeof value !== 'object') return;
  for (const group of ['signals', 'quality'] as const) {
    const g = (value as Record<string, unknown>)[group];
    if (!g || typeof g !== 'object') continue;
    for (const [k, v] of Object.entries(g)) if (typeof v === 'number' && Number.isFinite(v)) yield [k, v];
  }
}

/** Bins on fixed edges; the last bin is open unless `top` closes it (then values equal to top fall in it). */
export function binByEdges(values: number[], edges: number[], top?: number): Bin[] {
  const bins: Bin[] = edges.map((lo, i) => ({ lo, hi: edges[i + 1] ?? top ?? null, count: 0 }));
  for (const v of values) {
    let i = bins.length - 1;
    while (i > 0 && v < bins[i]!.lo) i--;
    bins[i]!.count++;
  }
  return bins;
}

/** Ten equal-width bins between the smallest and the largest value (one bin when they are equal). */
export function binEvenly(values: number[]): Bin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === max) return [{ lo: min, hi: max, count: values.length }];
  const width = (max - min) / 10;
  const edges = Array.from({ length: 10 }, (_, i) => min + i * width);
  return binByEdges(values, edges, max);
}
