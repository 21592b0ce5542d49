import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { z } from 'zod';
import { CatalogSchema, type Catalog } from '../schema/catalog.js';
import { ReleaseManifestSchema, StageStats, type ReleaseManifest } from '../schema/manifest.js';
import { computeDistributions, type Distributions } from './distributions.js';
import type { CatalogSource } from './source.js';

/** The part of `stats.json` the site shows; the file may hold more. */
export const RunStatsSchema = z.looseObject({
  recipe: z.string().optional(),
  recipe_sha256: z.string().optional(),
  villers_version: z.string().optional(),
  duration_s: z.number().optional(),
  stages: z.record(z.string(), StageStats),
});
export type RunStats = z.infer<typeof RunStatsSchema>;

export interface RejectExample {
  id: string;
  title: string | null;
  url: string | null;
  /** The document's language when known, so that the page marks the excerpt's language. */
  lang: string | null;
  excerpt: string;
  detail: string | null;
}

export interface VersionData {
  catalogEntry: Catalog['datasets'][number]['versions'][number];
  /** The version folder relative to the catalog, ending with `/`. */
  dir: string;
  manifest: ReleaseManifest;
  stats: RunStats | null;
  /** A few rejected documents per reason code, read from rejects/<stage>.jsonl.gz. */
  rejectExamples: Record<string, RejectExample[]>;
  distributions: Distributions;
  /** `croissant.json` of the release when it has one (written by the release exports), verbatim. */
  croissant: unknown;
  changelog: string | null;
}

export interface DatasetData {
  name: string;
  description: string | undefined;
  /** Oldest first. */
  versions: VersionData[];
  latest: VersionData;
}

export interface SiteData {
  catalog: Catalog;
  datasets: DatasetData[];
}

export interface LoadOptions {
  /** Rows read per version for the distributions (default 20 000). */
  sampleRows?: number;
  /** Examples kept per reject reason (default 3). */
  examplesPerReason?: number;
}

/** Reads a catalog and everything its pages show, failing with the file at fault. */
export async function loadSiteData(source: CatalogSource, catalogPath: string, options: LoadOptions = {}): Promise<SiteData> {
  const catalogText = await source.text(catalogPath);
  if (catalogText === null) throw new Error(`no catalog at ${source.location}`);
  const catalog = parseWith(CatalogSchema, catalogText, source.location);
  const datasets: DatasetData[] = [];
  for (const entry of catalog.datasets) {
    const versions: VersionData[] = [];
    for (const v of entry.versions) versions.push(await loadVersion(source, v, options));
    const latest = versions.find((v) => v.manifest.version === entry.latest) ?? versions.at(-1);
    if (!latest) throw new Error(`${source.location}: dataset ${entry.dataset} lists no version`);
    datasets.push({ name: entry.dataset, description: entry.description, versions, latest });
  }
  return { catalog, datasets };
}

async function loadVersion(source: CatalogSource, entry: VersionData['catalogEntry'], options: LoadOptions): Promise<VersionData> {
  const dir = entry.manifest.replace(/[^/]*$/, '');
  const manifestText = await source.text(entry.manifest);
  if (manifestText === null) throw new Error(`${entry.manifest} is listed in the catalog but missing`);
  const manifest = parseWith(ReleaseManifestSchema, manifestText, entry.manifest);
  const statsText = await source.text(dir + 'stats.json');
  const stats = statsText === null ? null : parseWith(RunStatsSchema, statsText, dir + 'stats.json');
  const croissantText = await source.text(dir + 'croissant.json');
  return {
    catalogEntry: entry,
    dir,
    manifest,
    stats,
    rejectExamples: await readRejectExamples(source, dir, stats ?? manifest, options.examplesPerReason ?? 3),
    distributions: await computeDistributions(source, dir, manifest, options.sampleRows ?? 20_000),
    croissant: croissantText === null ? null : JSON.parse(croissantText),
    changelog: await source.text(dir + 'CHANGELOG.md'),
  };
}

/**
 * The first few rejected documents of each reason. Reject files of big runs are large, so this streams
 * only the files of stages whose counters show rejects, and stops once every reason has its examples.
 */
export async function readRejectExamples(
  source: CatalogSource,
  dir: string,
  stats: { stages: Record<string, { rejected: Record<string, number> }> },
  perReason: number,
): Promise<Record<string, RejectExample[]>> {
  const out: Record<string, RejectExample[]> = {};
  for (const [stage, s] of Object.entries(stats.stages)) {
    if (Object.keys(s.rejected).length === 0) continue;
    const file = await source.stream(`${dir}rejects/${stage}.jsonl.gz`);
    if (!file) continue;
    const wanted = Object.keys(s.rejected);
    const { text, close } = await gunzipUnlessDecoded(file);
    try {
      for await (const line of createInterface({ input: text, crlfDelay: Infinity })) {
        const example = parseReject(line, stage);
        if (!example) continue;
        const list = (out[example.reason] ??= []);
        if (list.length < perReason) list.push(example.example);
        if (wanted.every((r) => (out[r]?.length ?? 0) >= Math.min(perReason, s.rejected[r]!))) break;
      }
    } finally {
      close();
    }
  }
  return out;
}

/**
 * The text of a .jsonl.gz file. Some static hosts serve .gz files with `Content-Encoding: gzip`, and
 * fetch then hands over the bytes already decompressed: the gzip magic number tells which it is.
 */
async function gunzipUnlessDecoded(input: Readable): Promise<{ text: Readable; close(): void }> {
  const it = input[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return { text: Readable.from([]), close: () => input.destroy() };
  const head = Buffer.from(first.value as Uint8Array);
  const joined = Readable.from(
    (async function* () {
      yield head;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value as Buffer;
    })(),
  );
  const text = head[0] === 0x1f && head[1] === 0x8b ? joined.pipe(createGunzip()) : joined;
  // Stopping early is the point (a few examples, not the whole file): the streams' complaints about
  // being closed before their end are expected and ignored.
  const close = () => {
    for (const s of [text, joined, input]) {
      s.on('error', () => {});
      s.destroy();
    }
  };
  return { text, close };
}

function parseReject(line: string, stage: string): { reason: string; example: RejectExample } | null {
  if (!line) return null;
  let record: { reason?: string; detail?: unknown; doc?: { id?: string; title?: string | null; url?: string | null; lang?: string | null; text?: string; raw_base64?: string } };
  try {
    record = JSON.parse(line);
  } catch {
    return null;
  }
  const doc = record.doc ?? {};
  const text = typeof doc.text === 'string' && doc.text ? doc.text : doc.raw_base64 ? Buffer.from(doc.raw_base64, 'base64').toString('utf8') : '';
  return {
    reason: record.reason ?? `${stage}.unknown`,
    example: {
      id: doc.id ?? '',
      title: doc.title ?? null,
      url: doc.url ?? null,
      lang: typeof doc.lang === 'string' && /^[a-z]{2,3}$/.test(doc.lang) ? doc.lang : null,
      excerpt: excerpt(text, 280),
      detail: record.detail === undefined ? null : JSON.stringify(record.detail),
    },
  };
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : chars.slice(0, max).join('') + '…';
}

function parseWith<T>(schema: z.ZodType<T>, text: string, where: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${where}: not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
