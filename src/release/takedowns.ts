import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadYaml } from '../schema/load.js';
import { TakedownEntry } from '../schema/manifest.js';

/** `datasets/<dataset>.takedowns.yaml`: what must leave the dataset, and why. */
export const TakedownsFileSchema = z.object({ takedowns: z.array(TakedownEntry).default([]) }).strict();

/** `<out>/<dataset>/takedowns.json`: every takedown ever applied, so a withdrawn source never comes back. */
const RECORDED = 'takedowns.json';

const keyOf = (t: TakedownEntry) => (t.id !== undefined ? `id:${t.id}` : t.url_prefix !== undefined ? `url:${t.url_prefix}` : `source:${t.source}`);

export class Takedowns {
  private readonly ids = new Map<string, TakedownEntry>();
  private readonly sources = new Map<string, TakedownEntry>();
  private readonly prefixes: [string, TakedownEntry][] = [];

  constructor(readonly entries: TakedownEntry[]) {
    for (const t of entries) {
      if (t.id !== undefined) this.ids.set(t.id, t);
      else if (t.source !== undefined) this.sources.set(t.source, t);
      else this.prefixes.push([t.url_prefix!, t]);
    }
  }

  source(id: string): TakedownEntry | undefined {
    return this.sources.get(id);
  }

  /** The takedown that removes this document, if any. */
  match(doc: { id: string; source: string; url: string | null }): TakedownEntry | undefined {
    const hit = this.sources.get(doc.source) ?? this.ids.get(doc.id);
    if (hit) return hit;
    if (doc.url) for (const [prefix, t] of this.prefixes) if (doc.url.startsWith(prefix)) return t;
    return undefined;
  }

  kind(t: TakedownEntry): 'source' | 'document' | 'url_prefix' {
    return t.source !== undefined ? 'source' : t.id !== undefined ? 'document' : 'url_prefix';
  }
}

/**
 * The takedowns in force for a dataset: those the recipe's file lists (`takedowns:` in the recipe,
 * default `<dataset>.takedowns.yaml` beside it) plus every one recorded by earlier releases, which
 * deleting a line from the YAML cannot undo.
 */
export async function loadTakedowns(recipeFile: string, dataset: string, declared: string | undefined, datasetDir: string): Promise<Takedowns> {
  const entries = new Map<string, TakedownEntry>();
  const recorded = join(datasetDir, RECORDED);
  if (existsSync(recorded)) {
    const parsed = TakedownsFileSchema.parse(JSON.parse(await readFile(recorded, 'utf8')));
    for (const t of parsed.takedowns) entries.set(keyOf(t), t);
  }
  const file = declared ? resolve(dirname(recipeFile), declared) : join(dirname(recipeFile), `${dataset}.takedowns.yaml`);
  if (declared && !existsSync(file)) throw new Error(`takedowns file ${file} (named by the recipe) does not exist`);
  if (existsSync(file)) {
    const parsed = await loadYaml(file, TakedownsFileSchema);
    for (const t of parsed.takedowns) entries.set(keyOf(t), t);
  }
  return new Takedowns([...entries.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1)));
}

export async function recordTakedowns(datasetDir: string, takedowns: Takedowns): Promise<void> {
  const path = join(datasetDir, RECORDED);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify({ takedowns: takedowns.entries }, null, 2) + '\n');
  await rename(tmp, path);
}
