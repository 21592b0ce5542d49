import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import type { StageStats } from '../schema/manifest.js';
import type { PlanUnit } from './plan.js';

/**
 * The work folder's record of finished units: `units/<key>/` holds a unit's documents after the
 * per-task stages (`docs.jsonl.gz`), its rejects (`rejects/<stage>.jsonl.gz`) and, written last,
 * `done.json`. A unit is built in `units/.<key>.partial/` and renamed whole, so a task killed at
 * any moment leaves either a finished unit or nothing that counts.
 */
export const UnitMarker = z.object({
  key: z.string(),
  fingerprint: z.string(),
  docs: z.number().int().min(0),
  rank: z.number().int().min(0),
  world: z.number().int().min(1),
  stats: z.record(z.string(), z.custom<StageStats>()),
});
export type UnitMarker = z.infer<typeof UnitMarker>;

const BATCH_CHARS = 512 * 1024;

export const unitDir = (workDir: string, key: string) => join(workDir, 'units', key);
const partialDir = (workDir: string, key: string) => join(workDir, 'units', `.${key}.partial`);

/** The unit's marker when its finished output matches the plan's fingerprint, else null. */
export async function finishedUnit(workDir: string, unit: PlanUnit): Promise<UnitMarker | null> {
  const file = join(unitDir(workDir, unit.key), 'done.json');
  if (!existsSync(file)) return null;
  try {
    const marker = UnitMarker.parse(JSON.parse(await readFile(file, 'utf8')));
    return marker.fingerprint === unit.fingerprint ? marker : null;
  } catch {
    return null;
  }
}

/** An open unit being written: documents go to the gzip stream; `commit` makes it count. */
export class UnitWriter {
  // Work files live for one run: the fastest level, a third of level 6's time for a few % more bytes.
  private readonly gzip = createGzip({ level: 1, chunkSize: 256 * 1024 });
  private pending = '';
  private readonly file;
  docs = 0;

  private constructor(readonly workDir: string, readonly unit: PlanUnit, readonly dir: string) {
    this.file = createWriteStream(join(dir, 'docs.jsonl.gz'));
    this.gzip.pipe(this.file);
  }

  static async open(workDir: string, unit: PlanUnit): Promise<UnitWriter> {
    const dir = partialDir(workDir, unit.key);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    return new UnitWriter(workDir, unit, dir);
  }

  get rejectsDir(): string {
    return join(this.dir, 'rejects');
  }

  async write(line: string): Promise<void> {
    this.docs++;
    // Lines go to zlib in batches: each write is a round trip to libuv's thread pool.
    this.pending += line + '\n';
    if (this.pending.length >= BATCH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.pending;
    this.pending = '';
    if (chunk && !this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  async commit(marker: Omit<UnitMarker, 'key' | 'fingerprint' | 'docs'>): Promise<UnitMarker> {
    await this.flush();
    this.gzip.end();
    await finished(this.file);
    const full: UnitMarker = { key: this.unit.key, fingerprint: this.unit.fingerprint, docs: this.docs, ...marker };
    await writeFile(join(this.dir, 'done.json'), JSON.stringify(full) + '\n');
    const final = unitDir(this.workDir, this.unit.key);
    await rm(final, { recursive: true, force: true });
    await rename(this.dir, final);
    return full;
  }

  async abandon(): Promise<void> {
    this.gzip.destroy();
    this.file.destroy();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** The lines of a gzip JSON-lines file, streamed. */
export async function* gzipLines(file: string): AsyncIterable<string> {
  const input = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 256 * 1024 }));
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) if (line !== '') yield line;
}

/** The stages a finished unit has rejects for, in name order. */
export async function unitRejectStages(workDir: string, key: string): Promise<string[]> {
  const dir = join(unitDir(workDir, key), 'rejects');
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .filter((n) => n.endsWith('.jsonl.gz'))
    .map((n) => n.slice(0, -'.jsonl.gz'.length))
    .sort();
}
