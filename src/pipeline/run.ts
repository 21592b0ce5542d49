import { createHash } from 'node:crypto';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DocumentSchema, SHARD_SCHEMA_VERSION, type Document } from '../schema/document.js';
import { ReleaseManifestSchema, type ReleaseManifest } from '../schema/manifest.js';
import { getConnector } from '../connectors/index.js';
import { createContext, type RunContext } from './context.js';
import { docBytes, type Doc } from './doc.js';
import { createLogger, type Logger } from './log.js';
import { noProgress, type Progress } from './progress.js';
import { RejectsWriter } from './rejects.js';
import { compose, type Stage } from './stage.js';
import { stageDefinition } from './stages.js';
import { Stats } from './stats.js';
import { loadRecipe, type LoadedRecipe } from './recipe.js';
import type { Executor } from '../exec/executor.js';
import { localExecutor } from '../exec/local.js';
import { liveSourceIds, mergeBarrier, prepareUnitDedup, readUnits, UnitArrivals } from '../exec/merge.js';
import { dedupPrepared } from '../dedup/barrier.js';
import { planRun, removeWorkDir, splitStages, type Plan } from '../exec/plan.js';
import { loadPlannedRecipe } from '../exec/task.js';
import { finishedUnit } from '../exec/unit-store.js';
import { ShardWriter, SHARD_KV } from '../release/shard-writer.js';
import { SignalColumns } from '../release/signal-columns.js';
import type { Signals } from '../filters/signals.js';
import { recordInCatalog } from '../release/catalog.js';
import { sortKeys } from '../release/json.js';
import { loadTakedowns, recordTakedowns } from '../release/takedowns.js';
import { chooseVersion, diffRecords, publishedVersions, readManifest, readRecordIndex, type RecordKey } from '../release/versions.js';
import { writeViews } from '../release/views.js';
import { writeLatest } from '../release/latest.js';
import { checkAllowList } from '../licenses/policy.js';
import { checkCompatibility } from '../licenses/compatibility.js';
import { AttributionCollector } from '../licenses/attribution.js';
import { writeReleaseReport } from '../site/report.js';
import { VERSION } from '../version.js';

export interface RunOptions {
  outDir: string;
  log?: Logger;
  progress?: (label: string) => Progress;
  signal?: AbortSignal;
  /** Creation time to record; default SOURCE_DATE_EPOCH when set, else now. */
  now?: Date;
  /** Where the tasks run (default: this process, one task); see src/exec/. */
  executor?: Executor;
  /** Task outputs and completion markers; default `<out>/.work/<dataset>-<recipe digest>`. */
  workDir?: string;
  /** Keep the work folder after the run (`villers refresh` reuses unchanged units from it). */
  keepWork?: boolean;
  /** Redo units that cannot tell whether their input changed (a new run id). */
  fresh?: boolean;
}

export interface RunResult {
  status: 'published' | 'unchanged';
  releaseDir: string;
  manifest: ReleaseManifest;
  stats: Record<string, unknown>;
}

/**
 * Runs a recipe end to end and publishes its release folder atomically under `<out>/<dataset>/<version>/`.
 * The run is planned as units (the files of its sources); the executor runs the per-document stages
 * as tasks over them, each unit leaving a completion marker, and the merge reads the units back in
 * plan order through the remaining stages, so the release does not depend on the executor or the
 * number of tasks, and a relaunch after a crash redoes only unfinished units.
 */
export async function runRecipe(recipeFile: string, options: RunOptions): Promise<RunResult> {
  const loaded = await loadRecipe(recipeFile);
  // Checked before any task runs, so that a recipe the release would refuse fails at once.
  releaseAllowList(loaded.recipe, recipeFile);
  const log = options.log ?? createLogger();
  const now = options.now ?? (process.env.SOURCE_DATE_EPOCH ? new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000) : new Date());
  const created = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const plan = await planRun(loaded, { outDir: options.outDir, workDir: options.workDir, created, fresh: options.fresh });
  const executor = options.executor ?? localExecutor();
  const progress = options.progress?.(loaded.recipe.dataset) ?? noProgress;
  const hooks = { log, progress, signal: options.signal };
  let result: RunResult;
  try {
    if (executor.runMerge) {
      await executor.runTasks(plan, hooks);
      result = (await executor.runMerge(plan, hooks)) as RunResult;
    } else {
      // The merge runs here, beside the tasks: it reads each unit, in plan order, once it is finished.
      const arrivals = new UnitArrivals();
      const tasks = executor.runTasks(plan, { ...hooks, unitFinished: (unit) => arrivals.arrived(unit.key) }).then(
        async () => {
          // A thread's last notices can trail its task's end: the markers on disk are the truth.
          for (const unit of plan.units) if (await finishedUnit(plan.work_dir, unit)) arrivals.arrived(unit.key);
          arrivals.end(new Error('the tasks ended without finishing every unit'));
        },
        (e: unknown) => {
          arrivals.end(e);
          throw e;
        },
      );
      const [ran, merged] = await Promise.allSettled([tasks, mergeRun(plan, { ...options, log, progress: () => progress }, arrivals)]);
      if (ran.status === 'rejected') throw ran.reason;
      if (merged.status === 'rejected') throw merged.reason;
      result = merged.value;
    }
  } catch (e) {
    progress.stop();
    throw e;
  }
  if (!options.keepWork) await removeWorkDir(plan.work_dir);
  return result;
}

/** The recipe's licence allow-list as the release applies it: NC/ND refused unless the recipe says so. */
function releaseAllowList(recipe: LoadedRecipe['recipe'], recipeFile: string) {
  const licenseSpec = recipe.stages.find((s) => s.stage === 'license') as { allow?: string[] } | undefined;
  if (!licenseSpec?.allow) throw new Error(`${recipeFile}: a release needs a "license" stage with an allow-list`);
  return checkAllowList(licenseSpec.allow, recipe.licenses);
}

/**
 * The merge of a run whose units are all finished: their documents in plan order through the
 * stages that need every document (deduplication and after), into shards and the release.
 */
export async function mergeRun(plan: Plan, options: RunOptions, arrivals?: UnitArrivals): Promise<RunResult> {
  const recipeFile = plan.recipe_file;
  const loaded = await loadPlannedRecipe(plan);
  const { recipe } = loaded;
  const log = options.log ?? createLogger();
  // The plan fixed the output and the creation time, so that every merge of it writes the same release.
  const outDir = plan.out_dir;
  const created = plan.created;
  const datasetDir = join(outDir, recipe.dataset);
  const allow = releaseAllowList(recipe, recipeFile);
  const takedowns = await loadTakedowns(recipeFile, recipe.dataset, recipe.takedowns, datasetDir);
  const tmpDir = join(datasetDir, `.tmp-${recipe.version}-${process.pid}-${Date.now()}`);
  await mkdir(tmpDir, { recursive: true });

  const stats = new Stats();
  const rejects = new RejectsWriter(join(tmpDir, 'rejects'));
  const progress = options.progress?.(recipe.dataset) ?? noProgress;
  const ctx = createContext({ stats, rejects, log, progress, signal: options.signal });
  const started = performance.now();
  try {
    // Stats are listed in flow order: sources, stages, writer.
    for (const { source } of loaded.sources) stats.stage(getConnector(source.connector).name);
    const stages: { name: string; stage: Stage }[] = [];
    for (const spec of recipe.stages) stats.stage(stageDefinition(spec.stage as string).name);
    // The per-document stages ran in the tasks; the merge runs the rest.
    for (const { source } of loaded.sources) {
      const t = takedowns.source(source.id);
      if (t) log.warn(`source ${source.id} is taken down (${t.reason}, ${t.date}): not read`);
    }
    const liveSources = liveSourceIds(loaded.sources, takedowns);
    // A dedup barrier first in the merge signs the units the tasks wrote, as they are finished.
    const barrier = mergeBarrier(recipe.stages);
    for (const [i, spec] of splitStages(recipe.stages).merge.entries()) {
      const def = stageDefinition(spec.stage as string);
      if (i === 0 && barrier) {
        const prepared = prepareUnitDedup(plan, liveSources, spec, barrier.barrier, arrivals);
        stages.push({ name: def.name, stage: (docs, c) => dedupPrepared(docs, c, barrier.barrier, prepared) });
      } else stages.push({ name: def.name, stage: await def.create(def.options.parse(spec), ctx) });
    }
    const pipeline = compose(stages);
    const signals = new SignalColumns();
    const writer = new ShardWriter({
      dir: join(tmpDir, 'data', recipe.output.config),
      split: recipe.output.split,
      targetBytes: recipe.output.shard_target_bytes,
      rowGroupBytes: recipe.output.row_group_bytes,
      compression: recipe.output.compression,
      zstdLevel: recipe.output.zstd_level,
      kvMetadata: { [SHARD_KV.schemaVersion]: SHARD_SCHEMA_VERSION, [SHARD_KV.dataset]: recipe.dataset },
      createdBy: `villers ${VERSION}`,
      signals,
    });
    if (writer.fallback) log.warn(writer.fallback);

    const byLicense: Record<string, number> = {};
    const bySource: Record<string, number> = {};
    const byLang: Record<string, number> = {};
    const attribution = new AttributionCollector();
    const records = new Map<string, RecordKey>();
    // A source taken down is not read at all; documents and URL prefixes are rejected on their way to the writer.
    const takedownStats = takedowns.entries.some((t) => t.source === undefined) ? stats.stage('takedown') : null;
    const write = stats.stage('write');
    for await (const doc of pipeline(readUnits(plan, stats, rejects, liveSources, arrivals), ctx)) {
      const t0 = performance.now();
      if (takedownStats) {
        takedownStats.in++;
        takedownStats.bytes_in += docBytes(doc);
        const t = takedowns.match(doc);
        if (t) {
          ctx.reject(doc, 'takedown', `takedown.${takedowns.kind(t)}`, { reason: t.reason, date: t.date });
          progress.document(false);
          continue;
        }
        takedownStats.out++;
        takedownStats.bytes_out += docBytes(doc);
      }
      write.in++;
      write.bytes_in += docBytes(doc);
      const { values, rest } = signals.split(doc.metadata.signals as Record<string, Signals> | undefined);
      const made = toDocument(doc, rest, ctx);
      const row = made?.row ?? null;
      if (row) {
        await writer.add(row, values, made!.metadata);
        write.out++;
        write.bytes_out += Buffer.byteLength(row.text);
        byLicense[row.license] = (byLicense[row.license] ?? 0) + 1;
        bySource[row.source] = (bySource[row.source] ?? 0) + 1;
        byLang[row.lang ?? 'und'] = (byLang[row.lang ?? 'und'] ?? 0) + 1;
        attribution.add(row);
        records.set(row.id, { source: row.source, url: row.url, sha: row.content_sha256 });
      }
      progress.document(row !== null);
      write.ms += performance.now() - t0;
    }
    const t0 = performance.now();
    const shards = (await writer.finish()).map((s) => ({ ...s, path: `data/${recipe.output.config}/${s.path}` }));
    write.ms += performance.now() - t0;
    progress.stop();
    await rejects.close();

    // Release-time licence checks on what the shards actually hold, whatever the stages did.
    for (const id of Object.keys(byLicense)) {
      if (!allow.includes(id)) throw new Error(`${id} is in the shards but not in the recipe's licence allow-list`);
    }
    const compatibility = checkCompatibility(byLicense);
    if (!compatibility.ok) throw new Error(`licences cannot be released together: ${compatibility.problems.join('; ')}`);

    // The version follows from what changed against the latest published one (Croissant's rules).
    const versions = await publishedVersions(datasetDir);
    const latestVersion = versions.at(-1) ?? null;
    const previous = latestVersion ? await readManifest(join(datasetDir, latestVersion)) : null;
    const changes = diffRecords(
      previous && latestVersion ? { version: latestVersion, index: await readRecordIndex(join(datasetDir, latestVersion), previous) } : null,
      records,
      takedowns,
    );
    if (previous && changes.bump === 'patch' && sameShards(previous, { shards } as ReleaseManifest)) {
      await rm(tmpDir, { recursive: true, force: true });
      log.info(`${recipe.dataset} ${latestVersion} is already published with identical shards; nothing to do`);
      return { status: 'unchanged', releaseDir: join(datasetDir, latestVersion!), manifest: previous, stats: stats.toJSON() };
    }
    const version = chooseVersion(recipe.version, latestVersion, changes.bump);
    const finalDir = join(datasetDir, version);
    if (previous && latestVersion) {
      const reused = await reuseUnchangedShards(tmpDir, shards, join(datasetDir, latestVersion), previous);
      if (reused > 0) {
        stats.count('write', 'shards_reused', reused);
        log.info(`${reused} of ${shards.length} shards are byte-identical to ${latestVersion}'s: linked, not stored again`);
      }
    }

    const manifest: ReleaseManifest = ReleaseManifestSchema.parse({
      manifest_version: 1,
      dataset: recipe.dataset,
      version,
      created,
      description: recipe.description,
      pretty_name: recipe.pretty_name ?? recipe.dataset,
      homepage: recipe.homepage,
      publisher: recipe.publisher,
      recipe_sha256: loaded.sha256,
      shard_schema_version: SHARD_SCHEMA_VERSION,
      config: recipe.output.config,
      compression: writer.codec,
      sources: loaded.sources.map(({ source }) => ({
        id: source.id,
        name: source.name,
        connector: source.connector,
        license: source.license,
        license_evidence: source.license_evidence,
        homepage: source.homepage,
      })),
      shards,
      signal_columns: signals.columns,
      totals: {
        documents: shards.reduce((a, s) => a + s.rows, 0),
        bytes: shards.reduce((a, s) => a + s.bytes, 0),
        text_chars: shards.reduce((a, s) => a + s.text_chars, 0),
      },
      counts_by_license: sortRecord(byLicense),
      counts_by_source: sortRecord(bySource),
      stages: stats.toJSON(),
      counts_by_lang: sortRecord(byLang),
      filters: recipe.stages as Record<string, unknown>[],
      license: { expression: compatibility.expression, share_alike: compatibility.shareAlike, allow, notes: compatibility.notes },
      attribution: attribution.entries(),
      changes,
      files: [],
    });
    const runStats = {
      dataset: recipe.dataset,
      version,
      recipe: relative(process.cwd(), recipeFile),
      recipe_sha256: loaded.sha256,
      villers_version: VERSION,
      duration_s: Math.round(performance.now() - started) / 1000,
      // What the merge did after the last task ended: the part more workers cannot shorten.
      tail_s: Math.round(performance.now() - Math.max(started, arrivals?.endedAt ?? started)) / 1000,
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      stages: stats.toJSON(),
      totals: manifest.totals,
    };
    await writeFile(join(tmpDir, 'stats.json'), JSON.stringify(runStats, null, 2) + '\n');
    manifest.files = await writeViews(tmpDir, manifest);
    const manifestText = JSON.stringify(manifest, null, 2) + '\n';
    await writeFile(join(tmpDir, 'manifest.json'), manifestText);
    // The "how it was made" page beside the release, for CI artefacts; written before the folder is published.
    await writeReleaseReport(tmpDir);

    if (existsSync(finalDir)) {
      // Another run published this version meanwhile: a published version is never overwritten.
      const published = ReleaseManifestSchema.parse(JSON.parse(await readFile(join(finalDir, 'manifest.json'), 'utf8')));
      await rm(tmpDir, { recursive: true, force: true });
      if (sameShards(published, manifest)) return { status: 'unchanged', releaseDir: finalDir, manifest: published, stats: runStats };
      throw new Error(`${recipe.dataset} ${version} is already published with other content; releases are immutable`);
    }
    await rename(tmpDir, finalDir);
    await recordTakedowns(datasetDir, takedowns);
    await writeLatest(datasetDir, manifest, manifestText);
    await recordInCatalog(outDir, manifest, manifestText, created);
    return { status: 'published', releaseDir: finalDir, manifest, stats: runStats };
  } catch (e) {
    progress.stop();
    await rejects.close().catch(() => {});
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A refresh that appends (new files at the end of the plan) leaves the leading shards byte for
 * byte as they were: those are hard links to the previous version's files instead of new copies
 * (a copy stays where the filesystem cannot link). Returns how many were linked.
 */
async function reuseUnchangedShards(tmpDir: string, shards: { path: string; sha256: string; bytes: number }[], previousDir: string, previous: ReleaseManifest): Promise<number> {
  const bySha = new Map(previous.shards.map((s) => [`${s.sha256}:${s.bytes}`, s.path]));
  let reused = 0;
  for (const shard of shards) {
    const before = bySha.get(`${shard.sha256}:${shard.bytes}`);
    if (!before) continue;
    const target = join(tmpDir, shard.path);
    const linked = `${target}.link`;
    try {
      await link(join(previousDir, before), linked);
      await rename(linked, target);
      reused++;
    } catch {
      await rm(linked, { force: true });
    }
  }
  return reused;
}

function sameShards(a: ReleaseManifest, b: ReleaseManifest): boolean {
  return a.shards.length === b.shards.length && a.shards.every((s, i) => s.sha256 === b.shards[i]!.sha256 && s.path === b.shards[i]!.path);
}

function withSignals(metadata: Record<string, unknown>, signals: Record<string, Signals> | undefined): Record<string, unknown> {
  const { signals: _all, ...rest } = metadata;
  return signals ? { ...rest, signals } : rest;
}

function sortRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/**
 * The shard row of a document, or null (and a reject) when it cannot be one. Its signals are
 * columns of their own; `signalsLeft` are those that are not, kept in the metadata.
 */
function toDocument(doc: Doc, signalsLeft: Record<string, Signals> | undefined, ctx: RunContext): { row: Document; metadata: unknown } | null {
  if (doc.media_type !== 'text/plain') {
    ctx.reject(doc, 'write', 'write.not_text', { media_type: doc.media_type, hint: 'add an extract stage to the recipe' });
    return null;
  }
  // Sorted once: the row keeps its text, the writer the value itself (no parse of what was just written).
  const metadata = sortKeys(withSignals(doc.metadata, signalsLeft));
  const candidate = {
    id: doc.id,
    text: doc.text,
    source: doc.source,
    url: doc.url,
    title: doc.title,
    lang: doc.lang,
    lang_score: doc.lang_score,
    license: doc.license,
    license_evidence: doc.license_evidence,
    attribution: doc.attribution,
    date_published: doc.date_published,
    date_retrieved: doc.date_retrieved,
    content_sha256: createHash('sha256').update(doc.text).digest('hex'),
    minhash_cluster_size: doc.minhash_cluster_size,
    metadata: JSON.stringify(metadata),
  };
  const parsed = DocumentSchema.safeParse(candidate);
  if (!parsed.success) {
    ctx.reject(doc, 'write', 'write.invalid_document', {
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
    return null;
  }
  return { row: parsed.data, metadata };
}
